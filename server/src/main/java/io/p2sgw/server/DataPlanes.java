package io.p2sgw.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.p2sgw.dataplane.core.DataPlaneConfig;
import io.p2sgw.dataplane.core.GatewayDataPlane;
import io.p2sgw.dataplane.preauth.PreAuthLimits;
import io.p2sgw.dataplane.transport.StreamAcceptor;
import io.p2sgw.openvpn.server.OpenVpnServerConfig;
import io.p2sgw.openvpn.server.OpenVpnStreamProtocol;
import io.p2sgw.openvpn.server.OpenVpnUdpService;
import io.p2sgw.pki.ServerIdentity;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.List;

/**
 * Builds the real data plane: the shared TCP listener (443) with the OpenVPN stream protocol, OpenVPN on UDP
 * (1194), and the TUN device. IKEv2 and SSTP plug in here as further {@code DatagramService} and
 * {@code StreamProtocol} instances (DESIGN.md "Ports").
 */
final class DataPlanes {
    private DataPlanes() {}

    record Options(InetAddress bindAddress, int tcpPort, int openVpnUdpPort, String tunName, boolean manageTun,
            PreAuthLimits preAuthLimits) {}

    static GatewayDataPlane create(ServerIdentity identity, Options o, MeterRegistry registry) {
        try {
            OpenVpnServerConfig ovpn = OpenVpnServerConfig.of(identity.privateKey(), identity.chain())
                    .withUdpPort(o.openVpnUdpPort());
            DataPlaneConfig cfg = new DataPlaneConfig(o.bindAddress(), o.tcpPort(), o.tunName(), DataPlaneConfig.DEFAULT_TUN_MTU,
                    o.manageTun(), List.of(new OpenVpnStreamProtocol(ovpn)), List.of(new OpenVpnUdpService(ovpn)),
                    StreamAcceptor.ProbeLimits.DEFAULT, registry, Clock.systemUTC(), o.preAuthLimits());
            return new GatewayDataPlane(cfg);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up OpenVPN with the server certificate: " + e.getMessage(), e);
        }
    }
}
