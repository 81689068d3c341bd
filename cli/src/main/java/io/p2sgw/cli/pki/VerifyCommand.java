package io.p2sgw.cli.pki;

import io.p2sgw.pki.ChainValidation;
import io.p2sgw.pki.ChainValidator;
import io.p2sgw.pki.toolkit.CertificateFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pki verify}: runs the gateway's own client-certificate policy ({@link ChainValidator}, minus revocation)
 * locally, so a user can check a certificate against the roots they uploaded before connecting.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check a client certificate the way the gateway would.",
            "It must chain to one of the --trusted roots/intermediates, every certificate must be within its dates, and it needs the Client Authentication EKU.",
            "Exit code 0 when it would be accepted, 1 when not."},
        footer = {"", "Example:", "  p2sgw pki verify ./pki/clients/P2SChildCert.pem --trusted ./pki/root/ca.cer"})
final class VerifyCommand extends PkiSubcommand {
    @Parameters(paramLabel = "FILE", description = "Client certificate (PEM chain, .cer, DER or .pfx).")
    Path file;
    @Option(names = "--trusted", required = true, arity = "1..*", paramLabel = "CERT",
            description = "Uploaded root or intermediate certificate file(s).")
    List<Path> trusted;
    @Option(names = "--password", paramLabel = "PASSWORD", interactive = true, prompt = "Password of the .pfx: ", arity = "0..1",
            description = "Password of a .pfx/.p12 file.")
    char[] password;

    @Override
    int run(PrintWriter out, PrintWriter err) {
        List<X509Certificate> chain;
        try {
            chain = CertificateFiles.readCertificates(file, Optional.ofNullable(password));
        } finally {
            wipe(password);
        }
        List<X509Certificate> anchors = new ArrayList<>();
        for (Path t : trusted) {
            anchors.addAll(CertificateFiles.readCertificates(t, Optional.empty()));
        }
        return switch (ChainValidator.validate(chain, anchors, Instant.now())) {
            case ChainValidation.Valid v -> {
                out.println("OK: '" + v.commonName() + "' would be accepted (thumbprint " + v.thumbprint() + ")");
                yield 0;
            }
            case ChainValidation.Invalid bad -> {
                out.println("REJECTED (" + bad.reason() + "): " + bad.detail());
                yield EXIT_CHECK_FAILED;
            }
        };
    }
}
