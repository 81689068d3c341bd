package io.p2sgw.cli.pki;

import io.p2sgw.pki.toolkit.CertificateFiles;
import io.p2sgw.pki.toolkit.CertificateReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pki show}: what a certificate file holds, with notes on what would stop it from working for P2S. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Describe the certificates in a file.",
            "Subject, issuer, validity, key, CA flag, key usages, SANs, SHA-1 thumbprint; notes say what would keep one from working as a P2S root or client certificate.",
            "FILE may be PEM (all blocks are shown), Base-64 .cer, DER or .pfx/.p12 (then --password)."},
        footer = {"", "Example:", "  p2sgw pki show ./pki/root/ca.cer"})
final class ShowCommand extends PkiSubcommand {
    @Parameters(paramLabel = "FILE", description = "Certificate file.")
    Path file;
    @Option(names = "--password", paramLabel = "PASSWORD", interactive = true, prompt = "Password of the .pfx: ", arity = "0..1",
            description = "Password of a .pfx/.p12 file.")
    char[] password;

    @Override
    int run(PrintWriter out, PrintWriter err) {
        List<X509Certificate> certs;
        try {
            certs = CertificateFiles.readCertificates(file, Optional.ofNullable(password));
        } finally {
            wipe(password);
        }
        Instant now = Instant.now();
        for (int i = 0; i < certs.size(); i++) {
            if (certs.size() > 1) {
                out.println((i > 0 ? "\n" : "") + "Certificate " + (i + 1) + " of " + certs.size());
            }
            out.print(CertificateReport.describe(certs.get(i), now));
        }
        return 0;
    }
}
