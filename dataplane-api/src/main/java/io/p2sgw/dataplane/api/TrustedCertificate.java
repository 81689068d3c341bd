package io.p2sgw.dataplane.api;

import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * One entry of {@code vpnClientRootCertificates}: a trust anchor or an intermediate uploaded after
 * its root (azure-p2s.md §2.3). {@code thumbprint} is the lower-case SHA-1 hex of the DER.
 */
public record TrustedCertificate(String name, String thumbprint, X509Certificate certificate) {
    public TrustedCertificate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(thumbprint, "thumbprint");
        Objects.requireNonNull(certificate, "certificate");
    }
}
