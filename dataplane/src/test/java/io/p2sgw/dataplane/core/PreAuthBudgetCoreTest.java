package io.p2sgw.dataplane.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.p2sgw.dataplane.api.ConnectionLimits;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.preauth.PreAuthLimits;
import io.p2sgw.testkit.pki.Issued;
import io.p2sgw.testkit.pki.TestPki;
import io.p2sgw.dataplane.spi.Admission;
import io.p2sgw.dataplane.spi.AdmissionRequest;
import io.p2sgw.dataplane.spi.DatagramPeer;
import io.p2sgw.dataplane.spi.DatagramReceiver;
import io.p2sgw.dataplane.spi.DatagramSender;
import io.p2sgw.dataplane.spi.DatagramService;
import io.p2sgw.dataplane.spi.GatewayCore;
import io.p2sgw.dataplane.spi.PreAuthBudget;
import io.p2sgw.dataplane.spi.StreamProtocol;
import io.p2sgw.dataplane.spi.StreamReceiver;
import io.p2sgw.dataplane.spi.StreamWriter;
import io.p2sgw.dataplane.spi.TunnelEndpoint;
import io.p2sgw.dataplane.transport.StreamAcceptor;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The core's pre-authentication budget over real loopback sockets (issue 13): a TCP connection that sends the first
 * bytes of an OpenVPN frame (a length prefix of 1000 and one opcode byte) and then nothing was held forever; now it is
 * closed at the (short, configured) deadline while an admitted session on the same listener stays. Plus the
 * per-source cap, one descriptor per connection, and refusals of a datagram service in {@code /metrics}.
 *
 * <p>No assertion depends on how fast anything runs: the budget expires tickets in the order they were taken, so once
 * the stalled connection (accepted after the admitted one) has been closed, the admitted one would have been closed
 * first had its ticket not been released.
 */
@Timeout(60)
class PreAuthBudgetCoreTest {
    private static final InetAddress LO = InetAddress.getLoopbackAddress();
    /** P_CONTROL_HARD_RESET_CLIENT_V2, key id 0 (openvpn.md §2.2): what the half-frame attack sent after its length. */
    private static final int RESET_OPCODE = 7 << 3;

    static TestPki root;
    static Issued alice;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private GatewayDataPlane dp;
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeAll
    static void certs() throws Exception {
        root = TestPki.ec("P2SRootCert");
        alice = root.client("alice");
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (dp != null) {
            dp.close();
        }
    }

    /**
     * Length-prefixed frames, claimed by a reset opcode after the length (as OpenVPN's probe does). The first whole
     * frame asks the core to admit alice from the connection's remote address and answers "admitted"; later frames
     * are echoed. A frame never completed leaves the connection waiting, like OpenVPN's FrameAssembler.
     */
    static final class FramedProtocol implements StreamProtocol {
        final AtomicInteger opened = new AtomicInteger();

        @Override
        public String name() {
            return "Framed";
        }

        @Override
        public TunnelType tunnelType() {
            return TunnelType.OPENVPN;
        }

        @Override
        public Probe probe(ByteBuffer b) {
            if (b.remaining() < 3) {
                return Probe.NEED_MORE;
            }
            return (b.get(b.position() + 2) & 0xFF) == RESET_OPCODE ? Probe.MATCH : Probe.NO_MATCH;
        }

        @Override
        public StreamReceiver open(InetSocketAddress remote, StreamWriter writer, GatewayCore core) {
            opened.incrementAndGet();
            ByteBuffer pending = ByteBuffer.allocate(4096);
            TunnelEndpoint endpoint = new TunnelEndpoint() {
                @Override
                public void sendToClient(ByteBuffer ipPacket) {
                }

                @Override
                public void close(String reason) {
                    writer.close();
                }
            };
            return new StreamReceiver() {
                boolean admitted;

                @Override
                public boolean received(ByteBuffer bytes) {
                    if (bytes.remaining() > pending.remaining()) {
                        return false;
                    }
                    pending.put(bytes);
                    while (pending.position() >= 2) {
                        int len = (pending.get(0) & 0xFF) << 8 | (pending.get(1) & 0xFF);
                        if (pending.position() < 2 + len) {
                            return true; // wait for the rest of the frame
                        }
                        byte[] frame = new byte[len];
                        pending.flip().position(2);
                        pending.get(frame).compact();
                        if (!admitted) {
                            Admission a = core.admit(new AdmissionRequest(TunnelType.OPENVPN, List.of(alice.certificate()),
                                    remote, endpoint));
                            admitted = a instanceof Admission.Admitted;
                            writer.write(frameOf((admitted ? "admitted" : "refused").getBytes(StandardCharsets.US_ASCII)));
                        } else {
                            writer.write(frameOf(frame));
                        }
                    }
                    return true;
                }

                @Override
                public void ended(String reason) {
                }
            };
        }
    }

