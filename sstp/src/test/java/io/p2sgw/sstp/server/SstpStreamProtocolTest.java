package io.p2sgw.sstp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.spi.StreamProtocol.Probe;
import io.p2sgw.dataplane.spi.StreamReceiver;
import io.p2sgw.dataplane.spi.StreamWriter;
import io.p2sgw.testkit.bytes.Hex;
import io.p2sgw.testkit.core.FakeCore;
import io.p2sgw.testkit.pki.Issued;
import io.p2sgw.testkit.pki.Jsse;
import io.p2sgw.testkit.pki.TestPki;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SSTP on the shared listener: the probe against the first bytes of TLS and of OpenVPN, and one connection driven by a
 * JSSE client through the outer TLS handshake (no client certificate), the HTTPS preamble and CALL_CONNECT_REQUEST in
 * the same record as the preamble (sstp.md §1.1: bytes after the header belong to SSTP), up to CALL_CONNECT_ACK.
 */
class SstpStreamProtocolTest {
    static final String PREAMBLE = "SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1\r\n"
            + "Host: vpn.test\r\nContent-Length: 18446744073709551615\r\n"
            + "SSTPCORRELATIONID: 0c38434f-aa00-4c52-b666-ad665d1844b2\r\n\r\n";
    /** [MS-SSTP] §4.7 / sstp.md §2.5: CALL_CONNECT_REQUEST for PPP. */
    static final byte[] CONNECT_REQUEST = Hex.bytes("1001000e 0001 0001 0001 0006 0001");
    static final Duration PATIENCE = Duration.ofSeconds(30);

    static TestPki pki;
    static SstpStreamProtocol protocol;

    @BeforeAll
    static void setUp() throws Exception {
        pki = TestPki.rsa("SSTP test root");
        Issued server = pki.server("vpn.test", "vpn.test");
        protocol = new SstpStreamProtocol(SstpServerConfig.of(server.privateKey(), server.chain(), 1400));
    }

    @AfterAll
    static void tearDown() {
        protocol.close();
    }

    @Test
    void probeClaimsATlsHandshakeRecordAndNotOpenVpn() {
        assertEquals(Probe.MATCH, protocol.probe(ByteBuffer.wrap(Hex.bytes("160301 0200 01"))));
        assertEquals(Probe.MATCH, protocol.probe(ByteBuffer.wrap(Hex.bytes("1603"))));
        assertEquals(Probe.NEED_MORE, protocol.probe(ByteBuffer.wrap(Hex.bytes("16"))));
        assertEquals(Probe.NEED_MORE, protocol.probe(ByteBuffer.allocate(0)));
        // OpenVPN over TCP: a u16 length, then P_CONTROL_HARD_RESET_CLIENT_V2 (openvpn.md §2.1).
        assertEquals(Probe.NO_MATCH, protocol.probe(ByteBuffer.wrap(Hex.bytes("002a 38"))));
        // Plain HTTP, or an SSL 2 style hello: not ours.
        assertEquals(Probe.NO_MATCH, protocol.probe(ByteBuffer.wrap("GET / HTTP/1.1".getBytes(StandardCharsets.US_ASCII))));
        assertEquals(Probe.NO_MATCH, protocol.probe(ByteBuffer.wrap(Hex.bytes("1602"))));
    }

