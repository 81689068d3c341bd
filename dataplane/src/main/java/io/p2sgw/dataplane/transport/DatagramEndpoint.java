package io.p2sgw.dataplane.transport;

import io.p2sgw.dataplane.spi.DatagramPeer;
import io.p2sgw.dataplane.spi.DatagramReceiver;
import io.p2sgw.dataplane.spi.DatagramSender;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sockets of one running {@link io.p2sgw.dataplane.spi.DatagramService}: every port it asked for on every local
 * address it serves. The service sends through it ({@link DatagramSender}); the core starts and closes it.
 */
public final class DatagramEndpoint implements DatagramSender, AutoCloseable {
    private final UdpSocket[] sockets;
    private final List<InetSocketAddress> localAddresses;
    private final AtomicBoolean closed = new AtomicBoolean();

    DatagramEndpoint(List<UdpSocket> sockets) {
        this.sockets = sockets.toArray(UdpSocket[]::new);
        this.localAddresses = sockets.stream().map(s -> s.local).toList();
    }

    /** Starts pushing the sockets' datagrams to {@code receiver} (they wait in the kernel until then). */
    public void start(DatagramReceiver receiver) {
        for (UdpSocket s : sockets) {
            s.startReading(receiver);
        }
    }

    @Override
    public boolean send(ByteBuffer datagram, DatagramPeer to) {
        UdpSocket s = socketOf(to);
        return s != null && s.send(datagram, to);
    }

    @Override
    public boolean queue(ByteBuffer datagram, DatagramPeer to) {
        UdpSocket s = socketOf(to);
        return s != null && s.queue(datagram, to);
    }

    @Override
    public void flush() {
        for (UdpSocket s : sockets) {
            s.flush();
        }
    }

    @Override
    public List<InetSocketAddress> localAddresses() {
        return localAddresses;
    }

    /** The sockets, in {@link #localAddresses} order (tests). */
    List<UdpSocket> sockets() {
        return List.of(sockets);
    }

    /** The socket a peer came in on (a handful per endpoint: a scan, no allocation). */
    private UdpSocket socketOf(DatagramPeer to) {
        int id = to.socket();
        for (UdpSocket s : sockets) {
            if (s.id == id) {
                return s;
            }
        }
        return null;
    }

    /** Closes every socket; when this returns the ports are free. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            for (UdpSocket s : sockets) {
                s.close();
            }
        }
    }
}
