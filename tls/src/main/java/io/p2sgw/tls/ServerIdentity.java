package io.p2sgw.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The server's TLS identity: its private key and its certificate chain, leaf first. Given as plain JCA
 * values so that this module does not depend on how certificates are issued.
 */
public record ServerIdentity(PrivateKey privateKey, List<X509Certificate> chain) {
    public ServerIdentity {
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a server chain has at least the leaf certificate");
        }
    }

    @Override
    public String toString() {
        return "ServerIdentity[" + chain.getFirst().getSubjectX500Principal().getName() + ", key redacted]";
    }
}
