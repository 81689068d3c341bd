package io.p2sgw.dataplane.spi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sending half of one client's TCP connection, as the core hands it to a {@link StreamProtocol}. Its point is
 * the {@link TunnelEndpoint} contract: the core's TUN reader writes every client's packets, so a client that stops
 * reading must not make that thread wait. The core's writer (the dataplane's {@code NonBlockingStreamWriter}) gives
 * the socket what it takes at once, keeps the rest of that one write and sends it from a thread of its own, and drops
 * whole writes while that is under way, as OpenVPN drops beyond its {@code tcp-queue-limit}. A protocol writes whole
 * frames (or whole batches of frames), so a drop never breaks the stream's framing. Thread-safe.
 */
public interface StreamWriter extends AutoCloseable {
    /**
     * Writes {@code bytes} (position to limit) whole, or drops them whole and returns false (the client is not
     * reading, or the connection is closed). Never waits for the client. The caller keeps the buffer; its position
     * is left where it was.
     */
    boolean write(ByteBuffer bytes);

    /**
     * Like {@link #write}, for the few bytes a session cannot lose to a slow client: its control channel (TLS
     * records of a renegotiation, acknowledgements). While earlier bytes wait for the client these are queued behind
     * them, not dropped, up to a bound per connection (the core's writer keeps 64 KiB); beyond it they are dropped
     * and counted like {@link #write}'s. Without this, a client whose connection stays full (a download at its line
     * rate) would lose every control packet and with it the renegotiation, then the session: the stock server
     * drops only packets from its TUN beyond {@code tcp-queue-limit}, never its control channel. Never waits for the
     * client; the caller keeps the buffer.
     */
    default boolean writeReliably(ByteBuffer bytes) {
        return write(bytes);
    }

    /** Writes dropped so far because the client was not reading. */
    long dropped();

    /** Closes the connection (idempotent); later writes return false. */
    @Override
    void close();

    /**
     * A writer that waits for the socket: what a test or a platform without the non-blocking writer uses. A client
     * that stops reading holds up its caller; nothing is dropped, so {@link #writeReliably} is {@link #write}.
     */
    static StreamWriter blocking(SocketChannel channel) {
        return new StreamWriter() {
            private final ReentrantLock lock = new ReentrantLock();
            private volatile boolean closed;

            @Override
            public boolean write(ByteBuffer bytes) {
                lock.lock();
                try {
                    if (closed) {
                        return false;
                    }
                    ByteBuffer b = bytes.duplicate();
                    while (b.hasRemaining()) {
                        channel.write(b);
                    }
                    return true;
                } catch (IOException e) {
                    close();
                    return false;
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public long dropped() {
                return 0;
            }

            /** Not under the lock: closing the channel is what ends a write that waits for a stalled client. */
            @Override
            public void close() {
                closeChannel();
            }

            private void closeChannel() {
                closed = true;
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        };
    }
}