    static ByteBuffer frameOf(byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(2 + payload.length);
        b.putShort((short) payload.length).put(payload);
        return b.flip();
    }

    /** A whole frame whose first byte after the length is the reset opcode (what the probe claims). */
    static byte[] clientFrame(String text) {
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        byte[] payload = new byte[1 + t.length];
        payload[0] = (byte) RESET_OPCODE;
        System.arraycopy(t, 0, payload, 1, t.length);
        return frameOf(payload).array();
    }

    /** The reproduction: a length prefix of 1000 and one opcode byte, then nothing. */
    static final byte[] HALF_FRAME = {0x03, (byte) 0xE8, (byte) RESET_OPCODE};

    private FramedProtocol start(PreAuthLimits limits, List<DatagramService> datagrams) throws Exception {
        FramedProtocol framed = new FramedProtocol();
        DataPlaneConfig cfg = new DataPlaneConfig(LO, 0, "p2sgwtest0", 1500, false, List.of(framed), datagrams,
                StreamAcceptor.ProbeLimits.DEFAULT, meters, Clock.systemUTC(), limits);
        dp = new GatewayDataPlane(cfg);
        dp.apply(GatewayDataPlaneTest.snapshot(1, "172.16.201.0/24", Set.of(TunnelType.OPENVPN), List.of(root), Set.of(),
                new ConnectionLimits(128, 500)));
        return framed;
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(LO, dp.tcpPort());
        sockets.add(s);
        s.setSoTimeout(20_000);
        return s;
    }

