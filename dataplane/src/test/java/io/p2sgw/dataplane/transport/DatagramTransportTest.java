package io.p2sgw.dataplane.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.p2sgw.dataplane.spi.DatagramPeer;
import io.p2sgw.dataplane.spi.DatagramReceiver;
import io.p2sgw.dataplane.spi.DatagramSender;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The core's UDP transport on real loopback sockets, both paths (recvmmsg/sendmmsg through FFM, and the
 * DatagramChannel fallback): datagrams from many peers arrive whole and are answered to the right peer from the right
 * local port, a receiver that throws costs only that datagram, queued replies to many peers leave in one sendmmsg,
 * and closing frees the ports.
 *
 * <p>Clients send in rounds and wait for every answer before the next round, so no socket buffer overflows: a lost
 * datagram here is a defect, not load.
 */
@Timeout(60)
class DatagramTransportTest {
    private static final InetAddress LO = InetAddress.getLoopbackAddress();
    private static final int CLIENTS = 20;
    private static final int ROUNDS = 25;
    private static final int PER_ROUND = 2;

    static DatagramTransport transport(boolean batched) {
        if (!batched) {
            return DatagramTransport.fallback();
        }
        DatagramTransport t = DatagramTransport.create();
        assumeTrue(t.batched(), "FFM UDP not available here");
        return t;
    }

    /** Answers every datagram with the local port it came in on (2 bytes) and the datagram itself. */
    static final class Echo implements DatagramReceiver {
        final DatagramSender sender;
        final Map<String, DatagramPeer> peerObjects = new ConcurrentHashMap<>();
        final List<String> identityBroken = new CopyOnWriteArrayList<>();
        final CountDownLatch stopped = new CountDownLatch(1);
        volatile boolean queueReplies;
        volatile BiConsumer<ByteBuffer, DatagramPeer> before = (b, p) -> { };
        private final ByteBuffer reply = ByteBuffer.allocate(70_000);

        Echo(DatagramSender sender) {
            this.sender = sender;
        }

        @Override
        public void received(ByteBuffer datagram, DatagramPeer from) {
            before.accept(datagram, from);
            DatagramPeer first = peerObjects.putIfAbsent(key(from.remote(), from.localPort()), from);
            if (first != null && first != from) {
                identityBroken.add(from.toString()); // the same peer object for every datagram of one address
            }
            reply.clear().putShort((short) from.localPort()).put(datagram).flip();
            if (queueReplies) {
                sender.queue(reply, from);
            } else {
                sender.send(reply, from);
            }
        }

        @Override
        public void stopped(String reason) {
            stopped.countDown();
        }
    }

    static String key(InetSocketAddress remote, int localPort) {
        return remote + "|" + localPort;
    }

