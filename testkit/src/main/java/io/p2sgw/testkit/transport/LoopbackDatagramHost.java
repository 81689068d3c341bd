package io.p2sgw.testkit.transport;

import io.p2sgw.dataplane.spi.DatagramPeer;
import io.p2sgw.dataplane.spi.DatagramReceiver;
import io.p2sgw.dataplane.spi.DatagramSender;
import io.p2sgw.dataplane.spi.DatagramService;
import io.p2sgw.dataplane.spi.GatewayCore;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.List;

/**
 * What the core does for a {@link DatagramService}, reduced to one loopback socket for a protocol module's tests
 * (which see only dataplane-api): binds the service's first port (0: any free one), starts a run, pushes every
 * datagram to its receiver and sends what it sends. IPv4 only. The core's own transport (recvmmsg/sendmmsg) has its
 * tests in the dataplane module.
 */
public final class LoopbackDatagramHost implements DatagramSender, AutoCloseable {
    private final DatagramChannel channel;
    private final InetSocketAddress local;
    private final DatagramReceiver receiver;
    private final Thread reader;

    /** Binds the service's first port on loopback and starts a run of it. */
    public LoopbackDatagramHost(DatagramService service, GatewayCore core) throws IOException {
        channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), service.ports().getFirst()));
        local = (InetSocketAddress) channel.getLocalAddress();
        receiver = service.start(this, core);
        reader = Thread.ofVirtual().name("test-udp-" + local.getPort()).start(this::readLoop);
    }

    /** The bound port. */
    public int port() {
        return local.getPort();
    }

    private void readLoop() {
        ByteBuffer buf = ByteBuffer.allocate(65_536);
        while (true) {
            SocketAddress from;
            try {
                buf.clear();
                from = channel.receive(buf);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                continue;
            }
            InetSocketAddress isa = (InetSocketAddress) from;
            byte[] a = ((Inet4Address) isa.getAddress()).getAddress();
            int ipv4 = (a[0] & 0xFF) << 24 | (a[1] & 0xFF) << 16 | (a[2] & 0xFF) << 8 | (a[3] & 0xFF);
            receiver.received(buf.flip(), new DatagramPeer(ipv4, isa.getPort(), 1, local));
        }
    }

    @Override
    public boolean send(ByteBuffer datagram, DatagramPeer to) {
        int position = datagram.position();
        try {
            channel.send(datagram, to.remote());
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            datagram.position(position);
        }
    }

    @Override
    public boolean queue(ByteBuffer datagram, DatagramPeer to) {
        return send(datagram, to);
    }

    @Override
    public void flush() {
    }

    @Override
    public List<InetSocketAddress> localAddresses() {
        return List.of(local);
    }

    /** Stops the run as the core does (sessions first, then the socket); the port is free when this returns. */
    @Override
    public void close() throws IOException {
        receiver.stopped("test host closing");
        channel.close();
        try {
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