    private static String readFrame(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] b = new byte[in.readUnsignedShort()];
        in.readFully(b);
        return new String(b, StandardCharsets.US_ASCII);
    }

    /** True when the server closed the connection: end of stream or a reset. Fails the test on a read timeout. */
    private static boolean closedByServer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        try {
            return in.read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }

    private double refusals(String transport, String reason) {
        return meters.get("p2sgw.preauth.refusals").tag("transport", transport).tag("reason", reason).functionCounter().count();
    }

    @Test
    void aStalledHalfFrameIsClosedAtTheDeadlineWhileAnAdmittedSessionStays() throws Exception {
        start(new PreAuthLimits(Duration.ofMillis(300), 32, 1024), List.of());
        Socket admitted = connect();
        admitted.getOutputStream().write(clientFrame("hello"));
        assertEquals("admitted", readFrame(admitted));

        Socket stalled = connect();
        stalled.getOutputStream().write(HALF_FRAME);
        assertTrue(closedByServer(stalled), "the half frame is not held past the deadline");

        // Accepted before the stalled one: had its ticket survived admission it would be closed by now.
        admitted.getOutputStream().write(clientFrame("still here"));
        assertEquals((char) RESET_OPCODE + "still here", readFrame(admitted));
        assertEquals(1.0, refusals("tcp", "timeout"));
        assertEquals(0.0, meters.get("p2sgw.preauth.held").gauge().value(), "the admitted session holds no place");
    }

    @Test
    void connectionsBeyondThePerSourceCapAreClosedAtOnceAndCounted() throws Exception {
        FramedProtocol framed = start(new PreAuthLimits(Duration.ofMinutes(5), 3, 1024), List.of());
        for (int i = 0; i < 3; i++) {
            connect().getOutputStream().write(HALF_FRAME);
        }
        Socket fourth = connect();
        assertTrue(closedByServer(fourth), "a fourth unauthenticated connection from one address");
        assertEquals(1.0, refusals("tcp", "per_source_cap"));
        assertEquals(3.0, meters.get("p2sgw.preauth.held").gauge().value());
        assertEquals(1.0, meters.get("p2sgw.tcp.connections").tag("outcome", "over_budget").counter().count());
        while (framed.opened.get() < 3) {
            Thread.sleep(10);
        }
        // A real client from the same address still gets in once one place is free, and never waits for the others.
        sockets.getFirst().close();
        Socket client;
        do {
            client = connect();
            client.getOutputStream().write(clientFrame("hello"));
        } while (!readFrameOrClosed(client).equals("admitted"));
    }

    private static String readFrameOrClosed(Socket s) throws IOException {
        try {
            return readFrame(s);
        } catch (EOFException | SocketException e) {
            return "closed"; // the place was not free yet: the closed connection's end had not reached the core
        }
    }

    /**
     * Issue 13: each connection cost three descriptors (the socket, a duplicate for the epoll reader, one for the
     * writer). Here 40 connections handed to a protocol cost 40 on the server side, next to the test's 40 client sockets.
     */
    @Test
    void aConnectionCostsOneDescriptor() throws Exception {
        FramedProtocol framed = start(new PreAuthLimits(Duration.ofMinutes(5), 64, 1024), List.of());
        Socket warm = connect(); // the first connection starts the reader threads and their epoll descriptors
        warm.getOutputStream().write(clientFrame("hello"));
        assertEquals("admitted", readFrame(warm));
        long before = openDescriptors();
        int n = 40;
        for (int i = 0; i < n; i++) {
            connect().getOutputStream().write(HALF_FRAME);
        }
        while (framed.opened.get() < n + 1) {
            Thread.sleep(10);
        }
        long used = openDescriptors() - before;
        assertTrue(used >= 2L * n && used <= 2L * n + 8, "40 client sockets and 40 server sockets, not 120: " + used);
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** A datagram service that drops everything, reporting garbage and a failed integrity check as OpenVPN-UDP does. */
    static final class Dropper implements DatagramService {
        final int port;

        Dropper(int port) {
            this.port = port;
        }

        @Override
        public String name() {
            return "dropper";
        }

        @Override
        public TunnelType tunnelType() {
            return TunnelType.OPENVPN;
        }

        @Override
        public List<Integer> ports() {
            return List.of(port);
        }

        @Override
        public DatagramReceiver start(DatagramSender sender, GatewayCore core) {
            return new DatagramReceiver() {
                @Override
                public void received(ByteBuffer datagram, DatagramPeer from) {
                    core.preAuth().refused(PreAuthBudget.Transport.UDP, from.remote(),
                            datagram.get(datagram.position()) == RESET_OPCODE ? PreAuthBudget.Refusal.BAD_HMAC
                                    : PreAuthBudget.Refusal.JUNK);
                }

                @Override
                public void stopped(String reason) {
                }
            };
        }
    }

    @Test
    void refusalsADatagramServiceReportsAreInTheMetrics() throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, LO)) {
            port = probe.getLocalPort();
        }
        start(PreAuthLimits.DEFAULT, List.of(new Dropper(port)));
        try (DatagramSocket client = new DatagramSocket(0, LO)) {
            for (int i = 0; i < 5; i++) {
                client.send(new DatagramPacket(new byte[] {1, 2, 3}, 3, new InetSocketAddress(LO, port)));
            }
            client.send(new DatagramPacket(new byte[] {(byte) RESET_OPCODE, 0}, 2, new InetSocketAddress(LO, port)));
            while (refusals("udp", "junk") < 5 || refusals("udp", "bad_hmac") < 1) {
                Thread.sleep(10);
            }
        }
        assertEquals(5.0, refusals("udp", "junk"));
        assertEquals(1.0, refusals("udp", "bad_hmac"));
        assertEquals(0.0, refusals("tcp", "junk"));
        assertArrayEquals(new double[] {0.0}, new double[] {refusals("udp", "timeout")});
    }
}
