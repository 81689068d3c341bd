package io.p2sgw.dataplane.api;

import java.util.Objects;

/**
 * Whether the data plane serves one enabled tunnel type (for the status endpoint): a type can be enabled in
 * {@code vpnClientProtocols} before this build has a server for it (IKEv2 and SSTP, for now), or its listener can
 * have failed.
 *
 * @param served true when a listener for the type is up and clients of that type can connect
 * @param detail where it is served ("TCP 443, OpenVPN-UDP"), or why not, in words for an operator
 */
public record TunnelTypeStatus(TunnelType tunnelType, boolean served, String detail) {
    public TunnelTypeStatus {
        Objects.requireNonNull(tunnelType, "tunnelType");
        Objects.requireNonNull(detail, "detail");
    }
}
