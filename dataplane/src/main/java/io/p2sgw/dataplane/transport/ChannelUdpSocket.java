package io.p2sgw.dataplane.transport;

import io.p2sgw.dataplane.spi.DatagramPeer;
import io.p2sgw.dataplane.spi.DatagramReceiver;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fallback where the FFM path cannot be had (not Linux on a 64-bit machine, no {@code recvmmsg} in libc): a
 * {@link DatagramChannel} read by a virtual thread of its own, one datagram per call, each send at once (there is no
 * batch to fill, so {@link #queue} sends too). Same receiver contract as {@link NativeUdpSocket}: the sockets of one
 * endpoint share a delivery lock, so their receiver's calls never overlap although each socket has its own thread.
 */
final class ChannelUdpSocket extends UdpSocket {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelUdpSocket.class);

    private final DatagramChannel channel;
    private final ReentrantLock delivery;
    private volatile Thread readerThread;

    private ChannelUdpSocket(int id, DatagramChannel channel, InetSocketAddress local, String service, ReentrantLock delivery) {
        super(id, local, service);
        this.channel = channel;
        this.delivery = delivery;
    }

    /** @param delivery the lock every socket of the endpoint delivers under */
    static ChannelUdpSocket bind(int id, Inet4Address address, int port, String service, ReentrantLock delivery)
            throws IOException {
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            ch.bind(new InetSocketAddress(address, port));
            return new ChannelUdpSocket(id, ch, (InetSocketAddress) ch.getLocalAddress(), service, delivery);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    void startReading(DatagramReceiver r) {
        receiver = r;
        readerThread = Thread.ofVirtual().name("udp-read-" + local).start(this::readLoop);
    }

    private void readLoop() {
        ByteBuffer buf = ByteBuffer.allocate(MAX_PAYLOAD + 1);
        while (channel.isOpen()) {
            SocketAddress from;
            try {
                buf.clear();
                from = channel.receive(buf);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                continue; // an ICMP error reported on the socket; the next datagram is unaffected
            }
            buf.flip();
            if (!(from instanceof InetSocketAddress isa) || !(isa.getAddress() instanceof Inet4Address a)
                    || buf.remaining() > MAX_PAYLOAD) {
                continue;
            }
            DatagramPeer peer = peers.peer(NativeUdpSocket.ipv4(a), isa.getPort());
            delivery.lock();
            try {
                deliver(buf, peer);
            } finally {
                delivery.unlock();
            }
        }
    }

    @Override
    boolean send(ByteBuffer datagram, DatagramPeer to) {
        int position = datagram.position();
        try {
            return channel.send(datagram, to.remote()) > 0 || !datagram.hasRemaining();
        } catch (IOException e) {
            return false; // UDP: a lost datagram is retransmitted or the peer times out
        } finally {
            datagram.position(position);
        }
    }

    @Override
    boolean queue(ByteBuffer datagram, DatagramPeer to) {
        return send(datagram, to);
    }

    @Override
    void flush() {
        // every datagram went out in send
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing {}: {}", local, e.toString());
        }
        Thread t = readerThread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
