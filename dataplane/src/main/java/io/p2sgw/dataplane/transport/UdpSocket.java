package io.p2sgw.dataplane.transport;

import io.p2sgw.dataplane.spi.DatagramPeer;
import io.p2sgw.dataplane.spi.DatagramReceiver;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bound UDP socket of the core: a local IPv4 address and port, the receiver its datagrams go to, and the peers
 * seen on it. Two kinds: {@link NativeUdpSocket} (FFM, batched) and {@link ChannelUdpSocket} (DatagramChannel, the
 * fallback).
 */
abstract sealed class UdpSocket implements AutoCloseable permits NativeUdpSocket, ChannelUdpSocket {
    private static final Logger LOG = LoggerFactory.getLogger(UdpSocket.class);
    /** The largest UDP payload over IPv4 (65535 - 20 - 8). */
    static final int MAX_PAYLOAD = 65_507;

    final int id;
    final InetSocketAddress local;
    final String service;
    /** Peers by address, read and grown only by the thread that reads this socket. */
    final PeerTable peers;
    volatile DatagramReceiver receiver;

    UdpSocket(int id, InetSocketAddress local, String service) {
        this.id = id;
        this.local = local;
        this.service = service;
        this.peers = new PeerTable(id, local);
    }

    /** Sends now, after anything queued; false when closed or the kernel refused it. */
    abstract boolean send(ByteBuffer datagram, DatagramPeer to);

    /** Copies into the send batch; false when closed or too large. */
    abstract boolean queue(ByteBuffer datagram, DatagramPeer to);

    /** Sends the batch. */
    abstract void flush();

    /** Starts handing datagrams to {@code r}. */
    abstract void startReading(DatagramReceiver r);

    /** Closes the socket; once this returns the port is free. Idempotent. */
    @Override
    public abstract void close();

    /** Hands one datagram to the receiver; an exception costs only that datagram. */
    final void deliver(ByteBuffer datagram, DatagramPeer from) {
        DatagramReceiver r = receiver;
        if (r == null) {
            return;
        }
        try {
            r.received(datagram, from);
        } catch (RuntimeException e) {
            LOG.warn("{}: datagram from {} dropped, the protocol failed on it", service, from, e);
        }
    }
}
