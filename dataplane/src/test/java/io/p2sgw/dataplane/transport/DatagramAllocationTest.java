package io.p2sgw.dataplane.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import io.p2sgw.dataplane.spi.DatagramPeer;
import io.p2sgw.dataplane.spi.DatagramReceiver;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The batched path allocates nothing per datagram once warmed up (the hot path rule): the reader thread receiving
 * datagrams from a known peer, and a sender queueing and flushing to it. Measured with the JVM's per-thread
 * allocation counter over many datagrams; the bound is far below one object per datagram (an InetSocketAddress alone
 * is 24 bytes). Before measuring, each side runs long enough for the JIT to compile it (the interpreter and C1 do
 * allocate where C2's escape analysis does not, for example around the FFM calls).
 */
@Timeout(60)
class DatagramAllocationTest {
    private static final InetAddress LO = InetAddress.getLoopbackAddress();
    private static final int WARM_UP = 100_000;
    private static final int MEASURED = 20_000;
    /** Measured windows at most, each after the one before it allocated. */
    private static final int WINDOWS = 10;
    /** Sends before measuring: enough flushes (16 datagrams each) for the JIT to compile the send path fully. */
    private static final int SEND_WARM_UP = 400_000;
    /** Bytes per datagram allowed on average: a few stray objects over the whole run, never one per datagram. */
    private static final double MAX_BYTES_PER_DATAGRAM = 2.0;

    @Test
    void receivingAndQueueingAllocateNothingPerDatagram() throws Exception {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "no per-thread allocation counter in this JVM");
        threads.setThreadAllocatedMemoryEnabled(true);
        try (DatagramTransport t = DatagramTransport.create()) {
            assumeTrue(t.batched(), "FFM UDP not available here");
            try (DatagramEndpoint ep = t.bind("alloc", LO, List.of(0));
                    DatagramChannel client = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(LO, 0))) {
                AtomicLong received = new AtomicLong();
                AtomicReference<DatagramPeer> peer = new AtomicReference<>();
                AtomicReference<Thread> readerThread = new AtomicReference<>();
                ep.start(new DatagramReceiver() {
                    @Override
                    public void received(ByteBuffer datagram, DatagramPeer from) {
                        // The peer escapes, as it does into a protocol's session lookup: a peer made per datagram
                        // could not be optimised away here.
                        peer.set(from);
                        readerThread.compareAndSet(null, Thread.currentThread());
                        received.incrementAndGet();
                    }

                    @Override
                    public void stopped(String reason) {
                    }
                });
                InetSocketAddress server = ep.localAddresses().getFirst();
                ByteBuffer out = ByteBuffer.allocateDirect(1200);
                // Paced by the count the receiver saw, so the socket buffer never overflows (nothing is lost).
                sendAndWait(client, server, out, received, WARM_UP);
                long readerId = readerThread.get().threadId();
                long readerBytes = Long.MAX_VALUE;
                long total = WARM_UP;
                // Windows until one is clean: a slow JIT on a busy machine delays the steady state, never fails it.
                for (int w = 0; w < WINDOWS && readerBytes > MAX_BYTES_PER_DATAGRAM * MEASURED; w++) {
                    long before = threads.getThreadAllocatedBytes(readerId);
                    total += MEASURED;
                    sendAndWait(client, server, out, received, total);
                    readerBytes = threads.getThreadAllocatedBytes(readerId) - before;
                }
                assertTrue(readerBytes <= MAX_BYTES_PER_DATAGRAM * MEASURED,
                        "the reader allocated " + readerBytes + " bytes for " + MEASURED + " datagrams");
                assertEquals(total, received.get(), "every datagram arrived");

                // The sending side, as the TUN reader uses it: queue to a known peer, flush per burst. The client is
                // drained on another thread, so only queue and flush are measured (losses there do not matter here).
                ByteBuffer reply = ByteBuffer.allocate(1200);
                DatagramPeer to = peer.get();
                AtomicLong got = new AtomicLong();
                Thread drain = Thread.ofPlatform().daemon().start(() -> {
                    ByteBuffer sink = ByteBuffer.allocateDirect(2048);
                    try {
                        while (client.receive(sink.clear()) != null) {
                            got.incrementAndGet();
                        }
                    } catch (java.io.IOException e) {
                        // closed at the end of the test
                    }
                });
                long mine = Thread.currentThread().threadId();
                queueAndFlush(ep, reply, to, SEND_WARM_UP);
                long senderBytes = Long.MAX_VALUE;
                for (int w = 0; w < WINDOWS && senderBytes > MAX_BYTES_PER_DATAGRAM * MEASURED; w++) {
                    long before = threads.getThreadAllocatedBytes(mine);
                    queueAndFlush(ep, reply, to, MEASURED);
                    senderBytes = threads.getThreadAllocatedBytes(mine) - before;
                }
                assertTrue(senderBytes <= MAX_BYTES_PER_DATAGRAM * MEASURED,
                        "queue and flush allocated " + senderBytes + " bytes for " + MEASURED + " datagrams");
                client.close();
                drain.join();
                assertTrue(got.get() > 0, "the queued datagrams arrived");
            }
        }
    }

    private static void queueAndFlush(DatagramEndpoint ep, ByteBuffer datagram, DatagramPeer to, int count) {
        for (int i = 0; i < count; i += 16) {
            for (int k = 0; k < 16; k++) {
                ep.queue(datagram.clear(), to);
            }
            ep.flush();
        }
    }

    private static void sendAndWait(DatagramChannel client, InetSocketAddress server, ByteBuffer out, AtomicLong received,
            long until) throws Exception {
        long sent = received.get();
        while (sent < until) {
            int burst = (int) Math.min(32, until - sent);
            for (int i = 0; i < burst; i++) {
                client.send(out.clear(), server);
            }
            sent += burst;
            while (received.get() < sent) {
                Thread.onSpinWait();
            }
        }
    }
}
