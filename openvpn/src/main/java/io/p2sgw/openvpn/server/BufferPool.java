package io.p2sgw.openvpn.server;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Large buffers a TCP connection borrows only while it moves a burst, so an idle session holds none (the per-session
 * memory budget, issue #4) and a busy one allocates none once warmed up (reused, not allocated per burst).
 */
final class BufferPool {
    /** Room for {@code TunnelEndpoint.MAX_PACKETS_PER_FLUSH} full-size packets with their length prefixes. */
    static final int BATCH_BYTES = 64 * 1024;
    /** Buffers kept for reuse per pool; more are allocated when more connections are busy at once, and dropped afterwards. */
    static final int MAX_POOLED = 64;

    /** Where a burst of outgoing packets is gathered to be written with one system call (direct: no copy to send). */
    static final BufferPool WRITE_BATCHES = new BufferPool(true);

    private final boolean direct;
    private final ConcurrentLinkedQueue<ByteBuffer> pool = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pooled = new AtomicInteger();

    private BufferPool(boolean direct) {
        this.direct = direct;
    }

    /** A cleared buffer of {@link #BATCH_BYTES}. */
    ByteBuffer borrow() {
        ByteBuffer b = pool.poll();
        if (b == null) {
            return direct ? ByteBuffer.allocateDirect(BATCH_BYTES) : ByteBuffer.allocate(BATCH_BYTES);
        }
        pooled.decrementAndGet();
        return b.clear();
    }

    void release(ByteBuffer b) {
        if (pooled.incrementAndGet() <= MAX_POOLED) {
            pool.offer(b.clear());
        } else {
            pooled.decrementAndGet();
        }
    }
}
