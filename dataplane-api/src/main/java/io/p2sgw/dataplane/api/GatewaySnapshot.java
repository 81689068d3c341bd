package io.p2sgw.dataplane.api;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The full desired state of one gateway's point-to-site service, compiled by the control plane from
 * its store. Immutable and versioned; {@link DataPlane#apply} is idempotent and diffs old against new.
 *
 * @param version          increases with every change the control plane makes to the gateway
 * @param gatewayId        the ARM resource id of the virtualNetworkGateway
 * @param gatewayName      the gateway's name (log lines, session ids)
 * @param addressPool      {@code vpnClientAddressPool.addressPrefixes} as CIDR strings, e.g. "172.16.201.0/24"
 * @param tunnelTypes      enabled {@code vpnClientProtocols}; an empty set means P2S is not configured
 * @param trustedCertificates {@code vpnClientRootCertificates} (roots and intermediates)
 * @param revokedThumbprints {@code vpnClientRevokedCertificates} thumbprints, 40 lower-case hex digits
 * @param routes           prefixes pushed to clients: VNet address space, the pool, custom routes (azure-p2s.md §4.6)
 * @param dnsServers       the VNet's {@code dhcpOptions.dnsServers} (azure-p2s.md §4.7)
 * @param limits           per-SKU session caps
 * @param activeActive     whether the pool is split between two instances (azure-p2s.md §2.1)
 * @param instanceIndex    0 or 1: which slice of an active-active pool this instance serves
 * @param openVpnStaticKey the gateway's 256-byte OpenVPN static key (tls-auth / tls-crypt), "OpenVPN Static key V1"
 * @param serverName       the DNS name clients use for the gateway (server certificate SAN, IKE IDr, verify-x509-name)
 */
public record GatewaySnapshot(
        long version,
        String gatewayId,
        String gatewayName,
        List<String> addressPool,
        Set<TunnelType> tunnelTypes,
        List<TrustedCertificate> trustedCertificates,
        Set<String> revokedThumbprints,
        List<String> routes,
        List<String> dnsServers,
        ConnectionLimits limits,
        boolean activeActive,
        int instanceIndex,
        StaticKey openVpnStaticKey,
        String serverName) {

    public GatewaySnapshot {
        Objects.requireNonNull(gatewayId, "gatewayId");
        Objects.requireNonNull(gatewayName, "gatewayName");
        addressPool = List.copyOf(addressPool);
        tunnelTypes = Set.copyOf(tunnelTypes);
        trustedCertificates = List.copyOf(trustedCertificates);
        revokedThumbprints = Set.copyOf(revokedThumbprints);
        routes = List.copyOf(routes);
        dnsServers = List.copyOf(dnsServers);
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(openVpnStaticKey, "openVpnStaticKey");
        Objects.requireNonNull(serverName, "serverName");
        if (instanceIndex < 0 || instanceIndex > 1) {
            throw new IllegalArgumentException("instanceIndex must be 0 or 1");
        }
    }

    /** True when the point-to-site service has something to serve. */
    public boolean p2sConfigured() {
        return !tunnelTypes.isEmpty() && !addressPool.isEmpty();
    }
}
