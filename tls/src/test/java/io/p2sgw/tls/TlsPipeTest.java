package io.p2sgw.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.pki.KeyType;
import io.p2sgw.testkit.pki.Issued;
import io.p2sgw.testkit.pki.Jsse;
import io.p2sgw.testkit.pki.TestPki;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The sans-I/O pipe against a JSSE client engine with no sockets (STYLE.md §3, BC's non-blocking pump test): whole
 * chunks and one byte at a time, TLS 1.2 and 1.3, client certificate seen, one message per record both ways, and the
 * same keying material on both sides (OpenVPN's tls-ekm, openvpn.md §6.2). Hostile input ends in {@link TlsException}.
 */
class TlsPipeTest {
    static final String EKM_LABEL = "EXPORTER-OpenVPN-datakeys";
    /** The test CA (ECDSA P-256), the server's certificate and the client's. */
    static final TestPki PKI = TestPki.ec("pipe test CA");
    static final X509Certificate CA = PKI.caCertificate();
    static final Issued SERVER_ID = PKI.server("vpn.pipe.test");
    static final X509Certificate SERVER = SERVER_ID.certificate();
    static final Issued CLIENT_ID = PKI.client("alice");
    static final X509Certificate CLIENT = CLIENT_ID.certificate();

    static TlsPipe serverPipe() throws Exception {
        TlsPipe pipe = new TlsServerContext(new ServerIdentity(SERVER_ID.privateKey(), List.of(SERVER, CA)), new SecureRandom())
                .newServerPipe();
        pipe.begin();
        return pipe;
    }

    /** A JSSE client engine with the client certificate, trusting the test CA, driven by hand. */
    static final class Client {
        final SSLEngine engine;
        private ByteBuffer in = ByteBuffer.allocate(0);
        private ByteBuffer app;
        final List<byte[]> received = new ArrayList<>();

        Client(String protocol) throws Exception {
            this(protocol, clientKeyManagers());
        }

        /** The client's key managers: the test client certificate and key, and the CA. */
        static KeyManager[] clientKeyManagers() {
            return Jsse.keyManagers(CLIENT_ID);
        }

        Client(String protocol, KeyManager[] keyManagers) throws Exception {
            engine = Jsse.context(keyManagers, CA).createSSLEngine("vpn.pipe.test", 443);
            engine.setUseClientMode(true);
            engine.setEnabledProtocols(new String[] {protocol});
            app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
            engine.beginHandshake();
        }

        /** Ciphertext the client wants to send now (handshake messages, or {@code message} as application data). */
        byte[] produce(byte[] message) throws Exception {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer src = ByteBuffer.wrap(message);
            ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            while (true) {
                runTasks();
                boolean wantWrap = engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP || src.hasRemaining();
                if (!wantWrap) {
                    return out.toByteArray();
                }
                net.clear();
                SSLEngineResult r = engine.wrap(src, net);
                out.write(net.array(), 0, net.position());
                if (r.bytesProduced() == 0 && !src.hasRemaining()) {
                    return out.toByteArray();
                }
            }
        }

        void consume(byte[] ciphertext) throws Exception {
            ByteBuffer joined = ByteBuffer.allocate(in.remaining() + ciphertext.length);
            joined.put(in).put(ciphertext).flip();
            in = joined;
            while (in.hasRemaining()) {
                runTasks();
                SSLEngineResult r = engine.unwrap(in, app);
                if (r.bytesProduced() > 0) {
                    app.flip();
                    byte[] m = new byte[app.remaining()];
                    app.get(m);
                    app.clear();
                    received.add(m);
                }
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW || (r.bytesConsumed() == 0 && r.bytesProduced() == 0)) {
                    break;
                }
            }
            runTasks();
        }

        /** Consumes a whole server flight and returns the client's whole answer (writes in the middle included). */
        byte[] exchange(byte[] ciphertext) throws Exception {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer src = ByteBuffer.wrap(ciphertext);
            ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            while (true) {
                runTasks();
                if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                    net.clear();
                    engine.wrap(ByteBuffer.allocate(0), net);
                    out.write(net.array(), 0, net.position());
                    continue;
                }
                if (!src.hasRemaining()) {
                    return out.toByteArray();
                }
                SSLEngineResult r = engine.unwrap(src, app);
                app.clear();
                if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                    return out.toByteArray();
                }
            }
        }

        private void runTasks() {
            Runnable t;
            while ((t = engine.getDelegatedTask()) != null) {
                t.run();
            }
        }
    }

    /** Moves bytes between the two until neither has anything to say. */
    static void pump(Client client, TlsPipe server, boolean oneByteAtATime) throws Exception {
        for (int round = 0; round < 100; round++) {
            byte[] c = client.produce(new byte[0]);
            feed(server, c, oneByteAtATime);
            byte[] s = server.takeOutput();
            client.consume(s);
            if (c.length == 0 && s.length == 0 && server.handshakeComplete()
                    && client.engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING) {
                return;
            }
        }
        throw new AssertionError("the handshake did not settle");
    }

    static void feed(TlsPipe server, byte[] bytes, boolean oneByteAtATime) throws TlsException {
        if (!oneByteAtATime) {
            server.receive(ByteBuffer.wrap(bytes));
            return;
        }
        for (byte b : bytes) {
            server.receive(ByteBuffer.wrap(new byte[] {b}));
        }
    }

    @ParameterizedTest(name = "{0}, one byte at a time: {1}")
    @CsvSource({"TLSv1.3, false", "TLSv1.3, true", "TLSv1.2, false", "TLSv1.2, true"})
    void handshakeMessagesAndKeyingMaterial(String protocol, boolean oneByteAtATime) throws Exception {
        Client client = new Client(protocol);
        TlsPipe server = serverPipe();
        assertFalse(server.handshakeComplete());
        assertEquals(List.of(), server.peerChain());
        pump(client, server, oneByteAtATime);

        assertTrue(server.handshakeComplete());
        assertEquals(protocol, server.protocol());
        assertEquals(CLIENT, server.peerChain().getFirst(), "the client's certificate reaches the policy");
        byte[] ours = server.exportKeyingMaterial(EKM_LABEL, 256);
        byte[] theirs = ((ExtendedSSLSession) client.engine.getSession()).exportKeyingMaterialData(EKM_LABEL, null, 256);
        assertArrayEquals(theirs, ours, "both sides derive the same data-channel keys");

        // Server to client: each send is one record, read as one message.
        server.send("PUSH_REPLY,ping 10\0".getBytes(StandardCharsets.UTF_8));
        server.send("second\0".getBytes(StandardCharsets.UTF_8));
        client.consume(server.takeOutput());
        List<String> got = client.received.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
        assertEquals(List.of("PUSH_REPLY,ping 10\0", "second\0"), got);

        // Client to server, possibly split byte by byte.
        feed(server, client.produce("PUSH_REQUEST\0".getBytes(StandardCharsets.UTF_8)), oneByteAtATime);
        Optional<byte[]> m = server.nextPlaintext();
        while (m.isPresent() && m.get().length == 0) {
            m = server.nextPlaintext();
        }
        assertEquals("PUSH_REQUEST\0", new String(m.orElseThrow(), StandardCharsets.UTF_8));
        assertEquals(Optional.empty(), server.nextPlaintext());
        // Between messages an established pipe keeps none of the engine's ~16 KiB buffers (idle-session memory).
        assertFalse(server.holdsBuffers(), "an idle pipe holds no engine buffers");
        // And they come back when the next message needs them.
        server.send("third\0".getBytes(StandardCharsets.UTF_8));
        client.consume(server.takeOutput());
        assertEquals("third\0", new String(client.received.getLast(), StandardCharsets.UTF_8));
        assertFalse(server.holdsBuffers());
    }

    /**
     * A TLS 1.3 client whose Certificate, CertificateVerify and Finished come in one record with an RSA key (what
     * EAP-TLS peers and Windows send): JDK 25 never returns FINISHED then (no NewSessionTicket is sent), and the pipe
     * must still see the handshake end.
     */
    @ParameterizedTest(name = "client key {0}")
    @CsvSource({"RSA", "EC"})
    void tls13HandshakeEndsWithoutFinishedStatusFromTheEngine(String keyType) throws Exception {
        Issued bob = PKI.leaf("bob").keyType(keyType.equals("EC") ? KeyType.EC256 : KeyType.RSA2048).issue();
        X509Certificate clientCert = bob.certificate();
        Client client = new Client("TLSv1.3", Jsse.keyManagers(bob));
        TlsPipe server = serverPipe();
        server.receive(ByteBuffer.wrap(client.produce(new byte[0])));
        // The client's whole second flight (ChangeCipherSpec, Certificate, CertificateVerify, Finished) in one go,
        // as an EAP-TLS peer sends it.
        byte[] lastFlight = client.exchange(server.takeOutput());
        assertEquals(HandshakeStatus.NOT_HANDSHAKING, client.engine.getHandshakeStatus());
        server.receive(ByteBuffer.wrap(lastFlight));
        assertTrue(server.handshakeComplete(), "the client's last flight ends the handshake");
        assertEquals(clientCert, server.peerChain().getFirst());
    }

    @Test
    void nothingCanBeSentOrExportedBeforeTheHandshake() throws Exception {
        TlsPipe server = serverPipe();
        assertThrows(TlsException.class, () -> server.send(new byte[] {1}));
        assertThrows(TlsException.class, () -> server.exportKeyingMaterial(EKM_LABEL, 256));
    }

    @Test
    void hostileBytesEndInTlsExceptionOnly() throws Exception {
        // Not TLS at all.
        TlsPipe a = serverPipe();
        assertThrows(TlsException.class, () -> a.receive(ByteBuffer.wrap("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII))));
        // A handshake record whose ClientHello is cut short and garbled.
        TlsPipe b = serverPipe();
        byte[] bad = {0x16, 0x03, 0x01, 0x00, 0x08, 0x01, 0x00, 0x00, 0x04, 0x03, 0x03, (byte) 0xff, (byte) 0xff};
        assertThrows(TlsException.class, () -> b.receive(ByteBuffer.wrap(bad)));
        // More buffered ciphertext than any legitimate peer needs.
        TlsPipe c = serverPipe();
        byte[] header = {0x16, 0x03, 0x03, 0x3f, (byte) 0xff};
        c.receive(ByteBuffer.wrap(header));
        assertThrows(TlsException.class, () -> c.receive(ByteBuffer.allocate(TlsPipe.MAX_PENDING_CIPHERTEXT)));
    }
}
