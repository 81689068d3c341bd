package io.p2sgw.openvpn.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.p2sgw.dataplane.spi.StreamWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;

/**
 * The TCP transport's write batching over a real loopback connection: queued packets stay in the batch until a
 * flush, a packet sent now goes after them (the stream keeps its order), and each packet keeps its u16 length
 * prefix (openvpn.md §2.1).
 */
class StreamTransportTest {

    /** A packet of {@code len} bytes of {@code fill} at offset 2 of its array (the transport writes the prefix). */
    static byte[] packet(int len, int fill) {
        byte[] b = new byte[2 + len];
        java.util.Arrays.fill(b, 2, 2 + len, (byte) fill);
        return b;
    }

    static byte[] frame(int len, int fill) {
        byte[] b = packet(len, fill);
        b[0] = (byte) (len >>> 8);
        b[1] = (byte) len;
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Whatever arrives within a short wait (non-blocking reads). */
    static byte[] available(SocketChannel in, int expect) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(1 << 20);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (b.position() < expect && System.nanoTime() < deadline) {
            if (in.read(b) == 0) {
                Thread.sleep(5);
            }
        }
        Thread.sleep(50);
        in.read(b);
        b.flip();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** A connected loopback pair; the client side is non-blocking, for {@link #available}. */
    static final class Loopback implements AutoCloseable {
        final ServerSocketChannel server;
        final SocketChannel client;
        final SocketChannel accepted;

        Loopback() throws IOException {
            server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            client = SocketChannel.open(server.getLocalAddress());
            accepted = server.accept();
            client.configureBlocking(false);
        }

        @Override
        public void close() throws IOException {
            try (server; client; accepted) {
                // all three closed
            }
        }
    }

    @Test
    void queuedPacketsWaitForTheFlushAndASentPacketGoesAfterThem() throws Exception {
        try (Loopback l = new Loopback()) {
            SocketChannel client = l.client;
            OpenVpnStreamProtocol.StreamTransport t = new OpenVpnStreamProtocol.StreamTransport(StreamWriter.blocking(l.accepted));

            t.queue(packet(100, 1), 2, 100, 100 - 20);
            t.queue(packet(1400, 2), 2, 1400, 1400 - 20);
            assertEquals(0, available(client, 0).length, "nothing is written before the flush");
            t.flush();
            assertArrayEquals(concat(frame(100, 1), frame(1400, 2)), available(client, 1504));

            t.queue(packet(60, 3), 2, 60, 60 - 20);
            t.send(packet(30, 4), 2, 30);
            assertArrayEquals(concat(frame(60, 3), frame(30, 4)), available(client, 94), "send writes the queue first");

            t.flush(); // nothing queued: writes nothing
            assertEquals(0, available(client, 0).length);
            t.close();
            t.queue(packet(10, 5), 2, 10, 10 - 20); // after close: dropped, no exception
            t.flush();
        }
    }

    @Test
    void aBurstLargerThanOneBatchBufferIsWrittenWhole() throws Exception {
        try (Loopback l = new Loopback()) {
            SocketChannel client = l.client;
            OpenVpnStreamProtocol.StreamTransport t = new OpenVpnStreamProtocol.StreamTransport(StreamWriter.blocking(l.accepted));
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            int packets = 2 * OpenVpnStreamProtocol.BATCH_BYTES / 1502 + 3;
            for (int i = 0; i < packets; i++) {
                t.queue(packet(1500, i), 2, 1500, 1500 - 20);
                expected.writeBytes(frame(1500, i));
            }
            t.flush();
            assertArrayEquals(expected.toByteArray(), available(client, expected.size()));
        }
    }

    /** Records what the transport hands its writer and how: droppable ({@code write}) or kept ({@code writeReliably}). */
    static class RecordingWriter implements StreamWriter {
        final java.util.List<String> calls = new java.util.ArrayList<>();
        final java.util.List<byte[]> bytes = new java.util.ArrayList<>();

        private boolean record(String how, ByteBuffer b) {
            byte[] copy = new byte[b.remaining()];
            b.duplicate().get(copy);
            calls.add(how);
            bytes.add(copy);
            return true;
        }

        @Override
        public boolean write(ByteBuffer b) {
            return record("write", b);
        }

        @Override
        public boolean writeReliably(ByteBuffer b) {
            return record("reliably", b);
        }

        @Override
        public long dropped() {
            return 0;
        }

        @Override
        public void close() {
        }
    }

    /**
     * A control packet goes to the writer's reliable path (kept for a slow client), after the data gathered before it
     * (droppable, as before): the stream's order is the order of the calls.
     */
    @Test
    void aControlPacketIsWrittenReliablyAfterTheQueuedData() {
        RecordingWriter w = new RecordingWriter();
        OpenVpnStreamProtocol.StreamTransport t = new OpenVpnStreamProtocol.StreamTransport(w);
        t.queue(packet(100, 1), 2, 100, 100 - 20);
        t.queue(packet(200, 2), 2, 200, 200 - 20);
        t.sendControl(packet(50, 3), 2, 50);
        assertEquals(java.util.List.of("write", "reliably"), w.calls);
        assertArrayEquals(concat(frame(100, 1), frame(200, 2)), w.bytes.get(0));
        assertArrayEquals(frame(50, 3), w.bytes.get(1), "the control packet with its u16 length prefix");

        t.sendControl(packet(40, 4), 2, 40); // nothing queued: only the control packet
        t.send(packet(30, 5), 2, 30); // a data packet sent now stays droppable
        assertEquals(java.util.List.of("write", "reliably", "reliably", "write"), w.calls);
        assertArrayEquals(frame(40, 4), w.bytes.get(2));
        assertArrayEquals(frame(30, 5), w.bytes.get(3));
        t.close();
        t.sendControl(packet(10, 6), 2, 10); // after close: dropped, no exception
        assertEquals(4, w.calls.size());
    }

    /**
     * Issue 12: the core counts a packet as sent when it hands it over; when the writer then drops the batch that holds
     * it (the client is not reading), the transport reports the core's packets in it with their plaintext sizes, so
     * the session's counters leave them out. Packets the session made itself (a ping sent now) are not the core's.
     */
    @Test
    void aDroppedBatchIsReportedWithTheCoresPacketsInIt() {
        RecordingWriter w = new RecordingWriter() {
            @Override
            public boolean write(ByteBuffer b) {
                super.write(b);
                return false; // the client is not reading: dropped whole
            }
        };
        java.util.List<long[]> reported = new java.util.ArrayList<>();
        OpenVpnStreamProtocol.StreamTransport t = new OpenVpnStreamProtocol.StreamTransport(w);
        t.reportDropsTo((packets, bytes) -> reported.add(new long[] {packets, bytes}));
        t.queue(packet(120, 1), 2, 120, 100);
        t.queue(packet(220, 2), 2, 220, 200);
        t.send(packet(40, 3), 2, 40); // written with the batch, but not a packet of the core's
        assertEquals(1, reported.size());
        assertArrayEquals(new long[] {2, 300}, reported.getFirst());

        t.queue(packet(120, 4), 2, 120, 100);
        t.flush();
        assertArrayEquals(new long[] {1, 100}, reported.get(1));

        t.queue(packet(120, 5), 2, 120, 100);
        t.close(); // never written
        t.queue(packet(120, 6), 2, 120, 100); // after close
        assertEquals(4, reported.size());
        assertArrayEquals(new long[] {1, 100}, reported.get(2));
        assertArrayEquals(new long[] {1, 100}, reported.get(3));
    }

    @Test
    void aBatchTheWriterTakesIsNotReported() {
        RecordingWriter w = new RecordingWriter();
        java.util.List<long[]> reported = new java.util.ArrayList<>();
        OpenVpnStreamProtocol.StreamTransport t = new OpenVpnStreamProtocol.StreamTransport(w);
        t.reportDropsTo((packets, bytes) -> reported.add(new long[] {packets, bytes}));
        t.queue(packet(120, 1), 2, 120, 100);
        t.flush();
        assertEquals(1, w.calls.size());
        assertEquals(0, reported.size());
    }
}
