package io.p2sgw.cli.pki;

import io.p2sgw.cli.support.UsageException;
import io.p2sgw.pki.CertificateIssuer;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.KeyType;
import io.p2sgw.pki.toolkit.ClientFiles;
import io.p2sgw.pki.toolkit.OutputFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pki client}: client certificates with the Client Authentication EKU (azure-p2s.md §2.5, §5.1). */
@Command(name = "client", mixinStandardHelpOptions = true, description = "Client certificates.",
        subcommands = ClientCommand.Create.class)
final class ClientCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "Create a client certificate issued by a root or intermediate CA.",
                "The certificate has the Client Authentication EKU and SAN DNS = CN, like the docs' PowerShell recipe.",
                "Writes DIR/NAME.key.pem (private key, mode 0600), DIR/NAME.pem (certificate and its chain) and",
                "DIR/NAME.pfx (key + whole chain, for Windows, macOS, the Azure VPN Client and vpn-client generate --client-cert).",
                "NAME is the CN with characters other than letters, digits and . _ @ - replaced by _.",
                "Prints the certificate's SHA-1 thumbprint (what the revocation list takes)."},
            footer = {"", "Example:",
                "  p2sgw pki client create --ca ./pki/root --cn P2SChildCert \\",
                "      --out ./pki/clients --pfx-password",
                "(--pfx-password without a value asks for the password.)"})
    static final class Create extends PkiSubcommand {
        @Mixin
        CaSource ca;
        @Option(names = "--cn", required = true, paramLabel = "NAME",
                description = "Common name, e.g. P2SChildCert or name@example.com; shown as vpnUserName in session health.")
        String commonName;
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the files (created if missing).")
        Path out;
        @Option(names = "--pfx-password", required = true, paramLabel = "PASSWORD", arity = "0..1", fallbackValue = NewPassword.ASK,
                description = "Password protecting the .pfx (asked twice when given without a value).")
        char[] pfxPassword;
        @Option(names = "--key-password", paramLabel = "PASSWORD", arity = "0..1", fallbackValue = NewPassword.ASK,
                description = "Also encrypt NAME.key.pem with this password (asked twice when given without a value; default: not encrypted, mode 0600).")
        char[] keyPassword;
        @Option(names = "--key-type", defaultValue = "rsa2048", paramLabel = "TYPE", description = "rsa2048 (default), rsa4096, ec256 or ec384.")
        String keyType;
        @Option(names = "--days", defaultValue = "365", paramLabel = "N",
                description = "Validity in days (default ${DEFAULT-VALUE}, as New-SelfSignedCertificate; never beyond the issuer's).")
        int days;
        @Option(names = "--force", description = "Replace existing files.")
        boolean force;

        @Override
        int run(PrintWriter out, PrintWriter err) {
            try {
                return create(out, err);
            } finally {
                wipe(pfxPassword, keyPassword);
            }
        }

        private int create(PrintWriter out, PrintWriter err) {
            KeyType type = keyType(keyType);
            pfxPassword = NewPassword.resolve(pfxPassword, "--pfx-password", "new .pfx");
            keyPassword = NewPassword.resolve(keyPassword, "--key-password", "new client key file");
            if (pfxPassword == null || pfxPassword.length == 0) {
                throw new UsageException("--pfx-password must not be empty (Windows and macOS ask for it on import)");
            }
            ClientFiles files = ClientFiles.in(this.out, ClientFiles.baseName(commonName));
            OutputFiles.checkAbsent(force, files.key(), files.certificate(), files.pfx());
            CertificateIssuer issuer = CertificateIssuer.withSystemClock();
            KeyAndChain parent = ca.load(issuer);
            err.println("Issuing client certificate 'CN=" + commonName + "' from '" + Certificates.commonName(parent.certificate()) + "'...");
            KeyAndChain client = issuer.createClient(parent, commonName, type, days(days));
            files.write(client, pfxPassword, password(keyPassword), force);
            CreatedSummary.print(err, client, files.key(), keyPassword != null && keyPassword.length > 0);
            err.println("Wrote " + files.certificate() + " (certificate and chain, PEM)");
            err.println("Wrote " + files.pfx() + " (key and " + client.chain().size() + " certificates, password-protected, mode 0600)");
            out.println(Certificates.thumbprint(client.certificate()));
            return 0;
        }
    }
}
