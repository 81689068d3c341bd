package io.p2sgw.cli.pki;

import io.p2sgw.cli.support.UsageException;
import io.p2sgw.pki.CertificateIssuer;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.toolkit.CaFiles;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the issuing CA comes from: a directory made by {@code pki root create}/{@code pki intermediate create},
 * or a certificate and key made elsewhere (openssl's caCert.pem/caKey.pem, azure-p2s.md §5.3, §5.4).
 */
final class CaSource {
    @Option(names = "--ca", paramLabel = "DIR",
            description = "CA directory written by 'pki root create' or 'pki intermediate create' (ca.pem, ca.key.pem).")
    Path dir;
    @Option(names = "--ca-cert", paramLabel = "FILE", description = "CA certificate (PEM/DER) made elsewhere; use with --ca-key.")
    Path certificate;
    @Option(names = "--ca-key", paramLabel = "FILE", description = "Private key (PEM) of --ca-cert.")
    Path key;
    @Option(names = "--ca-password", paramLabel = "PASSWORD", interactive = true, prompt = "Password of the CA key: ", arity = "0..1",
            description = "Password of an encrypted CA key (prompted when given without a value).")
    char[] password;

    /** Loads the CA and checks that it can issue (key matches, is a CA, is valid now). */
    KeyAndChain load(CertificateIssuer issuer) {
        KeyAndChain ca;
        if (dir != null) {
            if (certificate != null || key != null) {
                throw new UsageException("give either --ca DIR or --ca-cert and --ca-key, not both");
            }
            ca = CaFiles.in(dir).read(PkiSubcommand.password(password));
        } else if (certificate != null && key != null) {
            ca = CaFiles.load(certificate, key, PkiSubcommand.password(password));
        } else {
            throw new UsageException("the issuing CA is missing: give --ca DIR (made by 'p2sgw pki root create') "
                    + "or both --ca-cert FILE and --ca-key FILE");
        }
        PkiSubcommand.wipe(password);
        issuer.checkIssuer(ca);
        return ca;
    }
}
