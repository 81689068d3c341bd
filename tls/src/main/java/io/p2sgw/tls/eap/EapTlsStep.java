package io.p2sgw.tls.eap;

import java.util.Objects;

/** What the carrier does after {@link EapTlsServer#receive}. */
public sealed interface EapTlsStep {
    /**
     * Send this EAP-Request (its bytes are the whole EAP packet); retransmit the same bytes on the carrier's timeout
     * until the next Response arrives (RFC 3748 §4.3).
     */
    record Send(byte[] packet) implements EapTlsStep {
        public Send {
            Objects.requireNonNull(packet, "packet");
        }
    }

    /** The packet was dropped silently (RFC 3748 §4.1); nothing to send, the outstanding Request stays as it was. */
    record Discard(EapError error) implements EapTlsStep {
        public Discard {
            Objects.requireNonNull(error, "error");
        }
    }

    /** Send this EAP-Success or EAP-Failure; the method is over and the outcome says how. */
    record Finish(byte[] packet, EapTlsOutcome outcome) implements EapTlsStep {
        public Finish {
            Objects.requireNonNull(packet, "packet");
            Objects.requireNonNull(outcome, "outcome");
        }

        public boolean success() {
            return outcome instanceof EapTlsOutcome.Accepted;
        }
    }
}
