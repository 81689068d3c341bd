package io.p2sgw.cli.pki;

import io.p2sgw.pki.CertificateIssuer;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.KeyType;
import io.p2sgw.pki.toolkit.CaFiles;
import io.p2sgw.pki.toolkit.OutputFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pki intermediate}: an optional intermediate CA. Clients whose certificates it issues need it uploaded
 * to the gateway as well, after the root (azure-p2s.md §2.3: OpenVPN Connect 3 no longer sends intermediates).
 */
@Command(name = "intermediate", mixinStandardHelpOptions = true, description = "Intermediate CA certificates (optional).",
        subcommands = IntermediateCommand.Create.class)
final class IntermediateCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "Create an intermediate CA (pathlen 0) issued by a root.",
                "Writes DIR/ca.key.pem, DIR/ca.pem (intermediate then root) and DIR/ca.cer; use DIR as --ca for clients.",
                "Upload DIR/ca.cer to the gateway too (after the root): OpenVPN Connect 3 does not send intermediates."},
            footer = {"", "Example:",
                "  p2sgw pki intermediate create --ca ./pki/root --cn P2SIntermediate \\",
                "      --out ./pki/intermediate"})
    static final class Create extends PkiSubcommand {
        @Mixin
        CaSource ca;
        @Option(names = "--cn", required = true, paramLabel = "NAME", description = "Common name of the intermediate.")
        String commonName;
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the files (created if missing).")
        Path out;
        @Option(names = "--key-type", defaultValue = "rsa2048", paramLabel = "TYPE", description = "rsa2048 (default), rsa4096, ec256 or ec384.")
        String keyType;
        @Option(names = "--days", defaultValue = "1825", paramLabel = "N",
                description = "Validity in days (default ${DEFAULT-VALUE}; never beyond the issuer's).")
        int days;
        @Option(names = "--password", paramLabel = "PASSWORD", arity = "0..1", fallbackValue = NewPassword.ASK,
                description = "Encrypt the new private key with this password (asked twice when given without a value).")
        char[] password;
        @Option(names = "--force", description = "Replace existing files in DIR.")
        boolean force;

        @Override
        int run(PrintWriter out, PrintWriter err) {
            KeyType type = keyType(keyType);
            password = NewPassword.resolve(password, "--password", "new intermediate key");
            CaFiles files = CaFiles.in(this.out);
            OutputFiles.checkAbsent(force, files.key(), files.certificate(), files.publicCer());
            CertificateIssuer issuer = CertificateIssuer.withSystemClock();
            KeyAndChain parent = ca.load(issuer);
            err.println("Issuing intermediate CA 'CN=" + commonName + "' from '" + Certificates.commonName(parent.certificate()) + "'...");
            KeyAndChain intermediate = issuer.createIntermediate(parent, commonName, type, days(days));
            try {
                files.write(intermediate, password(password), force);
            } finally {
                wipe(password);
            }
            CreatedSummary.print(err, intermediate, files.key(), password != null && password.length > 0);
            err.println("Wrote " + files.certificate() + " (certificate chain, PEM) and " + files.publicCer()
                    + " (upload it to the gateway after the root)");
            out.println(Certificates.publicCertData(intermediate.certificate()));
            return 0;
        }
    }
}
