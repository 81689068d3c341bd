package io.p2sgw.dataplane.api;

/**
 * Concurrent-session caps from the SKU table (azure-p2s.md §2.6). SSTP and IKEv2/OpenVPN are counted
 * separately; SSTP is capped at 128 on every SKU.
 */
public record ConnectionLimits(int sstp, int ikev2AndOpenVpn) {
    public ConnectionLimits {
        if (sstp < 0 || ikev2AndOpenVpn < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
    }

    /** The cap that applies to a tunnel type. */
    public int forType(TunnelType type) {
        return type == TunnelType.SSTP ? sstp : ikev2AndOpenVpn;
    }
}
