package io.p2sgw.tls.eap;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * Decides whether the client that completed the TLS handshake may in: the carrier plugs in the gateway's one
 * certificate policy (root, validity, revoked thumbprints; DESIGN.md), so EAP-TLS refuses for the same reasons as
 * every other protocol and says so with EAP-Failure.
 */
@FunctionalInterface
public interface EapTlsPolicy {
    /** @param clientChain the chain the client presented, leaf first, never empty */
    Verdict check(List<X509Certificate> clientChain);

    /** Accepted, or refused with a reason for the log. */
    record Verdict(boolean accepted, String reason) {
        public Verdict {
            Objects.requireNonNull(reason, "reason");
        }

        public static Verdict accept() {
            return new Verdict(true, "accepted");
        }

        public static Verdict refuse(String reason) {
            return new Verdict(false, reason);
        }
    }
}
