package io.p2sgw.dataplane.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.pool.Ipv4;
import io.p2sgw.dataplane.router.DropReason;
import io.p2sgw.dataplane.router.PacketRouter;
import io.p2sgw.dataplane.session.Session;
import io.p2sgw.dataplane.session.SessionRegistry;
import io.p2sgw.dataplane.session.TrafficTotals;
import io.p2sgw.dataplane.spi.TunnelEndpoint;
import io.p2sgw.lab.Cmd;
import io.p2sgw.lab.Lab;
import io.p2sgw.lab.LabNamespace;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TUN through FFM for real: a TUN created by {@link LinuxTun}, moved into a network namespace this test
 * creates, and a ping from that namespace to an address behind the TUN, answered by a fake session through the
 * router. The namespace is the lab's ({@link LabNamespace}): taken under the lab lock like every lab on the host, with
 * a random name, and deleted after the test, also when it fails. Needs root (CAP_NET_ADMIN); skipped with a message
 * otherwise.
 */
@Timeout(60)
class TunRouterNetnsTest {
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private LabNamespace ns;

    @BeforeEach
    @Timeout(600) // the lab lock waits while another lab on the host (an interop test, the demo, the bench) runs
    void namespace() {
        Optional<String> why = Lab.whyUnavailable();
        assumeTrue(why.isEmpty(), () -> "TUN test skipped: " + why.orElse("")
                + " (it creates a TUN device and a network namespace)");
        ns = LabNamespace.create("tuntest");
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            for (int i = cleanup.size() - 1; i >= 0; i--) {
                cleanup.get(i).close();
            }
        } finally {
            if (ns != null) {
                ns.close();
                assertFalse(ns.exists(), "namespace " + ns.name() + " removed");
            }
        }
    }

    /** Answers ICMP echo requests (RFC 792) by writing the reply back through the session. */
    static final class IcmpEchoEndpoint implements TunnelEndpoint {
        volatile Session session;
        final AtomicInteger echoed = new AtomicInteger();

        @Override
        public void sendToClient(ByteBuffer in) {
            byte[] p = new byte[in.remaining()];
            in.duplicate().get(p);
            int ihl = (p[0] & 0xF) * 4;
            if (p.length < ihl + 8 || p[9] != 1 || p[ihl] != 8) {
                return;
            }
            for (int i = 0; i < 4; i++) { // swap source and destination
                byte t = p[12 + i];
                p[12 + i] = p[16 + i];
                p[16 + i] = t;
            }
            p[ihl] = 0; // echo reply
            p[ihl + 2] = 0;
            p[ihl + 3] = 0;
            int c = checksum(p, ihl, p.length - ihl);
            p[ihl + 2] = (byte) (c >>> 8);
            p[ihl + 3] = (byte) c;
            p[10] = 0;
            p[11] = 0;
            c = checksum(p, 0, ihl);
            p[10] = (byte) (c >>> 8);
            p[11] = (byte) c;
            echoed.incrementAndGet();
            session.current().fromClient(ByteBuffer.wrap(p));
        }

        @Override
        public void close(String reason) {}

        static int checksum(byte[] b, int off, int len) {
            long sum = 0;
            for (int i = 0; i + 1 < len; i += 2) {
                sum += ((b[off + i] & 0xFF) << 8) | (b[off + i + 1] & 0xFF);
            }
            if ((len & 1) == 1) {
                sum += (b[off + len - 1] & 0xFF) << 8;
            }
            while ((sum >>> 16) != 0) {
                sum = (sum & 0xFFFF) + (sum >>> 16);
            }
            return (int) (~sum & 0xFFFF);
        }
    }

    @Test
    void pingThroughTheTunIsAnsweredByTheSessionOwningTheDestination() throws Exception {
        String dev = "p2t" + ns.runId();
        LinuxTun tun = LinuxTun.open(dev);
        assertEquals(dev, tun.name());
        // Move the interface into the test's namespace; the file descriptor keeps working.
        Cmd.run("ip", "link", "set", dev, "netns", ns.name()).orThrow();
        ns.exec("ip", "addr", "add", "172.16.201.1/24", "dev", dev).orThrow();
        ns.exec("ip", "link", "set", dev, "up").orThrow();

        SessionRegistry registry = new SessionRegistry();
        ConcurrentHashMap<DropReason, AtomicInteger> drops = new ConcurrentHashMap<>();
        PacketRouter router = new PacketRouter(registry, r -> drops.computeIfAbsent(r, k -> new AtomicInteger()).incrementAndGet());
        cleanup.add(router);
        router.attach(tun);

        IcmpEchoEndpoint endpoint = new IcmpEchoEndpoint();
        Session.Owner owner = new Session.Owner() {
            @Override
            public void forwardFromClient(Session s, ByteBuffer p) {
                router.routeFromClient(s, p);
            }

            @Override
            public void handleClosedByProtocol(Session.Handle h, String reason) {
                registry.remove(h.session());
            }

            @Override
            public int tunnelMtu() {
                return 1400;
            }
        };
        Session session = new Session("OpenVPN_test", TunnelType.OPENVPN, "00".repeat(20), "client", List.of(),
                new InetSocketAddress("198.51.100.10", 40000), Ipv4.parse("172.16.201.2"), 24, "172.16.201.1",
                List.of(), List.of(), Instant.now(), endpoint, owner, TrafficTotals.create());
        endpoint.session = session;
        registry.add(session);

        Cmd.Result ping = ns.exec("ping", "-c", "3", "-i", "0.2", "-W", "2", "172.16.201.2");
        assertEquals(0, ping.exitCode(), "ping through the TUN: " + ping.output());
        assertTrue(ping.output().contains("3 received"), ping.output());
        assertTrue(endpoint.echoed.get() >= 3);
        assertEquals(3, session.info().ingressPackets());
        assertTrue(session.info().egressPackets() >= 3);

        // A reply whose source is not the session's own address is dropped and counted.
        ping = ns.exec("ping", "-c", "1", "-W", "1", "172.16.201.3");
        assertEquals(1, ping.exitCode(), "no session owns 172.16.201.3: " + ping.output());
        assertTrue(drops.getOrDefault(DropReason.NO_SESSION, new AtomicInteger()).get() >= 1);

        byte[] spoofed = new byte[28];
        spoofed[0] = 0x45;
        spoofed[3] = 28;
        spoofed[8] = 64;
        spoofed[9] = 1;
        System.arraycopy(new byte[] {(byte) 172, 16, (byte) 201, 9}, 0, spoofed, 12, 4);
        System.arraycopy(new byte[] {(byte) 172, 16, (byte) 201, 1}, 0, spoofed, 16, 4);
        session.current().fromClient(ByteBuffer.wrap(spoofed));
        assertEquals(1, drops.getOrDefault(DropReason.SPOOFED_SOURCE, new AtomicInteger()).get());
        assertEquals(3, session.info().ingressPackets(), "the spoofed packet is not counted as traffic");
    }
}
