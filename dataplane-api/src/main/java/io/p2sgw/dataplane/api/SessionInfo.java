package io.p2sgw.dataplane.api;

import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * A live session as {@code getVpnClientConnectionHealth} reports it (azure-p2s.md §6.1).
 *
 * @param vpnConnectionId {@code <Protocol>_<GUID>}, e.g. {@code OpenVPN_1e1cfe59-...}; the protocol part is the
 *                        tunnel type's {@link TunnelType#connectionIdPrefix()}, so the id alone says the protocol
 * @param userName        the client certificate's subject CN
 * @param thumbprint      SHA-1 thumbprint of the client certificate, 40 lower-case hex digits
 * @param publicAddress   the client's outer address and port
 * @param privateAddress  the address from the pool, dotted quad
 * @param ingressBytes    bytes from the client into the VNet
 * @param egressBytes     bytes from the VNet to the client
 */
public record SessionInfo(
        String vpnConnectionId,
        TunnelType tunnelType,
        String userName,
        String thumbprint,
        InetSocketAddress publicAddress,
        String privateAddress,
        Instant startTime,
        long ingressBytes,
        long egressBytes,
        long ingressPackets,
        long egressPackets) {
    public SessionInfo {
        java.util.Objects.requireNonNull(tunnelType, "tunnelType");
        if (!vpnConnectionId.startsWith(tunnelType.connectionIdPrefix() + "_")) {
            throw new IllegalArgumentException("the connection id of a " + tunnelType.armName() + " session starts with "
                    + tunnelType.connectionIdPrefix() + "_, got " + vpnConnectionId);
        }
    }
}
