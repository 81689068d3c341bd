package io.p2sgw.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The gateway's own TLS/IKE identity: the server key, its chain (leaf first, ending with the CA that
 * clients trust) and that CA, which goes into client packages as {@code VpnServerRoot.cer} and the
 * OpenVPN {@code <ca>} (DESIGN.md "Choices already made"; azure-p2s.md §3.2, §4.1).
 */
public record ServerIdentity(PrivateKey privateKey, List<X509Certificate> chain, X509Certificate caCertificate) {
    public ServerIdentity {
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(chain);
        Objects.requireNonNull(caCertificate, "caCertificate");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("server chain is empty");
        }
    }

    public X509Certificate certificate() {
        return chain.getFirst();
    }

    @Override
    public String toString() {
        return "ServerIdentity[server=" + Certificates.thumbprint(certificate())
                + ", ca=" + Certificates.thumbprint(caCertificate) + "]";
    }
}
