package io.p2sgw.control.snapshot;

import io.p2sgw.control.model.Ipv4Cidr;
import io.p2sgw.control.model.RevokedCertificate;
import io.p2sgw.control.model.RootCertificate;
import io.p2sgw.control.model.VpnClientConfiguration;
import io.p2sgw.control.rules.CertificateData;
import io.p2sgw.pki.Certificates;
import io.p2sgw.control.service.GatewayState;
import io.p2sgw.dataplane.api.ConnectionLimits;
import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.SecretBytes;
import io.p2sgw.dataplane.api.TrustedCertificate;
import io.p2sgw.dataplane.api.TunnelType;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compiles the served gateway and its VNet into the data plane's desired state (DESIGN.md "Two
 * planes"). Pure: the same state gives an equal snapshot, so the publisher can skip no-op applies.
 */
public final class SnapshotCompiler {
    private SnapshotCompiler() {}

    /** The snapshot of an instance that serves the gateway's whole pool (the only instance, or active-standby). */
    public static GatewaySnapshot compile(GatewayState state, String serverName, long version) {
        return compile(state, serverName, version, 0, 1);
    }

    /**
     * The snapshot of instance {@code instanceIndex} of {@code instanceCount} sharing the pool (DESIGN.md "Scale";
     * {@code io.p2sgw.control.instance.Membership#roleFor} decides the two).
     */
    public static GatewaySnapshot compile(GatewayState state, String serverName, long version, int instanceIndex,
                                          int instanceCount) {
        return compile(state, serverName, version, instanceIndex, instanceCount, state.gateway().sku().limits());
    }

    /**
     * As above, with the connection caps given: the SKU's, with the sessions the gateway's other instances hold
     * ({@code ConnectionLimits.withElsewhere}, issue 17).
     */
    public static GatewaySnapshot compile(GatewayState state, String serverName, long version, int instanceIndex,
                                          int instanceCount, ConnectionLimits limits) {
        VpnClientConfiguration p2s = state.gateway().vpnClientConfiguration().orElse(null);
        List<String> pool = p2s == null ? List.of() : p2s.addressPool().stream().map(Ipv4Cidr::toString).toList();
        Set<TunnelType> types = p2s == null ? Set.of() : Set.copyOf(p2s.protocols());
        List<TrustedCertificate> trusted = new ArrayList<>();
        Set<String> revoked = new TreeSet<>();
        if (p2s != null) {
            for (RootCertificate r : p2s.rootCertificates()) {
                // Validated on write; a stored entry that no longer parses is skipped rather than trusted.
                CertificateData.parse(r.publicCertData()).ifPresent(
                        (X509Certificate cert) -> trusted.add(new TrustedCertificate(r.name(), Certificates.thumbprint(cert), cert)));
            }
            for (RevokedCertificate r : p2s.revokedCertificates()) {
                revoked.add(r.thumbprint().toLowerCase(Locale.ROOT));
            }
        }
        return new GatewaySnapshot(version, state.ref().id(), state.ref().name(), pool, types, trusted, revoked,
                routes(state), state.vnet().dnsServers(), limits, state.gateway().activeActive(),
                instanceIndex, instanceCount, secrets(types, state), serverName);
    }

    /** The static key goes only to a snapshot that serves OpenVPN: no other protocol has a use for it. */
    private static Map<TunnelType, SecretBytes> secrets(Set<TunnelType> types, GatewayState state) {
        return types.contains(TunnelType.OPENVPN) ? Map.of(TunnelType.OPENVPN, state.staticKey()) : Map.of();
    }

    /** Routes pushed to clients: the VNet address space, the pool, then custom routes (azure-p2s.md §4.6). */
    public static List<String> routes(GatewayState state) {
        LinkedHashSet<String> routes = new LinkedHashSet<>();
        state.vnet().addressPrefixes().forEach(p -> routes.add(p.toString()));
        state.gateway().vpnClientConfiguration().ifPresent(v -> v.addressPool().forEach(p -> routes.add(p.toString())));
        state.gateway().customRoutes().forEach(p -> routes.add(p.toString()));
        return List.copyOf(routes);
    }
}
