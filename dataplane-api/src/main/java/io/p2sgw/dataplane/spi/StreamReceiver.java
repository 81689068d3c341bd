package io.p2sgw.dataplane.spi;

import java.nio.ByteBuffer;

/**
 * The receiving half of one client's TCP connection, as a {@link StreamProtocol} gives it to the core: the core reads
 * the socket and pushes the bytes here (bytes in, as the protocol engines take them; DESIGN.md "sans-I/O").
 *
 * <p>The core's readers are a few platform threads, each waiting on many connections at once with {@code epoll}:
 * an idle connection costs no thread, and a busy one costs no hand-off between threads per read (a virtual thread
 * per connection paid two: the JDK's poller, then a carrier; issue #4 notes). So {@link #received} runs on a thread
 * other connections share: decrypting a data packet there is right, a TLS handshake step (milliseconds of RSA) is not
 * and goes to a thread of the connection's own.
 */
public interface StreamReceiver {
    /**
     * The next bytes the client sent, in stream order: position to limit of a heap buffer that is valid only during
     * the call (the core reuses it). Calls for one connection never overlap.
     *
     * @return false when the connection is over (the protocol ended its session or the bytes break its framing); the
     *         core then closes the connection and calls {@link #ended}
     */
    boolean received(ByteBuffer bytes);

    /**
     * The connection is over: the client closed or reset it, {@link #received} returned false, the protocol closed
     * its {@link StreamWriter}, or the core is shutting down. Called exactly once, after the last {@link #received};
     * the connection is closed by then.
     */
    void ended(String reason);
}
