package io.p2sgw.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A private key and its certificate chain, leaf first (the leaf certifies the key). What a
 * {@code .pfx} holds and what {@link CertificateIssuer} returns.
 */
public record KeyAndChain(PrivateKey key, List<X509Certificate> chain) {
    public KeyAndChain {
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a key needs at least its own certificate");
        }
    }

    /** The certificate of {@link #key()}. */
    public X509Certificate certificate() {
        return chain.getFirst();
    }

    @Override
    public String toString() {
        return "KeyAndChain[" + Certificates.thumbprint(certificate()) + "]";
    }
}
