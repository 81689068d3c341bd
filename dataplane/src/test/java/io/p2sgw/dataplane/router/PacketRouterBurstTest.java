package io.p2sgw.dataplane.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.pool.Ipv4;
import io.p2sgw.dataplane.session.Session;
import io.p2sgw.dataplane.session.SessionRegistry;
import io.p2sgw.dataplane.session.TrafficTotals;
import io.p2sgw.dataplane.spi.TunnelEndpoint;
import io.p2sgw.dataplane.tun.QueueTun;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The TUN reader's bursts: packets queued in the TUN reach their sessions without a flush in between; each session
 * that got packets is flushed once the queue is empty, or sooner when a burst grows long (latency bound).
 */
class PacketRouterBurstTest {

    /** Records "send &lt;last address byte&gt;" and "flush" in order; all recorders share one list. */
    record Recorder(String name, List<String> events) implements TunnelEndpoint {
        @Override
        public void sendToClient(ByteBuffer ipPacket) {
            events.add("send " + name);
        }

        @Override
        public void flushToClient() {
            events.add("flush " + name);
        }

        @Override
        public void close(String reason) {
        }
    }

    static final Session.Owner OWNER = new Session.Owner() {
        @Override
        public void forwardFromClient(Session s, ByteBuffer p) {
        }

        @Override
        public void handleClosedByProtocol(Session.Handle h, String reason) {
        }

        @Override
        public int tunnelMtu() {
            return 1400;
        }
    };

    static Session session(String address, TunnelEndpoint endpoint) {
        return new Session("OpenVPN_" + address, TunnelType.OPENVPN, "00".repeat(20), address, List.of(),
                new InetSocketAddress("198.51.100.10", 40000), Ipv4.parse(address), 24, "172.16.201.1", List.of(), List.of(),
                Instant.now(), endpoint, OWNER, TrafficTotals.create());
    }

    /** A minimal IPv4 header addressed to {@code destination}. */
    static byte[] packetTo(String destination) {
        byte[] p = new byte[20];
        p[0] = 0x45;
        p[3] = 20;
        long d = Ipv4.parse(destination);
        for (int i = 0; i < 4; i++) {
            p[16 + i] = (byte) (d >>> (24 - 8 * i));
        }
        return p;
    }

    @Test
    void aQueuedBurstIsSentThenEachSessionIsFlushedOnce() throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        SessionRegistry registry = new SessionRegistry();
        registry.add(session("172.16.201.2", new Recorder("a", events)));
        registry.add(session("172.16.201.3", new Recorder("b", events)));
        List<DropReason> drops = Collections.synchronizedList(new ArrayList<>());
        QueueTun tun = new QueueTun();
        // Queued before the reader starts, so it finds all four without waiting.
        for (String d : List.of("172.16.201.2", "172.16.201.3", "172.16.201.2", "172.16.201.99")) {
            tun.queue.add(packetTo(d));
        }
        try (PacketRouter router = new PacketRouter(registry, drops::add)) {
            router.attach(tun);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (events.size() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(List.of("send a", "send b", "send a", "flush a", "flush b"), List.copyOf(events));
            assertEquals(List.of(DropReason.NO_SESSION), List.copyOf(drops));

            // A later packet is a burst of its own.
            tun.queue.add(packetTo("172.16.201.3"));
            while (events.size() < 7 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(List.of("send b", "flush b"), List.copyOf(events.subList(5, events.size())));
        }
    }

    @Test
    void aSessionIsFlushedEveryMaxPacketsPerFlushWithinOneBurst() {
        List<String> events = new ArrayList<>();
        Session a = session("172.16.201.2", new Recorder("a", events));
        PacketRouter.Burst burst = new PacketRouter.Burst();
        for (int i = 0; i < TunnelEndpoint.MAX_PACKETS_PER_FLUSH; i++) {
            burst.add(a);
        }
        assertEquals("flush a", events.getLast(), "flushed at the limit, before the burst ends");
        assertTrue(burst.isEmpty());
        burst.add(a);
        burst.flush();
        assertEquals(List.of("flush a", "flush a"), events.stream().filter(e -> e.startsWith("flush")).toList());
    }

    @Test
    void whenTheSlotsAreFullTheSessionsSoFarAreFlushed() {
        List<String> events = new ArrayList<>();
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            sessions.add(session("172.16.201." + (10 + i), new Recorder(Integer.toString(i), events)));
        }
        PacketRouter.Burst burst = new PacketRouter.Burst();
        for (int i = 0; i < 8; i++) {
            burst.add(sessions.get(i));
        }
        assertTrue(events.isEmpty(), "eight sessions fit: " + events);
        burst.add(sessions.get(8));
        assertEquals(8, events.size(), "the ninth session flushed the first eight: " + events);
        burst.flush();
        assertEquals("flush 8", events.getLast());
        assertTrue(burst.isEmpty());
    }
}
