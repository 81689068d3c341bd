package io.p2sgw.cli.pki;

import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.toolkit.CertificateFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pki thumbprint}: the SHA-1 thumbprint as the revocation list takes it (azure-p2s.md §2.4): 40 hex
 * digits, no spaces; the same value as Windows' Thumbprint field and {@code openssl x509 -fingerprint -sha1}.
 */
@Command(name = "thumbprint", mixinStandardHelpOptions = true,
        description = {"Print a certificate's SHA-1 thumbprint (the revocation list's form).",
            "40 hex digits without spaces, as 'network vnet-gateway revoked-cert create --thumbprint' takes it.",
            "FILE may be PEM, Base-64 .cer, DER or .pfx/.p12 (then --password); for a chain, the first certificate counts."},
        footer = {"", "Example:", "  p2sgw pki thumbprint ./pki/clients/P2SChildCert.pem"})
final class ThumbprintCommand extends PkiSubcommand {
    @Parameters(paramLabel = "FILE", description = "Certificate file.")
    Path file;
    @Option(names = "--password", paramLabel = "PASSWORD", interactive = true, prompt = "Password of the .pfx: ", arity = "0..1",
            description = "Password of a .pfx/.p12 file.")
    char[] password;
    @Option(names = "--upper", description = "Upper-case hex digits, as New-AzVpnClientRevokedCertificate's help shows them.")
    boolean upper;

    @Override
    int run(PrintWriter out, PrintWriter err) {
        try {
            String tp = Certificates.thumbprint(CertificateFiles.readCertificate(file, java.util.Optional.ofNullable(password)));
            out.println(upper ? tp.toUpperCase(java.util.Locale.ROOT) : tp);
            return 0;
        } finally {
            wipe(password);
        }
    }
}
