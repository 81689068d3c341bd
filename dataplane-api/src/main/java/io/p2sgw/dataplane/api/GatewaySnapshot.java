package io.p2sgw.dataplane.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The full desired state of one gateway's point-to-site service, compiled by the control plane from
 * its store. Immutable and versioned; {@link DataPlane#apply} is idempotent and diffs old against new.
 *
 * <p>Every component is a value (lists, sets, maps, records, {@link SecretBytes}; never an array), so
 * {@link #equals} compares the whole desired state and {@link #sameDesiredState} can tell whether anything but the
 * version changed: a field added later is compared without anyone having to remember it.
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
 * @param activeActive     the gateway's {@code activeActive} setting (azure-p2s.md §2.1)
 * @param instanceIndex    which slice of the pool this instance serves, {@code 0 <= instanceIndex < instanceCount}
 * @param instanceCount    how many instances share the pool: 1 (this instance serves the whole pool, also when
 *                         {@code activeActive} is set but no second instance exists) or 2 (Azure's active-active split)
 * @param tunnelSecrets    per tunnel type, the gateway-wide secret its protocol needs, as raw bytes whose format is
 *                         the protocol's business (OpenVPN: the 256-byte tls-auth / tls-crypt static key, openvpn.md
 *                         §4.1); a type without one has no entry
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
        int instanceCount,
        Map<TunnelType, SecretBytes> tunnelSecrets,
        String serverName) {

    /** Azure's active-active gateway has two instances (azure-p2s.md §2.1). */
    public static final int MAX_INSTANCES = 2;

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
        tunnelSecrets = Map.copyOf(tunnelSecrets);
        Objects.requireNonNull(serverName, "serverName");
        if (instanceCount < 1 || instanceCount > MAX_INSTANCES) {
            throw new IllegalArgumentException("instanceCount must be 1.." + MAX_INSTANCES + ", got " + instanceCount);
        }
        if (instanceCount > 1 && !activeActive) {
            throw new IllegalArgumentException("only an active-active gateway has more than one instance");
        }
        if (instanceIndex < 0 || instanceIndex >= instanceCount) {
            throw new IllegalArgumentException("instanceIndex must be 0.." + (instanceCount - 1) + ", got " + instanceIndex);
        }
    }

    /** True when the point-to-site service has something to serve. */
    public boolean p2sConfigured() {
        return !tunnelTypes.isEmpty() && !addressPool.isEmpty();
    }

    /** The secret of {@code type}'s protocol, if the control plane gave one. */
    public Optional<SecretBytes> secretOf(TunnelType type) {
        return Optional.ofNullable(tunnelSecrets.get(type));
    }

    /** This snapshot with another version number. */
    public GatewaySnapshot withVersion(long newVersion) {
        return new GatewaySnapshot(newVersion, gatewayId, gatewayName, addressPool, tunnelTypes, trustedCertificates,
                revokedThumbprints, routes, dnsServers, limits, activeActive, instanceIndex, instanceCount, tunnelSecrets,
                serverName);
    }

    /** True when {@code other} asks for the same state, whatever the versions: every other component is equal. */
    public boolean sameDesiredState(GatewaySnapshot other) {
        return withVersion(other.version).equals(other);
    }
}
