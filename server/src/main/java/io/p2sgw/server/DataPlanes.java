package io.p2sgw.server;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.p2sgw.dataplane.core.DataPlaneConfig;
import io.p2sgw.dataplane.core.GatewayDataPlane;
import io.p2sgw.dataplane.preauth.PreAuthLimits;
import io.p2sgw.dataplane.transport.StreamAcceptor;
import io.p2sgw.ikev2.engine.IkeFragmentCounters;
import io.p2sgw.ikev2.server.IkeV2ServerConfig;
import io.p2sgw.ikev2.server.IkeV2Service;
import io.p2sgw.openvpn.server.OpenVpnServerConfig;
import io.p2sgw.openvpn.server.OpenVpnStreamProtocol;
import io.p2sgw.openvpn.server.OpenVpnUdpService;
import io.p2sgw.pki.ServerIdentity;
import io.p2sgw.sstp.server.SstpServerConfig;
import io.p2sgw.sstp.server.SstpStreamProtocol;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;

/**
 * Builds the real data plane: the shared TCP listener (443) with the OpenVPN and SSTP stream protocols (the core's
 * probe tells OpenVPN's length-prefixed reset from SSTP's TLS ClientHello; each serves only while its tunnel type is
 * in {@code vpnClientProtocols}), OpenVPN on UDP (1194), IKEv2 on UDP 500 and 4500, and the TUN device (DESIGN.md
 * "Ports"). Every protocol uses the one gateway server identity, whose CA is in the client package.
 */
final class DataPlanes {
    private DataPlanes() {}

    record Options(InetAddress bindAddress, int tcpPort, int openVpnUdpPort, int ikePort, int ikeNatPort,
            java.time.Duration ikeDpdIdle, boolean ikeLegacyDhGroups, java.time.Duration ikeChildLifetime,
            boolean eapTlsKeysWithoutExtendedMasterSecret,
            java.time.Duration sstpHelloInterval, String tunName, boolean manageTun, PreAuthLimits preAuthLimits) {}

    static IkeV2ServerConfig ikeConfig(PrivateKey key, List<X509Certificate> chain, Options o) {
        return IkeV2ServerConfig.of(key, chain).withPorts(o.ikePort(), o.ikeNatPort()).withDpdIdle(o.ikeDpdIdle())
                .withLegacyWindows(o.ikeLegacyDhGroups())
                .withChildLifetime(new io.p2sgw.ikev2.engine.ChildLifetime(o.ikeChildLifetime()))
                .withEapTlsKeysWithoutExtendedMasterSecret(o.eapTlsKeysWithoutExtendedMasterSecret());
    }

    static SstpServerConfig sstpConfig(PrivateKey key, List<X509Certificate> chain, Options o) {
        return SstpServerConfig.of(key, chain, DataPlaneConfig.TUNNEL_MTU).withHelloInterval(o.sstpHelloInterval())
                .withEapTlsKeysWithoutExtendedMasterSecret(o.eapTlsKeysWithoutExtendedMasterSecret());
    }

    /**
     * {@code p2sgw_ike_fragments_total{direction}} and {@code p2sgw_ike_fragmented_messages_total{direction}}: IKE
     * fragmentation (RFC 7383) in and out, read from the IKEv2 engine's process-wide counters.
     */
    static void registerIkeFragmentMetrics(MeterRegistry registry) {
        FunctionCounter.builder("p2sgw.ike.fragments", IkeFragmentCounters.class,
                        c -> IkeFragmentCounters.fragmentsReceived())
                .description("IKE fragments (RFC 7383) received with a valid ICV").tag("direction", "received")
                .register(registry);
        FunctionCounter.builder("p2sgw.ike.fragments", IkeFragmentCounters.class, c -> IkeFragmentCounters.fragmentsSent())
                .description("IKE fragments (RFC 7383) sent").tag("direction", "sent").register(registry);
        FunctionCounter.builder("p2sgw.ike.fragmented.messages", IkeFragmentCounters.class,
                        c -> IkeFragmentCounters.messagesReassembled())
                .description("IKE messages reassembled from fragments, or sent in fragments")
                .tag("direction", "received").register(registry);
        FunctionCounter.builder("p2sgw.ike.fragmented.messages", IkeFragmentCounters.class,
                        c -> IkeFragmentCounters.messagesFragmented())
                .description("IKE messages reassembled from fragments, or sent in fragments")
                .tag("direction", "sent").register(registry);
    }

    static GatewayDataPlane create(ServerIdentity identity, Options o, MeterRegistry registry) {
        try {
            OpenVpnServerConfig ovpn = OpenVpnServerConfig.of(identity.privateKey(), identity.chain())
                    .withUdpPort(o.openVpnUdpPort());
            IkeV2ServerConfig ike = ikeConfig(identity.privateKey(), identity.chain(), o);
            // The PPP MRU offered to SSTP clients is the core's tunnel MTU (SessionHandle#tunnelMtu, sstp.md §4.6).
            SstpServerConfig sstp = sstpConfig(identity.privateKey(), identity.chain(), o);
            DataPlaneConfig cfg = new DataPlaneConfig(o.bindAddress(), o.tcpPort(), o.tunName(), DataPlaneConfig.DEFAULT_TUN_MTU,
                    o.manageTun(), List.of(new OpenVpnStreamProtocol(ovpn), new SstpStreamProtocol(sstp)),
                    List.of(new OpenVpnUdpService(ovpn), new IkeV2Service(ike)),
                    StreamAcceptor.ProbeLimits.DEFAULT, registry, Clock.systemUTC(), o.preAuthLimits());
            registerIkeFragmentMetrics(registry);
            return new GatewayDataPlane(cfg);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up OpenVPN, IKEv2 and SSTP with the server certificate: " + e.getMessage(), e);
        }
    }
}
