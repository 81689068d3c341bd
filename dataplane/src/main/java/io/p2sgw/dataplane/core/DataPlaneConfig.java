package io.p2sgw.dataplane.core;

import io.micrometer.core.instrument.MeterRegistry;
import io.p2sgw.dataplane.preauth.PreAuthLimits;
import io.p2sgw.dataplane.spi.DatagramService;
import io.p2sgw.dataplane.spi.StreamProtocol;
import io.p2sgw.dataplane.transport.StreamAcceptor;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * How the data plane runs on this host.
 *
 * @param bindAddress   the public address listeners bind to ({@code --public-address}); 0.0.0.0 for all
 * @param tcpPort       the shared stream listener (443, DESIGN.md "Ports")
 * @param tunName       the TUN interface name (at most 15 bytes)
 * @param tunMtu        the TUN MTU (azure-p2s.md §4.8 leaves it open; 1500 matches OpenVPN's default tun-mtu)
 * @param manageTun     false runs without a kernel device (tests without CAP_NET_ADMIN): packets to the VNet drop
 * @param streamProtocols   protocols on the shared TCP listener
 * @param datagramServices  protocols that own UDP sockets
 * @param probeLimits   how soon and within how many bytes a TCP client must say which protocol it speaks
 * @param preAuthLimits the pre-authentication budget every protocol shares (issue 13): the deadline from accept or
 *                      first datagram to admission, and the caps on unauthenticated clients per source and in total
 */
public record DataPlaneConfig(
        InetAddress bindAddress,
        int tcpPort,
        String tunName,
        int tunMtu,
        boolean manageTun,
        List<StreamProtocol> streamProtocols,
        List<DatagramService> datagramServices,
        StreamAcceptor.ProbeLimits probeLimits,
        MeterRegistry meterRegistry,
        Clock clock,
        PreAuthLimits preAuthLimits) {
    public static final int DEFAULT_TCP_PORT = 443;
    public static final String DEFAULT_TUN_NAME = "p2sgw0";
    public static final int DEFAULT_TUN_MTU = 1500;
    /**
     * The largest IP packet a tunnel should carry, what protocols that negotiate it offer clients
     * ({@code SessionHandle#tunnelMtu()}, capped by {@code tunMtu}): 1400, Windows' default tunnel MTU for SSTP
     * ([MS-SSTP] 3.1.5.2, sstp.md §4.6) and strongSwan's libipsec TUN MTU, which leaves room for ESP in UDP under a
     * 1500-byte path (ikev2.md §6.5). OpenVPN keeps pushing its own {@code tun-mtu 1500}, as the stock server does.
     */
    public static final int TUNNEL_MTU = 1400;

    public DataPlaneConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (tcpPort < 0 || tcpPort > 65_535) {
            throw new IllegalArgumentException("tcpPort must be 0..65535");
        }
        Objects.requireNonNull(tunName, "tunName");
        if (tunMtu < 576 || tunMtu > 65_535) {
            throw new IllegalArgumentException("tunMtu must be 576..65535");
        }
        streamProtocols = List.copyOf(streamProtocols);
        datagramServices = List.copyOf(datagramServices);
        Objects.requireNonNull(probeLimits, "probeLimits");
        Objects.requireNonNull(meterRegistry, "meterRegistry");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(preAuthLimits, "preAuthLimits");
    }

    /** With the default pre-authentication budget ({@link PreAuthLimits#DEFAULT}). */
    public DataPlaneConfig(InetAddress bindAddress, int tcpPort, String tunName, int tunMtu, boolean manageTun,
            List<StreamProtocol> streamProtocols, List<DatagramService> datagramServices,
            StreamAcceptor.ProbeLimits probeLimits, MeterRegistry meterRegistry, Clock clock) {
        this(bindAddress, tcpPort, tunName, tunMtu, manageTun, streamProtocols, datagramServices, probeLimits,
                meterRegistry, clock, PreAuthLimits.DEFAULT);
    }

    /** The usual configuration: port 443, TUN {@code p2sgw0}, MTU 1500, TUN managed. */
    public static DataPlaneConfig defaults(InetAddress bindAddress, List<StreamProtocol> streamProtocols,
            List<DatagramService> datagramServices, MeterRegistry meterRegistry, Clock clock) {
        return new DataPlaneConfig(bindAddress, DEFAULT_TCP_PORT, DEFAULT_TUN_NAME, DEFAULT_TUN_MTU, true,
                streamProtocols, datagramServices, StreamAcceptor.ProbeLimits.DEFAULT, meterRegistry, clock, PreAuthLimits.DEFAULT);
    }

    public DataPlaneConfig withTcpPort(int port) {
        return new DataPlaneConfig(bindAddress, port, tunName, tunMtu, manageTun, streamProtocols, datagramServices,
                probeLimits, meterRegistry, clock, preAuthLimits);
    }

    public DataPlaneConfig withTun(String name, boolean manage) {
        return new DataPlaneConfig(bindAddress, tcpPort, name, tunMtu, manage, streamProtocols, datagramServices,
                probeLimits, meterRegistry, clock, preAuthLimits);
    }

    /** Another pre-authentication budget (the server's options; tests use a short deadline). */
    public DataPlaneConfig withPreAuthLimits(PreAuthLimits limits) {
        return new DataPlaneConfig(bindAddress, tcpPort, tunName, tunMtu, manageTun, streamProtocols, datagramServices,
                probeLimits, meterRegistry, clock, limits);
    }
}
