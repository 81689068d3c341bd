package io.p2sgw.control.model;

import io.p2sgw.dataplane.api.ConnectionLimits;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * VPN gateway SKUs with the generations they exist in and their P2S connection limits
 * (azure-p2s.md §2.6, SKU table). SSTP is capped at 128 on every SKU; IKEv2 and OpenVPN share the
 * second, per-SKU cap. Legacy Standard/HighPerformance and ExpressRoute SKUs are not modelled: a
 * P2S gateway cannot use them.
 */
public enum GatewaySku {
    BASIC("Basic", EnumSet.of(VpnGatewayGeneration.GENERATION1), 0),
    VPNGW1("VpnGw1", EnumSet.of(VpnGatewayGeneration.GENERATION1), 250),
    VPNGW2("VpnGw2", EnumSet.of(VpnGatewayGeneration.GENERATION1, VpnGatewayGeneration.GENERATION2), 500),
    VPNGW3("VpnGw3", EnumSet.of(VpnGatewayGeneration.GENERATION1, VpnGatewayGeneration.GENERATION2), 1000),
    VPNGW4("VpnGw4", EnumSet.of(VpnGatewayGeneration.GENERATION2), 5000),
    VPNGW5("VpnGw5", EnumSet.of(VpnGatewayGeneration.GENERATION2), 10000),
    VPNGW1AZ("VpnGw1AZ", EnumSet.of(VpnGatewayGeneration.GENERATION1), 250),
    VPNGW2AZ("VpnGw2AZ", EnumSet.of(VpnGatewayGeneration.GENERATION1, VpnGatewayGeneration.GENERATION2), 500),
    VPNGW3AZ("VpnGw3AZ", EnumSet.of(VpnGatewayGeneration.GENERATION1, VpnGatewayGeneration.GENERATION2), 1000),
    VPNGW4AZ("VpnGw4AZ", EnumSet.of(VpnGatewayGeneration.GENERATION2), 5000),
    VPNGW5AZ("VpnGw5AZ", EnumSet.of(VpnGatewayGeneration.GENERATION2), 10000);

    /** "SSTP is capped at 128 concurrent connections regardless of the gateway SKU" (azure-p2s.md §2.6). */
    public static final int SSTP_LIMIT = 128;

    private final String armName;
    private final Set<VpnGatewayGeneration> generations;
    private final int ikev2AndOpenVpnLimit;

    GatewaySku(String armName, Set<VpnGatewayGeneration> generations, int ikev2AndOpenVpnLimit) {
        this.armName = armName;
        this.generations = generations;
        this.ikev2AndOpenVpnLimit = ikev2AndOpenVpnLimit;
    }

    public String armName() {
        return armName;
    }

    public Set<VpnGatewayGeneration> generations() {
        return EnumSet.copyOf(generations);
    }

    /** The generation a gateway gets when the request does not name one. */
    public VpnGatewayGeneration defaultGeneration() {
        return generations.contains(VpnGatewayGeneration.GENERATION1) ? VpnGatewayGeneration.GENERATION1
                : VpnGatewayGeneration.GENERATION2;
    }

    public ConnectionLimits limits() {
        return new ConnectionLimits(SSTP_LIMIT, ikev2AndOpenVpnLimit);
    }

    /** Basic supports SSTP only and has no active-active (azure-p2s.md §2.2). */
    public boolean isBasic() {
        return this == BASIC;
    }

    public static Optional<GatewaySku> fromArmName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (GatewaySku s : values()) {
            if (s.armName.toLowerCase(Locale.ROOT).equals(n)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
