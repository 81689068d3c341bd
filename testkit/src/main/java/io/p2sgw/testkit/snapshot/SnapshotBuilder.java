package io.p2sgw.testkit.snapshot;

import io.p2sgw.dataplane.api.ConnectionLimits;
import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.SecretBytes;
import io.p2sgw.dataplane.api.TrustedCertificate;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.pki.Certificates;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link GatewaySnapshot} for tests, starting from the seed gateway (azure-p2s.md §1.4: VNet1 10.1.0.0/16,
 * gateway VNet1GW on VpnGw2, pool 172.16.201.0/24, OpenVPN) so that a test names only what it is about. Unless set,
 * the routes are the VNet and the pool (what the control plane's compiler pushes), there are no trusted roots, no
 * revocations, no DNS servers and no tunnel secrets, and the gateway is one instance. Not thread-safe; build once.
 */
public final class SnapshotBuilder {
    public static final String SEED_GATEWAY_ID =
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/TestRG1/providers/Microsoft.Network/virtualNetworkGateways/VNet1GW";
    public static final String SEED_POOL = "172.16.201.0/24";
    public static final String SEED_VNET = "10.1.0.0/16";
    /** VpnGw2's caps (azure-p2s.md §2.6): 128 SSTP, 500 IKEv2 and OpenVPN. */
    public static final ConnectionLimits VPNGW2_LIMITS = new ConnectionLimits(128, 500);

    private long version = 1;
    private String gatewayId = SEED_GATEWAY_ID;
    private String gatewayName = "VNet1GW";
    private List<String> addressPool = List.of(SEED_POOL);
    private Set<TunnelType> tunnelTypes = Set.of(TunnelType.OPENVPN);
    private final List<TrustedCertificate> trusted = new ArrayList<>();
    private Set<String> revoked = Set.of();
    private List<String> routes;
    private List<String> dnsServers = List.of();
    private ConnectionLimits limits = VPNGW2_LIMITS;
    private boolean activeActive;
    private int instanceIndex;
    private int instanceCount = 1;
    private final Map<TunnelType, SecretBytes> tunnelSecrets = new HashMap<>();
    private String serverName = "vnet1gw.p2sgw.test";

    private SnapshotBuilder() {
    }

    /** The seed gateway, version 1. */
    public static SnapshotBuilder seed() {
        return new SnapshotBuilder();
    }

    public SnapshotBuilder version(long v) {
        version = v;
        return this;
    }

    public SnapshotBuilder gatewayId(String id) {
        gatewayId = id;
        return this;
    }

    public SnapshotBuilder gatewayName(String name) {
        gatewayName = name;
        return this;
    }

    /** The client address pool (one or more CIDR prefixes). */
    public SnapshotBuilder pool(String... prefixes) {
        addressPool = List.of(prefixes);
        return this;
    }

    public SnapshotBuilder tunnelTypes(TunnelType... types) {
        return tunnelTypes(Set.of(types));
    }

    public SnapshotBuilder tunnelTypes(Set<TunnelType> types) {
        tunnelTypes = Set.copyOf(types);
        return this;
    }

    /**
     * Adds trusted roots (or intermediates), each named by its CN and identified by its thumbprint as the control
     * plane's compiler does with {@code vpnClientRootCertificates}.
     */
    public SnapshotBuilder trust(X509Certificate... certificates) {
        return trust(Arrays.asList(certificates));
    }

    public SnapshotBuilder trust(Collection<X509Certificate> certificates) {
        for (X509Certificate c : certificates) {
            trusted.add(new TrustedCertificate(Certificates.commonName(c), Certificates.thumbprint(c), c));
        }
        return this;
    }

    /** Adds a trusted-certificate entry as given (a name or thumbprint the compiler would not make). */
    public SnapshotBuilder trust(TrustedCertificate entry) {
        trusted.add(entry);
        return this;
    }

    /** The revoked thumbprints (lower-case hex). */
    public SnapshotBuilder revoked(Set<String> thumbprints) {
        revoked = Set.copyOf(thumbprints);
        return this;
    }

    /** The routes to push; by default the VNet and the pool. */
    public SnapshotBuilder routes(List<String> prefixes) {
        routes = List.copyOf(prefixes);
        return this;
    }

    public SnapshotBuilder dnsServers(List<String> servers) {
        dnsServers = List.copyOf(servers);
        return this;
    }

    public SnapshotBuilder limits(ConnectionLimits l) {
        limits = l;
        return this;
    }

    /** An active-active gateway's instance {@code index} of {@code count}. */
    public SnapshotBuilder activeActive(int index, int count) {
        activeActive = true;
        instanceIndex = index;
        instanceCount = count;
        return this;
    }

    public SnapshotBuilder tunnelSecret(TunnelType type, SecretBytes secret) {
        tunnelSecrets.put(type, secret);
        return this;
    }

    /** The name clients connect to (the server certificate's name). */
    public SnapshotBuilder serverName(String name) {
        serverName = name;
        return this;
    }

    public GatewaySnapshot build() {
        List<String> pushed = routes;
        if (pushed == null) {
            pushed = new ArrayList<>(List.of(SEED_VNET));
            pushed.addAll(addressPool);
        }
        return new GatewaySnapshot(version, gatewayId, gatewayName, addressPool, tunnelTypes, trusted, revoked, pushed, dnsServers,
                limits, activeActive, instanceIndex, instanceCount, tunnelSecrets, serverName);
    }
}
