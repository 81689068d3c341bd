package io.p2sgw.openvpn.server;

import io.p2sgw.dataplane.spi.GatewayCore;
import io.p2sgw.dataplane.spi.StreamProtocol;
import io.p2sgw.dataplane.spi.StreamReceiver;
import io.p2sgw.dataplane.spi.StreamWriter;
import io.p2sgw.testkit.transport.LoopbackDatagramHost;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Our server on loopback for tests: a minimal TCP acceptor that probes like the core's 443 demux and
 * hands matching connections to {@link OpenVpnStreamProtocol#open}, plus the {@link OpenVpnUdpService} on a
 * {@link LoopbackDatagramHost}.
 */
final class OpenVpnTestServer implements AutoCloseable {
    final OpenVpnStreamProtocol tcp;
    final OpenVpnUdpService udp;
    private final LoopbackDatagramHost udpHost;
    private final ServerSocketChannel listener;
    private volatile boolean closed;

    OpenVpnTestServer(OpenVpnServerConfig config, GatewayCore core) throws Exception {
        tcp = new OpenVpnStreamProtocol(config);
        udp = new OpenVpnUdpService(config.withUdpPort(0));
        InetAddress lo = InetAddress.getLoopbackAddress();
        udpHost = new LoopbackDatagramHost(udp, core);
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(lo, 0));
        Thread.ofVirtual().start(() -> acceptLoop(core));
    }

    int tcpPort() throws IOException {
        return ((InetSocketAddress) listener.getLocalAddress()).getPort();
    }

    int udpPort() {
        return udpHost.port();
    }

    private void acceptLoop(GatewayCore core) {
        while (!closed) {
            try {
                SocketChannel ch = listener.accept();
                Thread.ofVirtual().start(() -> probeAndServe(ch, core));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void probeAndServe(SocketChannel ch, GatewayCore core) {
        try {
            ByteBuffer first = ByteBuffer.allocate(64);
            while (true) {
                if (ch.read(first) < 0) {
                    ch.close();
                    return;
                }
                ByteBuffer view = first.duplicate().flip();
                StreamProtocol.Probe p = tcp.probe(view);
                if (p == StreamProtocol.Probe.MATCH) {
                    serve(ch, view, core);
                    return;
                }
                if (p == StreamProtocol.Probe.NO_MATCH || !first.hasRemaining()) {
                    ch.close();
                    return;
                }
            }
        } catch (IOException e) {
            // connection gone
        }
    }

    /**
     * Reads the connection on this virtual thread and pushes the bytes to the protocol's receiver, as the core's
     * readers do. The openvpn module's tests write blocking; the core's readers and writer have their own tests.
     */
    private void serve(SocketChannel ch, ByteBuffer alreadyRead, GatewayCore core) throws IOException {
        StreamWriter writer = StreamWriter.blocking(ch);
        StreamReceiver receiver = tcp.open((InetSocketAddress) ch.getRemoteAddress(), writer, core);
        String reason = "TCP connection closed by the client";
        try {
            ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
            boolean more = receiver.received(alreadyRead);
            while (more) {
                buf.clear();
                if (ch.read(buf) < 0) {
                    break;
                }
                more = receiver.received(buf.flip());
            }
            if (!more) {
                reason = "closed by the server";
            }
        } catch (IOException e) {
            reason = "closed: " + e;
        } finally {
            writer.close();
            receiver.ended(reason);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        udpHost.close();
        tcp.close();
    }
}
