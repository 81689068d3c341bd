package io.p2sgw.dataplane.tun;

import java.io.IOException;
import java.nio.ByteBuffer;

/** A layer-3 packet device: whole IP packets in and out (no packet-information header). */
public interface TunDevice extends AutoCloseable {
    String name();

    /**
     * Waits up to {@code timeoutMillis} for a packet and reads it into {@code buffer} (position 0 .. limit);
     * {@code 0} does not wait (a packet already queued, or nothing).
     *
     * @return the packet length, or 0 when nothing arrived in time
     */
    int read(ByteBuffer buffer, int timeoutMillis) throws IOException;

    /** Writes one packet (position..limit) to the kernel. */
    void write(ByteBuffer packet) throws IOException;

    @Override
    void close();
}
