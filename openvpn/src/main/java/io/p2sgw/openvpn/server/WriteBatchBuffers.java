package io.p2sgw.openvpn.server;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Direct buffers in which a TCP connection gathers a burst of outgoing packets to write them with one system call
 * (see {@code TunnelEndpoint#flushToClient}). A connection holds one only between the first packet of a burst and its
 * flush, so an idle session holds none (the per-session memory budget, issue #4), and the buffers are reused: no
 * allocation per burst once warmed up.
 */
final class WriteBatchBuffers {
    /** Room for {@code TunnelEndpoint.MAX_PACKETS_PER_FLUSH} full-size packets with their length prefixes. */
    static final int BATCH_BYTES = 64 * 1024;
    /** Buffers kept for reuse; more are allocated when more connections flush at once, and dropped afterwards. */
    static final int MAX_POOLED = 64;

    private static final ConcurrentLinkedQueue<ByteBuffer> POOL = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger POOLED = new AtomicInteger();

    private WriteBatchBuffers() {
    }

    /** A cleared buffer of {@link #BATCH_BYTES}. */
    static ByteBuffer borrow() {
        ByteBuffer b = POOL.poll();
        if (b == null) {
            return ByteBuffer.allocateDirect(BATCH_BYTES);
        }
        POOLED.decrementAndGet();
        return b.clear();
    }

    static void release(ByteBuffer b) {
        if (POOLED.incrementAndGet() <= MAX_POOLED) {
            POOL.offer(b.clear());
        } else {
            POOLED.decrementAndGet();
        }
    }
}
