package io.p2sgw.dataplane.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.dataplane.api.TunnelType;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The core reads claimed TCP connections and pushes their bytes to the protocol's receiver: with the epoll readers
 * (2 threads, as on this project's machines) and with the virtual-thread fallback (0). Real loopback sockets.
 */
@Timeout(60)
class StreamReadersTest {
    /** Claims connections starting with "P"; what the receiver does is the test's. */
    private static final class TestProtocol implements StreamProtocol {
        private final BiFunction<InetSocketAddress, StreamWriter, StreamReceiver> receivers;

        TestProtocol(BiFunction<InetSocketAddress, StreamWriter, StreamReceiver> receivers) {
            this.receivers = receivers;
        }

        @Override
        public String name() {
            return "P";
        }

        @Override
        public TunnelType tunnelType() {
            return TunnelType.OPENVPN;
        }

        @Override
        public Probe probe(ByteBuffer b) {
            return b.get(b.position()) == 'P' ? Probe.MATCH : Probe.NO_MATCH;
        }

        @Override
        public StreamReceiver open(InetSocketAddress remote, StreamWriter writer, GatewayCore core) {
            return receivers.apply(remote, writer);
        }
    }

    /** Records what it got and how it ended. */
    private static class Recorder implements StreamReceiver {
        final StreamWriter writer;
        final ByteBuffer got = ByteBuffer.allocate(4 << 20);
        final List<String> endings = new CopyOnWriteArrayList<>();
        final CountDownLatch ended = new CountDownLatch(1);
        volatile Thread lastThread;

        Recorder(StreamWriter writer) {
            this.writer = writer;
        }

        @Override
        public boolean received(ByteBuffer bytes) {
            lastThread = Thread.currentThread();
            synchronized (this) {
                got.put(bytes.duplicate());
            }
            return true;
        }

        @Override
        public void ended(String reason) {
            endings.add(reason);
            ended.countDown();
        }

        byte[] bytes() {
            synchronized (this) {
                return java.util.Arrays.copyOf(got.array(), got.position());
            }
        }
    }

    private StreamAcceptor acceptor;
    private final List<Recorder> recorders = new CopyOnWriteArrayList<>();

    private int start(int readerThreads, BiFunction<InetSocketAddress, StreamWriter, StreamReceiver> receivers) throws IOException {
        acceptor = new StreamAcceptor(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                () -> List.of(new TestProtocol(receivers)), new StreamAcceptorTest.NoCore(),
                new StreamAcceptor.ProbeLimits(16, Duration.ofSeconds(5)), o -> { },
                () -> { }, io.p2sgw.dataplane.spi.PreAuthBudget.UNLIMITED, readerThreads);
        acceptor.start();
        return acceptor.localAddress().getPort();
    }

    private int startRecording(int readerThreads) throws IOException {
        return start(readerThreads, (remote, w) -> {
            Recorder r = new Recorder(w);
            recorders.add(r);
            return r;
        });
    }

    @AfterEach
    void stop() {
        if (acceptor != null) {
            acceptor.shutdown();
        }
    }

    private static byte[] pattern(int seed, int size) {
        byte[] b = new byte[size];
        b[0] = 'P';
        for (int i = 1; i < size; i++) {
            b[i] = (byte) (seed * 31 + i * 7 + (i >>> 9));
        }
        return b;
    }

    private static boolean awaitEnd(Recorder r) throws InterruptedException {
        return r.ended.await(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "reader threads {0}")
    @ValueSource(ints = {2, 0})
    void manyConnectionsStreamingAtOnceEachGetTheirBytesInOrder(int readerThreads) throws Exception {
        int port = startRecording(readerThreads);
        int clients = 24;
        int size = 1 << 20;
        List<Thread> senders = new ArrayList<>();
        Map<Integer, Throwable> failures = new ConcurrentHashMap<>();
        for (int i = 0; i < clients; i++) {
            int seed = i;
            senders.add(Thread.ofVirtual().start(() -> {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    OutputStream out = s.getOutputStream();
                    byte[] all = pattern(seed, size);
                    // Pieces of odd sizes, so reads split and join them differently per connection.
                    for (int off = 0; off < size; off += 4000 + seed * 13) {
                        out.write(all, off, Math.min(4000 + seed * 13, size - off));
                    }
                    s.shutdownOutput();
                    assertEquals(-1, s.getInputStream().read(), "the core closes once the client has ended");
                } catch (Throwable t) {
                    failures.put(seed, t);
                }
            }));
        }
        for (Thread t : senders) {
            t.join();
        }
        assertEquals(Map.of(), failures);
        assertEquals(clients, recorders.size());
        List<byte[]> expected = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            expected.add(pattern(i, size));
        }
        for (Recorder r : recorders) {
            assertTrue(awaitEnd(r));
            byte[] got = r.bytes();
            assertTrue(expected.stream().anyMatch(e -> java.util.Arrays.equals(e, got)),
                    "a connection's bytes arrived whole and in order (" + got.length + " bytes)");
            assertEquals(List.of("TCP connection closed by the client"), r.endings);
        }
        if (readerThreads > 0) {
            assertTrue(recorders.stream().allMatch(r -> r.lastThread.getName().startsWith("tcp-reader-")),
                    "read by the epoll reader threads");
        } else {
            assertTrue(recorders.stream().allMatch(r -> r.lastThread.isVirtual()), "read by virtual threads");
        }
    }

    @ParameterizedTest(name = "reader threads {0}")
    @ValueSource(ints = {2, 0})
    void theProtocolClosingItsWriterEndsTheConnectionAtOnce(int readerThreads) throws Exception {
        int port = startRecording(readerThreads);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("Phello".getBytes(StandardCharsets.US_ASCII));
            Recorder r = awaitRecorder();
            // A session ending on its own (revoked, timed out) closes its writer from another thread.
            r.writer.write(ByteBuffer.wrap("bye".getBytes(StandardCharsets.US_ASCII)));
            Thread.ofVirtual().start(r.writer::close).join();
            InputStream in = s.getInputStream();
            assertEquals("bye", new String(in.readAllBytes(), StandardCharsets.US_ASCII), "what was written, then the FIN");
            assertTrue(awaitEnd(r));
            assertEquals(List.of("closed by the server"), r.endings);
        }
    }

    @ParameterizedTest(name = "reader threads {0}")
    @ValueSource(ints = {2, 0})
    void aReceiverThatSaysStopOrThrowsEndsOnlyItsOwnConnection(int readerThreads) throws Exception {
        AtomicReference<Recorder> survivor = new AtomicReference<>();
        int port = start(readerThreads, (remote, w) -> {
            Recorder r = new Recorder(w) {
                @Override
                public boolean received(ByteBuffer bytes) {
                    super.received(bytes);
                    String s = StandardCharsets.US_ASCII.decode(bytes.duplicate()).toString();
                    if (s.contains("throw")) {
                        throw new IllegalStateException("malformed");
                    }
                    return !s.contains("stop");
                }
            };
            recorders.add(r);
            return r;
        });
        try (Socket keep = new Socket(InetAddress.getLoopbackAddress(), port);
                Socket stop = new Socket(InetAddress.getLoopbackAddress(), port);
                Socket thrower = new Socket(InetAddress.getLoopbackAddress(), port)) {
            keep.getOutputStream().write("Pkeep".getBytes(StandardCharsets.US_ASCII));
            survivor.set(awaitRecorder());
            for (Socket s : List.of(stop, thrower)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write('P');
                s.getOutputStream().flush();
                Thread.sleep(50); // the probe's read, then the readers'
                s.getOutputStream().write((s == stop ? "stop" : "throw").getBytes(StandardCharsets.US_ASCII));
                assertEquals(-1, s.getInputStream().read(), "that connection is closed");
            }
            assertTrue(waitUntil(() -> recorders.size() == 3 && recorders.stream().filter(r -> r.ended.getCount() == 0).count() == 2));
            assertTrue(recorders.stream().anyMatch(r -> r.endings.equals(List.of("closed by the server"))));
            assertTrue(recorders.stream().anyMatch(r -> r.endings.size() == 1 && r.endings.getFirst().startsWith("protocol error")));
            // The first connection still works.
            keep.getOutputStream().write("more".getBytes(StandardCharsets.US_ASCII));
            assertTrue(waitUntil(() -> new String(survivor.get().bytes(), StandardCharsets.US_ASCII).equals("Pkeepmore")));
            assertEquals(1, survivor.get().ended.getCount(), "still open");
        }
    }

    @ParameterizedTest(name = "reader threads {0}")
    @ValueSource(ints = {2, 0})
    void shuttingTheAcceptorDownEndsLiveConnections(int readerThreads) throws Exception {
        int port = startRecording(readerThreads);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("Pidle".getBytes(StandardCharsets.US_ASCII));
            Recorder r = awaitRecorder();
            acceptor.shutdown();
            acceptor = null;
            assertEquals(-1, s.getInputStream().read());
            assertTrue(awaitEnd(r));
            assertEquals(1, r.endings.size());
        }
    }

    private Recorder awaitRecorder() throws InterruptedException {
        assertTrue(waitUntil(() -> !recorders.isEmpty() && recorders.getFirst().bytes().length > 0));
        return recorders.getFirst();
    }

    private static boolean waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }
}
