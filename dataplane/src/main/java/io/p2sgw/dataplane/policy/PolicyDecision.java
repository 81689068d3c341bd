package io.p2sgw.dataplane.policy;

import io.p2sgw.dataplane.spi.RefusalReason;

/** The certificate policy's verdict on a client chain. */
public sealed interface PolicyDecision {
    /** The chain is acceptable; identifies the client. */
    record Accepted(String thumbprint, String commonName) implements PolicyDecision {}

    /**
     * The chain is refused.
     *
     * @param thumbprint the leaf's thumbprint, or "unknown" when the leaf could not be read
     * @param commonName the leaf's CN, or "unknown"
     * @param detail     why, for the log line
     */
    record Rejected(RefusalReason reason, String thumbprint, String commonName, String detail) implements PolicyDecision {}
}
