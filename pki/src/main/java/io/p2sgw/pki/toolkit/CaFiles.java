package io.p2sgw.pki.toolkit;

import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.Keys;
import io.p2sgw.pki.Pem;
import io.p2sgw.pki.PkiException;
import io.p2sgw.pki.toolkit.OutputFiles.Sensitivity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The files of a CA directory, as {@code pki root create} and {@code pki intermediate create} write them and
 * {@code --ca DIR} reads them:
 * <ul>
 *   <li>{@value #KEY_FILE}: the private key, PKCS#8 PEM, encrypted when a password was given, mode 0600;</li>
 *   <li>{@value #CERT_FILE}: the CA certificate, then its issuers up to the root (PEM);</li>
 *   <li>{@value #CER_FILE}: the CA certificate as a Base-64 {@code .cer} whose single body line is exactly the
 *       gateway's {@code publicCertData} (azure-p2s.md §2.3).</li>
 * </ul>
 */
public record CaFiles(Path key, Path certificate, Path publicCer) {
    public static final String KEY_FILE = "ca.key.pem";
    public static final String CERT_FILE = "ca.pem";
    public static final String CER_FILE = "ca.cer";

    public static CaFiles in(Path dir) {
        return new CaFiles(dir.resolve(KEY_FILE), dir.resolve(CERT_FILE), dir.resolve(CER_FILE));
    }

    /** Writes the three files; nothing is written if one exists and {@code overwrite} is false. */
    public void write(KeyAndChain ca, Optional<char[]> keyPassword, boolean overwrite) {
        OutputFiles.createDirectory(key.toAbsolutePath().getParent());
        OutputFiles.checkAbsent(overwrite, key, certificate, publicCer);
        String keyPem = keyPassword.map(pw -> Pem.privateKeyToPem(ca.key(), pw)).orElseGet(() -> Pem.privateKeyToPem(ca.key()));
        OutputFiles.write(key, keyPem, Sensitivity.SECRET);
        OutputFiles.write(certificate, Pem.certificatesToPem(ca.chain()), Sensitivity.PUBLIC);
        OutputFiles.write(publicCer, Certificates.toOneLinePem(ca.certificate()), Sensitivity.PUBLIC);
    }

    /** Reads the CA key and chain from this directory (see {@link #load}). */
    public KeyAndChain read(Optional<char[]> keyPassword) {
        Path dir = key.toAbsolutePath().getParent();
        if (!Files.exists(dir)) {
            throw new PkiException("the CA directory " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new PkiException(dir + " is not a directory");
        }
        if (!Files.exists(key) || !Files.exists(certificate)) {
            throw new PkiException(dir + " has no " + KEY_FILE + " and " + CERT_FILE
                    + ": give a directory made by 'p2sgw pki root create' or 'pki intermediate create', "
                    + "or name the files with --ca-cert and --ca-key");
        }
        return load(certificate, key, keyPassword);
    }

    /**
     * Reads a CA certificate (first certificate of the file; further ones are its issuers) and its private
     * key, e.g. {@code caCert.pem}/{@code caKey.pem} made by openssl or strongSwan (azure-p2s.md §5.3, §5.4).
     * Fails when the key does not belong to the certificate. Whether the certificate may issue is
     * {@link io.p2sgw.pki.CertificateIssuer#checkIssuer}'s job.
     */
    public static KeyAndChain load(Path certificateFile, Path keyFile, Optional<char[]> keyPassword) {
        List<X509Certificate> chain = CertificateFiles.readCertificates(certificateFile, Optional.empty());
        PrivateKey privateKey = CertificateFiles.readPrivateKey(keyFile, keyPassword);
        X509Certificate ca = chain.getFirst();
        if (!Keys.matches(privateKey, ca.getPublicKey())) {
            throw new PkiException("the private key in " + keyFile + " does not match the certificate '"
                    + Certificates.commonName(ca) + "' in " + certificateFile);
        }
        return new KeyAndChain(privateKey, chain);
    }
}
