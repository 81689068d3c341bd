package io.p2sgw.dataplane.spi;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The sending half of a {@link DatagramService}'s sockets, as the core hands it over: every datagram leaves from the
 * socket its peer sent to ({@link DatagramPeer#socket}). Thread-safe; never waits for a client (UDP has no flow
 * control: a datagram the kernel cannot take is lost, as on the wire).
 *
 * <p>Batches: {@link #queue} copies a datagram into the socket's send batch, and the batch goes out with one
 * {@code sendmmsg(2)} call at the next {@link #flush} or {@link #send}, or when it is full. The core's TUN reader
 * calls {@link TunnelEndpoint#flushToClient} at the end of every burst, so a protocol that queues there sends a burst
 * to many clients on one socket in one system call (the first session's flush takes the others' datagrams along).
 * What a {@link DatagramReceiver} queues while handling a datagram goes out when the core has handed it the rest of
 * that read batch.
 */
public interface DatagramSender {
    /**
     * Sends {@code datagram} (position to limit) to {@code to} now, after anything queued on that socket. The caller
     * keeps the buffer; its position is left where it was.
     *
     * @return false when the sockets are closed or the datagram could not be sent
     */
    boolean send(ByteBuffer datagram, DatagramPeer to);

    /**
     * Copies {@code datagram} (position to limit) into the send batch of {@code to}'s socket; it leaves with the next
     * {@link #flush} or {@link #send}, or at once when the batch is full. The caller keeps the buffer.
     *
     * @return false when the sockets are closed or the datagram is larger than a UDP payload
     */
    boolean queue(ByteBuffer datagram, DatagramPeer to);

    /** Sends every queued datagram of every socket. */
    void flush();

    /** The sockets' local addresses (the ports are real when 0 was asked for). */
    List<InetSocketAddress> localAddresses();
}
