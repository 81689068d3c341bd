package io.p2sgw.testkit.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.spi.DatagramPeer;
import io.p2sgw.dataplane.spi.DatagramReceiver;
import io.p2sgw.dataplane.spi.DatagramSender;
import io.p2sgw.dataplane.spi.DatagramService;
import io.p2sgw.dataplane.spi.GatewayCore;
import io.p2sgw.testkit.core.FakeCore;
import io.p2sgw.testkit.pki.TestPki;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The host runs a service as the core does: binds, starts it with the core, delivers, sends its answers, stops it. */
class LoopbackDatagramHostTest {
    /** Answers each datagram with "echo " and the datagram, to the peer it came from. */
    static final class Echo implements DatagramService {
        final List<String> stops = new CopyOnWriteArrayList<>();
        GatewayCore startedWith;

        @Override
        public String name() {
            return "echo";
        }

        @Override
        public TunnelType tunnelType() {
            return TunnelType.IKEV2;
        }

        @Override
        public List<Integer> ports() {
            return List.of(0);
        }

        @Override
        public DatagramReceiver start(DatagramSender sender, GatewayCore core) {
            startedWith = core;
            return new DatagramReceiver() {
                @Override
                public void received(ByteBuffer datagram, DatagramPeer from) {
                    ByteBuffer answer = ByteBuffer.allocate(5 + datagram.remaining());
                    answer.put("echo ".getBytes(StandardCharsets.US_ASCII)).put(datagram).flip();
                    sender.send(answer, from);
                }

                @Override
                public void stopped(String reason) {
                    stops.add(reason);
                }
            };
        }
    }

    @Test
    void deliversAnswersAndStops() throws Exception {
        Echo echo = new Echo();
        FakeCore core = new FakeCore(TunnelType.IKEV2, TestPki.ec("host root").caCertificate());
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (LoopbackDatagramHost host = new LoopbackDatagramHost(echo, core);
                DatagramSocket client = new DatagramSocket(0, lo)) {
            assertSame(core, echo.startedWith);
            assertEquals(List.of(new InetSocketAddress(lo, host.port())), host.localAddresses());
            client.setSoTimeout(5000);
            client.send(new DatagramPacket(new byte[] {'h', 'i'}, 2, new InetSocketAddress(lo, host.port())));
            DatagramPacket answer = new DatagramPacket(new byte[64], 64);
            client.receive(answer);
            assertEquals("echo hi", new String(answer.getData(), 0, answer.getLength(), StandardCharsets.US_ASCII));
            assertEquals(host.port(), answer.getPort());
        }
        assertEquals(List.of("test host closing"), echo.stops);
    }
}
