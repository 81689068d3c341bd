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
import picocli.CommandLine.Option;

/** {@code pki root}: the self-signed root CA users upload to the gateway (azure-p2s.md §2.3, §5.1). */
@Command(name = "root", mixinStandardHelpOptions = true, description = "Self-signed root CA certificates.",
        subcommands = RootCommand.Create.class)
final class RootCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "Create a self-signed root CA like the docs' PowerShell recipe (RSA 2048, SHA-256, CA, keyCertSign).",
                "Writes DIR/ca.key.pem (private key, mode 0600, encrypted with --password), DIR/ca.pem and DIR/ca.cer.",
                "Prints the one-line publicCertData to upload with "
                        + "'p2sgw network vnet-gateway root-cert create --public-cert-data DIR/ca.cer'."},
            footer = {"", "Example:", "  p2sgw pki root create --cn P2SRootCert --out ./pki/root"})
    static final class Create extends PkiSubcommand {
        @Option(names = "--cn", required = true, paramLabel = "NAME", description = "Common name, e.g. P2SRootCert.")
        String commonName;
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the files (created if missing).")
        Path out;
        @Option(names = "--key-type", defaultValue = "rsa2048", paramLabel = "TYPE",
                description = "rsa2048 (default), rsa4096, ec256 or ec384.")
        String keyType;
        @Option(names = "--days", defaultValue = "3650", paramLabel = "N", description = "Validity in days (default ${DEFAULT-VALUE}).")
        int days;
        @Option(names = "--password", paramLabel = "PASSWORD", arity = "0..1", fallbackValue = NewPassword.ASK,
                description = "Encrypt the private key with this password (asked twice when given without a value).")
        char[] password;
        @Option(names = "--force", description = "Replace existing files in DIR.")
        boolean force;

        @Override
        int run(PrintWriter out, PrintWriter err) {
            KeyType type = keyType(keyType);
            password = NewPassword.resolve(password, "--password", "new root key");
            CaFiles files = CaFiles.in(this.out);
            OutputFiles.checkAbsent(force, files.key(), files.certificate(), files.publicCer());
            err.println("Generating a key (" + type.cliName() + ") and a self-signed root certificate 'CN=" + commonName + "'...");
            KeyAndChain root = CertificateIssuer.withSystemClock().createRoot(commonName, type, days(days));
            try {
                files.write(root, password(password), force);
            } finally {
                wipe(password);
            }
            CreatedSummary.print(err, root, files.key(), password != null && password.length > 0);
            err.println("Wrote " + files.certificate() + " (certificate, PEM)");
            err.println("Wrote " + files.publicCer() + " (Base-64 .cer; its body line is the publicCertData below)");
            err.println("Upload it: p2sgw network vnet-gateway root-cert create -g RG --gateway-name GW -n "
                    + resourceName(commonName) + " --public-cert-data " + files.publicCer());
            out.println(Certificates.publicCertData(root.certificate()));
            return 0;
        }

        /** A name the gateway takes for the root entry: a space is "Resource name ... is invalid" (azure-p2s.md §2.3). */
        static String resourceName(String commonName) {
            String s = commonName.strip().replaceAll("[^A-Za-z0-9_.-]", "-");
            return s.isEmpty() ? "root" : s;
        }
    }
}
