package io.p2sgw.dataplane.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.spi.Admission;
import io.p2sgw.dataplane.spi.AdmissionRequest;
import io.p2sgw.dataplane.spi.GatewayCore;
import io.p2sgw.dataplane.spi.StreamProtocol;
import io.p2sgw.dataplane.spi.StreamReceiver;
import io.p2sgw.dataplane.spi.StreamWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class StreamAcceptorTest {
    /** A protocol that claims connections starting with its magic and echoes "name:" + everything it gets. */
    static class EchoProtocol implements StreamProtocol {
        private final String name;
        private final byte[] magic;

        EchoProtocol(String name, String magic) {
            this.name = name;
            this.magic = magic.getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public TunnelType tunnelType() {
            return TunnelType.OPENVPN;
        }

        @Override
        public Probe probe(ByteBuffer b) {
            int n = Math.min(b.remaining(), magic.length);
            for (int i = 0; i < n; i++) {
                if (b.get(b.position() + i) != magic[i]) {
                    return Probe.NO_MATCH;
                }
            }
            return n == magic.length ? Probe.MATCH : Probe.NEED_MORE;
        }

        @Override
        public StreamReceiver open(InetSocketAddress remote, StreamWriter writer, GatewayCore core) {
            writer.write(ByteBuffer.wrap((name + ":").getBytes(StandardCharsets.US_ASCII)));
            return new StreamReceiver() {
                @Override
                public boolean received(ByteBuffer bytes) {
                    return writer.write(bytes);
                }

                @Override
                public void ended(String reason) {
                    // the core closes the connection
                }
            };
        }
    }

    static final class NoCore implements GatewayCore {
        @Override
        public Optional<GatewaySnapshot> snapshot() {
            return Optional.empty();
        }

        @Override
        public Admission admit(AdmissionRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Admission readmit(io.p2sgw.dataplane.spi.SessionHandle current, AdmissionRequest request) {
            throw new UnsupportedOperationException();
        }
    }

    private final ConcurrentLinkedQueue<StreamAcceptor.Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private StreamAcceptor acceptor;

    private StreamAcceptor start(Duration timeout) throws IOException {
        return start(timeout, List.of(new EchoProtocol("A", "AAAA"), new EchoProtocol("B", "BBBBBBBB")));
    }

    private StreamAcceptor start(Duration timeout, List<StreamProtocol> protocols) throws IOException {
        acceptor = new StreamAcceptor(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> protocols,
                new NoCore(), new StreamAcceptor.ProbeLimits(16, timeout), outcomes::add);
        acceptor.start();
        return acceptor;
    }

    @AfterEach
    void stop() {
        if (acceptor != null) {
            acceptor.shutdown();
        }
    }

    private static String exchange(int port, String... pieces) throws IOException, InterruptedException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            for (String p : pieces) {
                out.write(p.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(20); // let the acceptor see the pieces as separate reads
            }
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        } catch (java.net.SocketException e) {
            return ""; // reset: the acceptor closed with our bytes unread, which is also "closed"
        }
    }

    @Test
    void handsEachConnectionToTheProtocolThatClaimsItWithTheBytesAlreadyRead() throws Exception {
        int port = start(Duration.ofSeconds(5)).localAddress().getPort();
        assertEquals("A:AAAAhello", exchange(port, "AAAAhello"));
        // B's magic arrives in two reads: NEED_MORE first, then MATCH.
        assertEquals("B:BBBBBBBBworld", exchange(port, "BBB", "BBBBB", "world"));
    }

    @Test
    void unknownProtocolClosesOnlyThatConnection() throws Exception {
        int port = start(Duration.ofSeconds(5)).localAddress().getPort();
        assertEquals("", exchange(port, "GET / HTTP/1.1\r\n"));
        assertTrue(outcomes.contains(StreamAcceptor.Outcome.UNKNOWN_PROTOCOL));
        assertEquals("A:AAAAstill", exchange(port, "AAAAstill"));
    }

    @Test
    void silentClientIsClosedAfterTheProbeTimeout() throws Exception {
        int port = start(Duration.ofMillis(300)).localAddress().getPort();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("BB".getBytes(StandardCharsets.US_ASCII)); // a prefix of B: NEED_MORE forever
            InputStream in = s.getInputStream();
            assertEquals(-1, in.read(), "the acceptor closes the connection");
        }
        assertEquals("A:AAAA", exchange(port, "AAAA"));
    }

    @Test
    void probeIsBoundedInSize() throws Exception {
        // A protocol that never decides: the acceptor gives up at the 16-byte probe bound.
        StreamProtocol undecided = new EchoProtocol("U", "U") {
            @Override
            public Probe probe(ByteBuffer b) {
                return Probe.NEED_MORE;
            }
        };
        int port = start(Duration.ofSeconds(5), List.of(undecided)).localAddress().getPort();
        assertEquals("", exchange(port, "0123456789abcdefXYZ"));
        assertArrayEquals(new StreamAcceptor.Outcome[] {StreamAcceptor.Outcome.PROBE_TOO_LONG},
                outcomes.toArray(new StreamAcceptor.Outcome[0]));
    }

    /**
     * A protocol whose stream may not lose bytes (a TLS stream: SSTP) writes with {@code writeOrClose}; a client that
     * stops reading makes the core end the connection with a reason the protocol hears, instead of a stream with a
     * hole. The protocol asks {@code congested()} before it would encrypt more.
     */
    @Test
    void aStreamThatMayNotLoseBytesEndsWithAReasonWhenItsClientStopsReading() throws Exception {
        ConcurrentLinkedQueue<String> ended = new ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicBoolean sawCongestion = new java.util.concurrent.atomic.AtomicBoolean();
        StreamProtocol tls = new EchoProtocol("T", "TTTT") {
            @Override
            public StreamReceiver open(InetSocketAddress remote, StreamWriter writer, GatewayCore core) {
                // A download the client never reads: TLS records until the writer gives up on the client.
                ByteBuffer record = ByteBuffer.allocate(16 * 1024);
                while (writer.writeOrClose(record.clear())) {
                    if (writer.congested()) {
                        sawCongestion.set(true);
                    }
                }
                return new StreamReceiver() {
                    @Override
                    public boolean received(ByteBuffer bytes) {
                        return true;
                    }

                    @Override
                    public void ended(String reason) {
                        ended.add(reason);
                    }
                };
            }
        };
        int port = start(Duration.ofSeconds(5), List.of(tls)).localAddress().getPort();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.getOutputStream().write("TTTT".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (ended.isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "the connection did not end");
                Thread.sleep(10);
            }
        }
        assertEquals(List.of(NonBlockingStreamWriter.OVERFLOW_REASON), List.copyOf(ended));
        assertTrue(sawCongestion.get(), "congested() said so before the end");
    }
}
