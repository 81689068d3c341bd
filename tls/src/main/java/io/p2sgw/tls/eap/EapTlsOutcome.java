package io.p2sgw.tls.eap;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/** How an EAP-TLS conversation ended. */
public sealed interface EapTlsOutcome {
    /** The client's chain, leaf first; empty when TLS failed before the client's Certificate arrived. */
    List<X509Certificate> clientChain();

    /** EAP-Success: the policy accepted the chain and both sides hold the same MSK and EMSK. */
    record Accepted(List<X509Certificate> clientChain, EapTlsKeys keys, String tlsProtocol) implements EapTlsOutcome {
        public Accepted {
            clientChain = List.copyOf(clientChain);
            Objects.requireNonNull(keys, "keys");
            Objects.requireNonNull(tlsProtocol, "tlsProtocol");
        }
    }

    /** EAP-Failure, and why (the policy's reason, the TLS alert, or the framing error). */
    record Refused(List<X509Certificate> clientChain, EapError error) implements EapTlsOutcome {
        public Refused {
            clientChain = List.copyOf(clientChain);
            Objects.requireNonNull(error, "error");
        }
    }
}
