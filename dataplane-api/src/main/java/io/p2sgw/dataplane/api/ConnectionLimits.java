package io.p2sgw.dataplane.api;

/**
 * Concurrent-session caps from the SKU table (azure-p2s.md §2.6). SSTP and IKEv2/OpenVPN are counted
 * separately; SSTP is capped at 128 on every SKU. The caps are the gateway's, whatever the number of its instances
 * (issue 17): the sessions other instances of the gateway hold, as they last reported them, count against them too.
 *
 * @param sstp                     the SKU's SSTP cap
 * @param ikev2AndOpenVpn          the SKU's cap on IKEv2 and OpenVPN together
 * @param sstpElsewhere            SSTP sessions held by the gateway's other instances
 * @param ikev2AndOpenVpnElsewhere IKEv2 and OpenVPN sessions held by the gateway's other instances
 */
public record ConnectionLimits(int sstp, int ikev2AndOpenVpn, int sstpElsewhere, int ikev2AndOpenVpnElsewhere) {
    public ConnectionLimits {
        if (sstp < 0 || ikev2AndOpenVpn < 0 || sstpElsewhere < 0 || ikev2AndOpenVpnElsewhere < 0) {
            throw new IllegalArgumentException("limits and counts must not be negative");
        }
    }

    /** The caps of a gateway whose only instance is this one. */
    public ConnectionLimits(int sstp, int ikev2AndOpenVpn) {
        this(sstp, ikev2AndOpenVpn, 0, 0);
    }

    /** The cap that applies to a tunnel type. */
    public int forType(TunnelType type) {
        return type == TunnelType.SSTP ? sstp : ikev2AndOpenVpn;
    }

    /** The sessions sharing {@code type}'s cap that the gateway's other instances hold. */
    public int elsewhere(TunnelType type) {
        return type == TunnelType.SSTP ? sstpElsewhere : ikev2AndOpenVpnElsewhere;
    }

    /** The same caps with the other instances' sessions. */
    public ConnectionLimits withElsewhere(int sstpSessions, int ikev2AndOpenVpnSessions) {
        return new ConnectionLimits(sstp, ikev2AndOpenVpn, sstpSessions, ikev2AndOpenVpnSessions);
    }
}
