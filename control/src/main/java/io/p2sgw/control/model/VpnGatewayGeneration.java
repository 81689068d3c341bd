package io.p2sgw.control.model;

import java.util.Locale;
import java.util.Optional;

/** {@code vpnGatewayGeneration} (azure-p2s.md §1.3). {@code None} is only valid for non-Vpn gateways. */
public enum VpnGatewayGeneration {
    NONE("None"),
    GENERATION1("Generation1"),
    GENERATION2("Generation2");

    private final String armName;

    VpnGatewayGeneration(String armName) {
        this.armName = armName;
    }

    public String armName() {
        return armName;
    }

    public static Optional<VpnGatewayGeneration> fromArmName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (VpnGatewayGeneration g : values()) {
            if (g.armName.toLowerCase(Locale.ROOT).equals(n)) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }
}
