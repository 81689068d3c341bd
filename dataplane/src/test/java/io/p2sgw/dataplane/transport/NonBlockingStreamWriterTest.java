package io.p2sgw.dataplane.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.dataplane.spi.StreamWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The core's TCP writer against a real loopback connection whose reader does not read: the caller is never held up,
 * the writes the client cannot take are dropped whole and counted, and what was not dropped arrives whole and in
 * order once the client reads. A writer that waited would hang these tests (the timeout reports it).
 */
@Timeout(60)
class NonBlockingStreamWriterTest {
    static final int RECORD = 8 * 1024;
    static final int RECORDS = 400;

    ServerSocketChannel server;
    SocketChannel client;
    SocketChannel accepted;
    final AtomicInteger drops = new AtomicInteger();

    @BeforeEach
    void connect() throws IOException {
        assertTrue(NonBlockingStreamWriter.available(), "the test JVM exports sun.nio.ch (see the parent pom's argLine): "
                + SocketFd.UNAVAILABLE_BECAUSE.orElse(""));
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = SocketChannel.open();
        // Small buffers on both ends, so "full" comes after a few records, not megabytes.
        client.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024);
        client.connect(server.getLocalAddress());
        accepted = server.accept();
        accepted.setOption(StandardSocketOptions.SO_SNDBUF, 16 * 1024);
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        accepted.close();
        server.close();
    }

    /** A record: its sequence number, then RECORD - 4 bytes that all equal the low byte of the sequence number. */
    static ByteBuffer record(int seq) {
        ByteBuffer b = ByteBuffer.allocate(RECORD);
        b.putInt(seq);
        while (b.hasRemaining()) {
            b.put((byte) seq);
        }
        return b.flip();
    }

    /** Reads one record from the client's side and returns its sequence number, checking every byte of it. */
    int readRecord() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(RECORD);
        while (b.hasRemaining()) {
            if (client.read(b) < 0) {
                throw new IOException("end of stream after " + b.position() + " bytes of a record");
            }
        }
        b.flip();
        int seq = b.getInt();
        while (b.hasRemaining()) {
            assertEquals((byte) seq, b.get(), "byte " + b.position() + " of record " + seq);
        }
        return seq;
    }

    /**
     * Writes records 0, 1, ... until one is dropped: then the socket is full and the rest of the last kept record
     * waits for the client. Returns the kept sequence numbers (the dropped one is {@code kept.size()}).
     */
    static List<Integer> fillUntilDropped(StreamWriter w) {
        List<Integer> kept = new ArrayList<>();
        while (w.write(record(kept.size()))) {
            kept.add(kept.size());
        }
        return kept;
    }

    @Test
    void aClientThatDoesNotReadHoldsUpNoWriterAndGetsEveryKeptWriteWholeOnceItReads() throws Exception {
        StreamWriter w = NonBlockingStreamWriter.of(accepted, drops::incrementAndGet);
        List<Integer> kept = new ArrayList<>();
        // 3.2 MB for a client that reads nothing: this loop ends only because no write waits for it.
        for (int seq = 0; seq < RECORDS; seq++) {
            ByteBuffer r = record(seq);
            if (w.write(r)) {
                kept.add(seq);
            }
            assertEquals(0, r.position(), "the caller's buffer is left as it was");
        }
        assertTrue(drops.get() > 0, "writes were dropped while the client did not read");
        assertEquals(RECORDS - kept.size(), drops.get());
        assertEquals(drops.get(), w.dropped());
        assertTrue(kept.size() < RECORDS / 2, "most writes were dropped: " + kept.size() + " kept");

        // The client reads: exactly the kept records, whole and in order (a record was never cut or half dropped).
        List<Integer> received = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            received.add(readRecord());
        }
        assertEquals(kept, received);

        // Once the kept rest has gone out, writes go through again.
        int seq = RECORDS;
        while (!w.write(record(seq))) {
            Thread.sleep(10);
            seq++;
        }
        assertEquals(seq, readRecord());
        w.close();
        assertFalse(accepted.isOpen());
        assertEquals(-1, client.read(ByteBuffer.allocate(1)), "closing the writer closes the connection");
    }

    @Test
    void writesToAClientThatHasGoneFailAndCloseTheConnection() throws Exception {
        StreamWriter w = NonBlockingStreamWriter.of(accepted, drops::incrementAndGet);
        assertTrue(w.write(record(0)));
        client.setOption(StandardSocketOptions.SO_LINGER, 0);
        client.close(); // a reset: the next sends fail with ECONNRESET or EPIPE
        int seq = 1;
        while (w.write(record(seq))) {
            Thread.sleep(10);
            seq++;
        }
        assertFalse(accepted.isOpen(), "the writer closed the connection it could not write to");
        assertFalse(w.write(record(seq + 1)));
        assertEquals(0, drops.get(), "a closed connection is not a slow client");
    }

    @Test
    void closingEndsTheWaitForAStalledClient() throws Exception {
        StreamWriter w = NonBlockingStreamWriter.of(accepted, drops::incrementAndGet);
        int seq = fillUntilDropped(w).size();
        // A rest is waiting for the client now; closing must not wait for it.
        w.close();
        assertFalse(accepted.isOpen());
        assertFalse(w.write(record(seq + 1)));
        // The client can still read what reached it, then sees the end of the stream.
        int records = 0;
        try {
            while (true) {
                readRecord();
                records++;
            }
        } catch (IOException expected) {
            // end of stream, possibly inside a record the close cut off
        }
        assertTrue(records <= seq, records + " records read, " + seq + " written");
    }

    /** Small records, like OpenVPN control packets, for the reliable path. */
    static ByteBuffer small(int seq, int len) {
        ByteBuffer b = ByteBuffer.allocate(len);
        b.putInt(seq);
        while (b.hasRemaining()) {
            b.put((byte) seq);
        }
        return b.flip();
    }

    /**
     * A connection that stays full loses its data writes but not its control channel: reliable writes made while
     * the backlog waits are kept and arrive after it, whole and in order, with the dropped data writes absent. Before
     * writeReliably existed, every control packet of such a client was dropped (a renegotiation could not finish).
     */
    @Test
    void reliableWritesWaitBehindTheBacklogInsteadOfBeingDropped() throws Exception {
        StreamWriter w = NonBlockingStreamWriter.of(accepted, drops::incrementAndGet);
        List<Integer> keptData = fillUntilDropped(w);
        int seq = keptData.size();
        int dropsBefore = drops.get();
        // Interleaved: control records (kept), data records (dropped), as a renegotiation during a download.
        int control = 3;
        for (int i = 0; i < control; i++) {
            assertTrue(w.writeReliably(small(1000 + i, 1200)), "control record " + i + " kept");
            assertFalse(w.write(record(++seq)), "data record dropped while backlogged");
        }
        assertEquals(dropsBefore + control, drops.get(), "only the data writes were dropped");

        for (int expected : keptData) {
            assertEquals(expected, readRecord());
        }
        for (int i = 0; i < control; i++) {
            ByteBuffer b = ByteBuffer.allocate(1200);
            while (b.hasRemaining()) {
                assertTrue(client.read(b) >= 0, "end of stream inside control record " + i);
            }
            b.flip();
            assertEquals(1000 + i, b.getInt(), "control records arrive in order, after the backlog");
            while (b.hasRemaining()) {
                assertEquals((byte) (1000 + i), b.get());
            }
        }
        // Drained: writes go through again and nothing else is in the stream between.
        int next = 5000;
        while (!w.write(record(next))) {
            Thread.sleep(10);
            next++;
        }
        assertEquals(next, readRecord());
    }

    /**
     * What a client that reads nothing makes us keep is bounded: beyond MAX_KEPT_BYTES reliable writes drop too. The
     * kernel may still move a little of what waits into the client's receive buffer meanwhile (loopback transmits
     * asynchronously), which frees room in the queue; so at least the bound's worth is kept, at most that plus what
     * the two sockets' buffers could still absorb, and the first refused write is counted once.
     */
    @Test
    void reliableWritesBeyondTheBoundAreDroppedAndCounted() throws Exception {
        StreamWriter w = NonBlockingStreamWriter.of(accepted, drops::incrementAndGet);
        fillUntilDropped(w);
        int dropsBefore = drops.get();
        int len = 1000;
        int fit = NonBlockingStreamWriter.MAX_KEPT_BYTES / len;
        int socketSlack = 4 * 64 * 1024 / len; // the send and receive buffers, doubled by Linux, with room to spare
        int kept = 0;
        while (w.writeReliably(small(kept, len))) {
            kept++;
            assertTrue(kept <= fit + socketSlack, "reliable writes stop being kept near the bound: " + kept);
        }
        assertTrue(kept >= fit, "the bound's worth is kept before anything is dropped: " + kept + " of " + fit);
        assertEquals(dropsBefore + 1, drops.get(), "the write past the bound is dropped and counted once");
        w.close();
    }

    // ---------------------------------------------------------------- streams that may not lose bytes (issue 12)

    /**
     * A TLS stream asks {@code congested()} before it encrypts a data packet: true from the write the socket could not
     * take whole until the client has read what waited, and for good once closed.
     */
    @Test
    void congestedWhileBytesWaitForTheClient() throws Exception {
        StreamWriter w = NonBlockingStreamWriter.of(accepted, drops::incrementAndGet);
        assertFalse(w.congested());
        List<Integer> kept = fillUntilDropped(w);
        assertTrue(w.congested(), "a write was just dropped: the connection is full");

        for (int expected : kept) {
            assertEquals(expected, readRecord());
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (w.congested()) {
            assertTrue(System.nanoTime() < deadline, "still congested after the client read everything");
            Thread.sleep(5);
        }
        assertTrue(w.write(record(9999)));
        assertEquals(9999, readRecord());
        w.close();
        assertTrue(w.congested(), "a closed connection takes nothing");
    }

    /**
     * {@code writeOrClose} never drops: every byte it took reaches the client in order, with no hole; when the client
     * has fallen more than MAX_KEPT_BYTES behind, the connection closes instead of losing part of the stream. With
     * {@code write} the records after the first drop would be missing from the middle of the stream.
     */
    @Test
    void writeOrCloseKeepsTheStreamWholeAndClosesWhenTheClientFallsTooFarBehind() throws Exception {
        StreamWriter w = NonBlockingStreamWriter.of(accepted, drops::incrementAndGet);
        int taken = 0;
        // The client reads nothing: this ends only because the writer closes past its bound (the timeout says if not).
        while (w.writeOrClose(record(taken))) {
            taken++;
        }
        assertTrue(taken * RECORD >= NonBlockingStreamWriter.MAX_KEPT_BYTES,
                "at least the bound was kept before closing: " + taken + " records");
        assertEquals(0, drops.get(), "nothing was dropped");
        assertFalse(accepted.isOpen(), "closed rather than drop bytes");
        assertFalse(w.writeOrClose(record(taken)), "closed: nothing more is taken");

        // What reaches the client is the stream from its start, record after record, never with one missing; it may
        // end early (the bytes kept at the close are not sent), never with a gap.
        int seq = 0;
        try {
            while (true) {
                assertEquals(seq, readRecord(), "records arrive in order without a gap");
                seq++;
            }
        } catch (IOException endOfStream) {
            // the end: a clean end of stream or a reset, after whole records or inside the last one
        }
        assertTrue(seq <= taken);
    }
}
