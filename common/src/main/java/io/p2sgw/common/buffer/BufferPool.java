package io.p2sgw.common.buffer;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Large buffers a connection borrows only while it moves a burst, so an idle session holds none (the per-session
 * memory budget, issue #4) and a busy one allocates none once warmed up (reused, not allocated per burst). Shared by
 * every protocol's stream writer. Thread-safe.
 */
public final class BufferPool {
    /** Buffers kept for reuse per pool by default; more are allocated when more connections are busy at once, and dropped afterwards. */
    public static final int DEFAULT_MAX_POOLED = 64;

    private final int bufferBytes;
    private final int maxPooled;
    private final boolean direct;
    private final ConcurrentLinkedQueue<ByteBuffer> pool = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pooled = new AtomicInteger();

    /**
     * @param bufferBytes the capacity of every buffer
     * @param maxPooled   buffers kept for reuse when released
     * @param direct      direct buffers (handed to a system call without a copy) or heap buffers
     */
    public BufferPool(int bufferBytes, int maxPooled, boolean direct) {
        if (bufferBytes < 1 || maxPooled < 0) {
            throw new IllegalArgumentException("bufferBytes " + bufferBytes + ", maxPooled " + maxPooled);
        }
        this.bufferBytes = bufferBytes;
        this.maxPooled = maxPooled;
        this.direct = direct;
    }

    public int bufferBytes() {
        return bufferBytes;
    }

    /** A cleared buffer of {@link #bufferBytes()}. */
    public ByteBuffer borrow() {
        ByteBuffer b = pool.poll();
        if (b == null) {
            return direct ? ByteBuffer.allocateDirect(bufferBytes) : ByteBuffer.allocate(bufferBytes);
        }
        pooled.decrementAndGet();
        return b.clear();
    }

    /** Gives {@code b} back; the caller must not use it afterwards. */
    public void release(ByteBuffer b) {
        if (b.capacity() != bufferBytes) {
            throw new IllegalArgumentException("not a buffer of this pool: capacity " + b.capacity());
        }
        if (pooled.incrementAndGet() <= maxPooled) {
            pool.offer(b.clear());
        } else {
            pooled.decrementAndGet();
        }
    }
}
