package io.p2sgw.dataplane.api;

import java.util.Locale;
import java.util.Optional;

/** The P2S tunnel types, with the spelling ARM uses in {@code vpnClientProtocols} (azure-p2s.md §1.4). */
public enum TunnelType {
    OPENVPN("OpenVPN"),
    IKEV2("IkeV2"),
    SSTP("SSTP");

    private final String armName;

    TunnelType(String armName) {
        this.armName = armName;
    }

    /** The canonical ARM spelling, echoed in responses. */
    public String armName() {
        return armName;
    }

    /** Case-insensitive lookup: the enum is "modelAsString" and tools send other casings (azure-p2s.md §1.4). */
    public static Optional<TunnelType> fromArmName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (TunnelType t : values()) {
            if (t.armName.toLowerCase(Locale.ROOT).equals(n)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
