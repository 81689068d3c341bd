package io.p2sgw.testkit.pki;

import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certificate {@link TestPki} issued and its key pair.
 *
 * @param keys the certificate's key pair
 * @param chain the certificate first, then its issuers up to and including the root (what a TLS peer sends when it
 *     sends the whole chain)
 */
public record Issued(KeyPair keys, List<X509Certificate> chain) {
    public Issued {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("an issued certificate has at least itself in its chain");
        }
    }

    /** The certificate itself (the chain's first). */
    public X509Certificate certificate() {
        return chain.getFirst();
    }

    public PrivateKey privateKey() {
        return keys.getPrivate();
    }

    /** The SHA-1 thumbprint, lower-case hex: how the gateway names and revokes a certificate (azure-p2s.md §4). */
    public String thumbprint() {
        return Certificates.thumbprint(certificate());
    }

    /** The same key and chain as the product's type, for code that takes a {@link KeyAndChain}. */
    public KeyAndChain keyAndChain() {
        return new KeyAndChain(privateKey(), chain);
    }

    /** Writes the certificate alone as PEM (an OpenVPN {@code ca} or {@code cert} file). */
    public void writeCertificatePem(Path file) {
        write(file, Pem.certificatesToPem(List.of(certificate())));
    }

    /** Writes the private key as unencrypted PKCS#8 PEM (an OpenVPN {@code key} file). */
    public void writeKeyPem(Path file) {
        write(file, Pem.privateKeyToPem(privateKey()));
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