    @Test
    void outerTlsPreambleAndConnectRequestGetTheHttpAnswerAndConnectAck() throws Exception {
        RecordingWriter writer = new RecordingWriter();
        FakeCore core = new FakeCore(TunnelType.SSTP, pki.caCertificate());
        StreamReceiver conn = protocol.open(new InetSocketAddress("192.0.2.2", 40000), writer, core);
        Client client = new Client();
        // Handshake: the server's flights come back through the writer (handled on the connection's own thread).
        Instant deadline = Instant.now().plus(PATIENCE);
        while (!client.handshakeDone() && Instant.now().isBefore(deadline)) {
            byte[] out = client.wrapHandshake();
            if (out.length > 0) {
                assertTrue(conn.received(ByteBuffer.wrap(out)));
            }
            if (client.engine.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP) {
                // Records the client left while it had to wrap first (TLS 1.3's compatibility CCS) go in again.
                client.unwrap(client.hasPending() ? new byte[0] : writer.await(1));
            }
        }
        assertTrue(client.handshakeDone(), "outer TLS handshake");
        // The preamble and CALL_CONNECT_REQUEST in one record.
        byte[] both = new byte[PREAMBLE.length() + CONNECT_REQUEST.length];
        System.arraycopy(PREAMBLE.getBytes(StandardCharsets.US_ASCII), 0, both, 0, PREAMBLE.length());
        System.arraycopy(CONNECT_REQUEST, 0, both, PREAMBLE.length(), CONNECT_REQUEST.length);
        assertTrue(conn.received(ByteBuffer.wrap(client.wrap(both))));
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        Instant end = Instant.now().plus(PATIENCE);
        while (Instant.now().isBefore(end) && !Hex.hex(plain.toByteArray()).contains("10010030" + "0002")) {
            plain.write(client.unwrap(writer.await(1)));
        }
        String text = new String(plain.toByteArray(), StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("HTTP/1.1 200"), text);
        assertTrue(text.contains("Content-Length: 18446744073709551615\r\n"), text);
        // CALL_CONNECT_ACK: one CRYPTO_BINDING_REQ attribute of 40 bytes, both hashes offered (sstp.md §2.6, §3.4).
        String hex = Hex.hex(plain.toByteArray());
        assertTrue(hex.contains("10010030" + "0002" + "0001" + "0004" + "0028" + "000000" + "03"), hex);
        assertFalse(writer.closed);
        assertEquals(List.of(), core.admissions, "not as far as EAP-TLS: nobody to admit yet");
        conn.ended("test over");
        assertTrue(writer.closed);
    }

    /** A JSSE TLS client that trusts the test root and presents no certificate (sstp.md §5). */
    static final class Client {
        final SSLEngine engine;
        private final ByteBuffer net;
        private ByteBuffer pending = ByteBuffer.allocate(0);

        Client() throws Exception {
            SSLContext ctx = Jsse.context(null, pki.caCertificate());
            engine = ctx.createSSLEngine("vpn.test", 443);
            engine.setUseClientMode(true);
            engine.beginHandshake();
            net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        }

        boolean hasPending() {
            return pending.hasRemaining();
        }

        boolean handshakeDone() {
            HandshakeStatus hs = engine.getHandshakeStatus();
            return hs == HandshakeStatus.NOT_HANDSHAKING || hs == HandshakeStatus.FINISHED;
        }

        byte[] wrapHandshake() throws Exception {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP
                    || engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runTasks();
                if (engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                    break;
                }
                net.clear();
                engine.wrap(ByteBuffer.allocate(0), net);
                out.write(net.array(), 0, net.position());
            }
            return out.toByteArray();
        }

        byte[] wrap(byte[] plaintext) throws Exception {
            net.clear();
            SSLEngineResult r = engine.wrap(ByteBuffer.wrap(plaintext), net);
            assertEquals(SSLEngineResult.Status.OK, r.getStatus());
            return java.util.Arrays.copyOf(net.array(), net.position());
        }

        /** Decrypts what arrived (handshake records move the handshake on); returns application data. */
        byte[] unwrap(byte[] ciphertext) throws Exception {
            ByteBuffer in = ByteBuffer.allocate(pending.remaining() + ciphertext.length);
            in.put(pending).put(ciphertext).flip();
            ByteArrayOutputStream app = new ByteArrayOutputStream();
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
            while (in.hasRemaining()) {
                out.clear();
                SSLEngineResult r = engine.unwrap(in, out);
                runTasks();
                app.write(out.array(), 0, out.position());
                if (r.getStatus() != SSLEngineResult.Status.OK || r.bytesConsumed() == 0) {
                    break;
                }
            }
            pending = ByteBuffer.allocate(in.remaining()).put(in).flip();
            return app.toByteArray();
        }

        private void runTasks() {
            Runnable t;
            while ((t = engine.getDelegatedTask()) != null) {
                t.run();
            }
        }
    }

    /** Collects what the connection writes; {@link #await} waits for the next bytes (the handshake is asynchronous). */
    static final class RecordingWriter implements StreamWriter {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        volatile boolean closed;

        @Override
        public synchronized boolean write(ByteBuffer b) {
            if (closed) {
                return false;
            }
            ByteBuffer d = b.duplicate();
            byte[] copy = new byte[d.remaining()];
            d.get(copy);
            bytes.writeBytes(copy);
            notifyAll();
            return true;
        }

        /** Waits until at least {@code min} bytes are there (or the patience runs out), and takes them. */
        synchronized byte[] await(int min) throws InterruptedException {
            long end = System.nanoTime() + PATIENCE.toNanos();
            while (bytes.size() < min && System.nanoTime() < end) {
                wait(100);
            }
            byte[] out = bytes.toByteArray();
            bytes.reset();
            return out;
        }

        @Override
        public long dropped() {
            return 0;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
