package io.p2sgw.dataplane.spi;

import java.nio.ByteBuffer;

/**
 * The receiving half of a running {@link DatagramService}: the core reads its sockets and pushes every datagram here
 * (bytes in, as the protocol engines take them; DESIGN.md "sans-I/O").
 *
 * <p>The core reads every datagram socket of the gateway on one reader thread, many datagrams per system call
 * ({@code recvmmsg(2)}), so {@link #received} runs on a thread every UDP protocol shares: decrypting a data packet
 * there is right, a handshake step (milliseconds of RSA) is not and goes to a thread of the session's own.
 */
public interface DatagramReceiver {
    /**
     * One whole datagram: position to limit of a heap buffer ({@code hasArray()}) valid only during the call (the
     * core reuses it). An exception thrown here is logged and costs only this datagram. Calls never overlap, whichever
     * of the service's sockets they come from.
     *
     * @param from the sender, and the local socket it came in on; the same object for every datagram of that peer
     *             while the core remembers it
     */
    void received(ByteBuffer datagram, DatagramPeer from);

    /**
     * The core stops the service (its tunnel type left {@code vpnClientProtocols}, or the gateway shuts down): end
     * every session, telling clients where the protocol can, through the sender, which still sends during this call.
     * The core closes the sockets right after, and then the ports are free. A datagram the reader had already taken
     * may still reach {@link #received} while this runs; ignore what comes after it. Called once.
     */
    void stopped(String reason);
}
