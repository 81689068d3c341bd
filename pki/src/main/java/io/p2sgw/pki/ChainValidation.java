package io.p2sgw.pki;

import java.security.cert.X509Certificate;
import java.util.Objects;

/** The outcome of {@link ChainValidator#validate}. */
public sealed interface ChainValidation {

    /**
     * The chain leads to a trusted certificate, every certificate on the path is within its validity
     * dates, and the leaf may be used for client authentication.
     *
     * @param thumbprint SHA-1 of the leaf (compare with the revocation list, azure-p2s.md §2.4)
     * @param commonName the leaf's CN, shown as vpnUserName (azure-p2s.md §2.5)
     */
    record Valid(X509Certificate leaf, String thumbprint, String commonName) implements ChainValidation {
        public Valid {
            Objects.requireNonNull(leaf, "leaf");
            Objects.requireNonNull(thumbprint, "thumbprint");
            Objects.requireNonNull(commonName, "commonName");
        }
    }

    /** Why the chain was refused; {@code detail} is for logs and names certificates by subject/thumbprint only. */
    record Invalid(Reason reason, String detail) implements ChainValidation {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    enum Reason {
        /** No path by signature to any uploaded root or intermediate. */
        UNTRUSTED,
        /** A certificate on the path is expired or not yet valid. */
        EXPIRED,
        /** The leaf's Extended Key Usage lacks Client Authentication (azure-p2s.md §2.5). */
        NO_CLIENT_AUTH_EKU,
        /** Empty chain or a certificate whose extensions cannot be parsed. */
        MALFORMED
    }
}
