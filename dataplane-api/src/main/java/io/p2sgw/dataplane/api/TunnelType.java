package io.p2sgw.dataplane.api;

import java.util.Locale;
import java.util.Optional;

/** The P2S tunnel types, with the spelling ARM uses in {@code vpnClientProtocols} (azure-p2s.md §1.4). */
public enum TunnelType {
    OPENVPN("OpenVPN", "OpenVPN"),
    IKEV2("IkeV2", "IKEv2"),
    SSTP("SSTP", "SSTP");

    private final String armName;
    private final String connectionIdPrefix;

    TunnelType(String armName, String connectionIdPrefix) {
        this.armName = armName;
        this.connectionIdPrefix = connectionIdPrefix;
    }

    /**
     * How the protocol is spelled in a session's {@code vpnConnectionId}, {@code <prefix>_<GUID>}: azure-p2s.md §6.1
     * shows {@code IKEv2_1e1cfe59-...} (spelled unlike the ARM enum); {@code OpenVPN_} and {@code SSTP_} follow it.
     */
    public String connectionIdPrefix() {
        return connectionIdPrefix;
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
