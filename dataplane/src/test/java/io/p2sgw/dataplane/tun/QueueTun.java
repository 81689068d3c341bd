package io.p2sgw.dataplane.tun;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TUN the test feeds, for the core's and the router's tests: packets put in {@link #queue} come out of {@code read}
 * (timeout 0 answers at once, a longer one waits for the next packet); what the core writes is kept in
 * {@link #written}.
 */
public final class QueueTun implements TunDevice {
    public final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    public final ConcurrentLinkedQueue<byte[]> written = new ConcurrentLinkedQueue<>();

    @Override
    public String name() {
        return "test0";
    }

    @Override
    public int read(ByteBuffer buffer, int timeoutMillis) {
        byte[] p;
        try {
            p = timeoutMillis <= 0 ? queue.poll() : queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
        if (p == null) {
            return 0;
        }
        buffer.clear();
        buffer.put(p).flip();
        return p.length;
    }

    @Override
    public void write(ByteBuffer packet) {
        byte[] b = new byte[packet.remaining()];
        packet.duplicate().get(b);
        written.add(b);
    }

    @Override
    public void close() {
    }
}
