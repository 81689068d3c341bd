package io.p2sgw.dataplane.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.p2sgw.dataplane.api.ConnectionLimits;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.spi.DatagramPeer;
import io.p2sgw.dataplane.spi.DatagramReceiver;
import io.p2sgw.dataplane.spi.DatagramSender;
import io.p2sgw.dataplane.spi.DatagramService;
import io.p2sgw.dataplane.spi.GatewayCore;
import io.p2sgw.dataplane.transport.StreamAcceptor;
import io.p2sgw.testkit.pki.TestPki;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The core runs a datagram service while its tunnel type is enabled (issue 12 defect: OpenVPN removed from
 * {@code vpnClientProtocols} and added back left UDP 1194 bound but never read, and a third enable failed to bind).
 * Five enables on one fixed port: each binds, starts a fresh run that answers, and each disable ends that run and
 * frees the port for anyone.
 */
@Timeout(60)
class GatewayDataPlaneDatagramTest {
    private static final InetAddress LO = InetAddress.getLoopbackAddress();

    /** Answers "run N" to every datagram; records its runs and their ends. */
    static final class NumberedEcho implements DatagramService {
        final int port;
        final AtomicInteger runs = new AtomicInteger();
        final List<String> stops = new CopyOnWriteArrayList<>();

        NumberedEcho(int port) {
            this.port = port;
        }

        @Override
        public String name() {
            return "echo";
        }

        @Override
        public TunnelType tunnelType() {
            return TunnelType.OPENVPN;
        }

        @Override
        public List<Integer> ports() {
            return List.of(port);
        }

        @Override
        public DatagramReceiver start(DatagramSender sender, GatewayCore core) {
            int run = runs.incrementAndGet();
            return new DatagramReceiver() {
                @Override
                public void received(ByteBuffer datagram, DatagramPeer from) {
                    sender.send(ByteBuffer.wrap(("run " + run).getBytes()), from);
                }

                @Override
                public void stopped(String reason) {
                    stops.add(run + ": " + reason);
                }
            };
        }
    }

    @Test
    void everyEnableBindsServesAndEveryDisableReleasesThePort() throws Exception {
        TestPki root = TestPki.ec("P2SRootCert");
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, LO)) {
            port = probe.getLocalPort();
        }
        NumberedEcho echo = new NumberedEcho(port);
        DataPlaneConfig cfg = new DataPlaneConfig(LO, 0, "p2sgwtest0", 1500, false, List.of(), List.of(echo),
                StreamAcceptor.ProbeLimits.DEFAULT, new SimpleMeterRegistry(), Clock.systemUTC());
        try (GatewayDataPlane dp = new GatewayDataPlane(cfg); DatagramSocket client = new DatagramSocket(0, LO)) {
            client.setSoTimeout(5000);
            long version = 0;
            for (int round = 1; round <= 5; round++) {
                dp.apply(GatewayDataPlaneTest.snapshot(++version, "172.16.201.0/24", Set.of(TunnelType.OPENVPN, TunnelType.IKEV2),
                        List.of(root), Set.of(), new ConnectionLimits(128, 500)));
                assertEquals(List.of(new InetSocketAddress(LO, port)), dp.datagramAddresses(echo));
                client.send(new DatagramPacket(new byte[] {1}, 1, new InetSocketAddress(LO, port)));
                DatagramPacket answer = new DatagramPacket(new byte[64], 64);
                client.receive(answer);
                assertEquals("run " + round, new String(answer.getData(), 0, answer.getLength()), "a fresh run serves");
                assertEquals(port, answer.getPort());

                dp.apply(GatewayDataPlaneTest.snapshot(++version, "172.16.201.0/24", Set.of(TunnelType.IKEV2), List.of(root),
                        Set.of(), new ConnectionLimits(128, 500)));
                assertEquals(List.of(), dp.datagramAddresses(echo));
                assertEquals(round, echo.stops.size());
                assertTrue(echo.stops.getLast().startsWith(round + ": OpenVPN removed"), echo.stops.getLast());
                try (DatagramSocket other = new DatagramSocket(new InetSocketAddress(LO, port))) {
                    assertEquals(port, other.getLocalPort(), "the port is free while the type is disabled");
                }
            }
            assertEquals(5, echo.runs.get());
        }
    }
}