    static DatagramChannel client() throws IOException {
        DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(LO, 0));
        c.configureBlocking(true);
        c.socket().setSoTimeout(5000);
        return c;
    }

    /** One client's datagram number {@code n}: its index, the number, and a length that varies up to 9000 bytes. */
    static byte[] payload(int client, int n) {
        int len = (n % 7 == 3) ? 9000 : 1 + (client * 131 + n * 97) % 1400;
        byte[] b = new byte[Math.max(len, 3)];
        b[0] = (byte) client;
        b[1] = (byte) n;
        for (int i = 2; i < b.length; i++) {
            b[i] = (byte) (client + n + i);
        }
        return b;
    }

    /** Blocking receive with the socket's timeout (DatagramChannel ignores SO_TIMEOUT; the adaptor honours it). */
    static java.net.DatagramPacket receive(DatagramChannel c) throws IOException {
        java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[70_000], 70_000);
        c.socket().receive(p);
        return p;
    }

    @ParameterizedTest(name = "batched={0}")
    @ValueSource(booleans = {true, false})
    void manyPeersOnTwoPortsGetWholeAnswersFromThePortTheyUsed(boolean batched) throws Exception {
        try (DatagramTransport t = transport(batched);
                DatagramEndpoint ep = t.bind("test", LO, List.of(0, 0))) {
            assertEquals(2, ep.localAddresses().size());
            int[] ports = {ep.localAddresses().get(0).getPort(), ep.localAddresses().get(1).getPort()};
            assertTrue(ports[0] != ports[1]);
            Echo echo = new Echo(ep);
            ep.start(echo);
            List<DatagramChannel> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    clients.add(client());
                }
                for (int round = 0; round < ROUNDS; round++) {
                    for (int i = 0; i < CLIENTS; i++) {
                        for (int k = 0; k < PER_ROUND; k++) {
                            int n = round * PER_ROUND + k;
                            clients.get(i).send(ByteBuffer.wrap(payload(i, n)), new InetSocketAddress(LO, ports[(i + k) % 2]));
                        }
                    }
                    for (int i = 0; i < CLIENTS; i++) {
                        // The two answers come from two sockets, in either order: matched by the number inside.
                        for (int k = 0; k < PER_ROUND; k++) {
                            java.net.DatagramPacket p = receive(clients.get(i));
                            byte[] got = Arrays.copyOfRange(p.getData(), 0, p.getLength());
                            int n = got[3] & 0xFF;
                            int port = ports[(i + n - round * PER_ROUND) % 2];
                            assertTrue(n / PER_ROUND == round, "an answer of this round");
                            assertEquals(port, p.getPort(), "answered from the port client " + i + " used");
                            assertEquals(port, ((got[0] & 0xFF) << 8) | (got[1] & 0xFF), "the receiver saw the local port");
                            assertArrayEquals(payload(i, n), Arrays.copyOfRange(got, 2, got.length), "client " + i + " #" + n);
                        }
                    }
                }
            } finally {
                for (DatagramChannel c : clients) {
                    c.close();
                }
            }
            assertEquals(0, echo.identityBroken.size(), "a new peer object for a known peer, e.g. " + echo.identityBroken.stream().limit(3).toList());
            assertEquals(2 * CLIENTS, echo.peerObjects.size(), "one peer per client and local socket it used");
        }
    }

    @ParameterizedTest(name = "batched={0}")
    @ValueSource(booleans = {true, false})
    void aReceiverThatThrowsLosesOnlyThatDatagram(boolean batched) throws Exception {
        try (DatagramTransport t = transport(batched);
                DatagramEndpoint ep = t.bind("test", LO, List.of(0));
                DatagramChannel c = client()) {
            Echo echo = new Echo(ep);
            echo.before = (b, p) -> {
                if (b.get(b.position()) == 'X') {
                    throw new IllegalStateException("test: the protocol fails on this one");
                }
            };
            ep.start(echo);
            InetSocketAddress server = ep.localAddresses().getFirst();
            for (String s : List.of("X1", "ok1", "X2", "X3", "ok2")) {
                c.send(ByteBuffer.wrap(s.getBytes()), server);
            }
            assertEquals("ok1", new String(receive(c).getData(), 2, 3));
            assertEquals("ok2", new String(receive(c).getData(), 2, 3));
            c.send(ByteBuffer.wrap("ok3".getBytes()), server);
            assertEquals("ok3", new String(receive(c).getData(), 2, 3), "the next datagram is served");
        }
    }

    @Test
    void repliesQueuedToManyPeersLeaveInOneSendmmsg() throws Exception {
        try (DatagramTransport t = transport(true);
                DatagramEndpoint ep = t.bind("test", LO, List.of(0))) {
            Echo echo = new Echo(ep);
            ep.start(echo);
            InetSocketAddress server = ep.localAddresses().getFirst();
            List<DatagramChannel> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    DatagramChannel c = client();
                    clients.add(c);
                    c.send(ByteBuffer.wrap(new byte[] {'h', (byte) i}), server);
                    receive(c);
                }
                NativeUdpSocket socket = (NativeUdpSocket) ep.sockets().getFirst();
                long before = socket.sendCalls();
                // A burst from the TUN reader: two packets for each of 20 clients, then one flush.
                for (int k = 0; k < 2; k++) {
                    for (int i = 0; i < CLIENTS; i++) {
                        DatagramPeer peer = echo.peerObjects.get(key((InetSocketAddress) clients.get(i).getLocalAddress(), server.getPort()));
                        assertNotNull(peer);
                        assertTrue(ep.queue(ByteBuffer.wrap(payload(i, k)), peer));
                    }
                }
                ep.flush();
                assertEquals(before + 1, socket.sendCalls(), "40 datagrams to 20 peers in one sendmmsg");
                for (int i = 0; i < CLIENTS; i++) {
                    for (int k = 0; k < 2; k++) {
                        java.net.DatagramPacket p = receive(clients.get(i));
                        assertArrayEquals(payload(i, k), Arrays.copyOf(p.getData(), p.getLength()));
                    }
                }
                // Replies a receiver queues leave when the reader has handed over the batch.
                echo.queueReplies = true;
                clients.getFirst().send(ByteBuffer.wrap("q".getBytes()), server);
                assertEquals("q", new String(receive(clients.getFirst()).getData(), 2, 1));
            } finally {
                for (DatagramChannel c : clients) {
                    c.close();
                }
            }
        }
    }

    @ParameterizedTest(name = "batched={0}")
    @ValueSource(booleans = {true, false})
    void closeFreesThePortAndItCanBeBoundAndServedAgain(boolean batched) throws Exception {
        try (DatagramTransport t = transport(batched); DatagramChannel c = client()) {
            int port;
            try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(LO, 0))) {
                port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
            }
            for (int round = 0; round < 5; round++) {
                DatagramEndpoint ep = t.bind("test", LO, List.of(port));
                Echo echo = new Echo(ep);
                ep.start(echo);
                c.send(ByteBuffer.wrap(new byte[] {'r', (byte) round}), new InetSocketAddress(LO, port));
                java.net.DatagramPacket p = receive(c);
                assertEquals(round, p.getData()[3], "round " + round + " is served");
                ep.close();
                // Free at once: someone else may bind it now.
                try (DatagramChannel other = DatagramChannel.open(StandardProtocolFamily.INET)) {
                    other.bind(new InetSocketAddress(LO, port));
                }
            }
        }
    }

    @ParameterizedTest(name = "batched={0}")
    @ValueSource(booleans = {true, false})
    void aPortInUseIsRefusedAndNothingStaysBound(boolean batched) throws Exception {
        try (DatagramTransport t = transport(batched);
                DatagramChannel taken = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(LO, 0))) {
            int busy = ((InetSocketAddress) taken.getLocalAddress()).getPort();
            int free;
            try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(LO, 0))) {
                free = ((InetSocketAddress) probe.getLocalAddress()).getPort();
            }
            IOException e = assertThrowsIo(() -> t.bind("test", LO, List.of(free, busy)));
            assertTrue(!batched || e.getMessage().contains("127.0.0.1:" + busy), e.getMessage());
            try (DatagramChannel again = DatagramChannel.open(StandardProtocolFamily.INET)) {
                again.bind(new InetSocketAddress(LO, free)); // the first port was released when the second failed
            }
        }
    }

    private static IOException assertThrowsIo(org.junit.jupiter.api.function.Executable e) {
        return org.junit.jupiter.api.Assertions.assertThrows(IOException.class, e);
    }

    @Test
    void peerTableKeepsOnePeerPerAddressAndGrows() {
        PeerTable t = new PeerTable(7, new InetSocketAddress(LO, 500));
        List<DatagramPeer> made = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            made.add(t.peer(0x0A000000 + i, 4500));
        }
        for (int i = 0; i < 5000; i++) {
            assertSame(made.get(i), t.peer(0x0A000000 + i, 4500));
        }
        DatagramPeer other = t.peer(0x0A000000, 4501);
        assertTrue(other != made.getFirst() && !other.equals(made.getFirst()), "another port is another peer");
        assertEquals(5001, t.size());
        assertEquals(500, other.localPort());
        assertEquals(7, other.socket());
        assertEquals(new InetSocketAddress("10.0.0.0", 4501), other.remote());
    }

    @Test
    void peerTableStartsAfreshWhenFull() {
        PeerTable t = new PeerTable(1, new InetSocketAddress(LO, 1194));
        DatagramPeer first = t.peer(1, 1);
        for (int i = 0; i < PeerTable.MAX_PEERS; i++) {
            t.peer(2 + i, 2);
        }
        assertTrue(t.size() <= PeerTable.MAX_PEERS);
        DatagramPeer again = t.peer(1, 1);
        assertEquals(first, again, "a new object for a forgotten peer still equals the old one");
    }
}
