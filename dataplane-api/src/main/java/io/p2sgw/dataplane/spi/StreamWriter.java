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
 *
 * <p>Two kinds of stream use it:
 * <ul>
 *   <li>Frames that may be dropped one by one (OpenVPN over TCP: each packet is its own encrypted frame):
 *       {@link #write} for data, {@link #writeReliably} for the control channel.
 *   <li>A stream in which no byte may be lost (TLS records: SSTP, where the record layer's sequence numbers and MAC
 *       make a lost record fatal, RFC 8446 §5.2/§5.3): the protocol asks {@link #congested()} before it encrypts a
 *       data packet and drops the plaintext packet while the connection is congested (reporting it with
 *       {@code SessionHandle.droppedToClient}); everything it writes goes through {@link #writeOrClose}, which keeps
 *       bytes behind a backlog and, rather than drop any, closes the connection when the client has fallen too far
 *       behind.
 * </ul>
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

    /**
     * True while earlier bytes wait for the client (its receive window and our send buffer are full), or the
     * connection is closed: a {@link #write} now would be dropped. A TLS stream asks before encrypting a data packet and
     * drops the packet, not part of the record stream. A hint: the answer may change at once (the backlog drains on
     * another thread), which is harmless because {@link #writeOrClose} keeps what it is given. Never waits.
     */
    default boolean congested() {
        return false;
    }

    /**
     * Writes {@code bytes} whole and never drops them: now, or behind the bytes that wait for the client (the core's
     * writer keeps up to 64 KiB per connection). When keeping them would take more than that, the client has stopped
     * reading and the stream cannot stay whole: the connection is closed with a reason saying so (the protocol's
     * {@link StreamReceiver#ended} hears it) and this returns false. Also false when the connection is already closed.
     * Never waits for the client; the caller keeps the buffer.
     */
    default boolean writeOrClose(ByteBuffer bytes) {
        if (writeReliably(bytes)) {
            return true;
        }
        close();
        return false;
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
