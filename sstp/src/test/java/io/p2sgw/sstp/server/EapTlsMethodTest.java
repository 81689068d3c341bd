package io.p2sgw.sstp.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.sstp.ppp.EapServerMethod.Step;
import io.p2sgw.testkit.pki.Issued;
import io.p2sgw.testkit.pki.Jsse;
import io.p2sgw.testkit.pki.TestPki;
import io.p2sgw.tls.ServerIdentity;
import io.p2sgw.tls.TlsServerContext;
import io.p2sgw.tls.eap.EapTlsPolicy;
import io.p2sgw.tls.eap.EapTlsServer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The EAP-TLS adapter as the PPP engine drives it (type data in and out, sstp.md §4.3), against a JSSE client that
 * plays the peer: the MSK handed to the crypto binding is the peer's RFC 5216 key material, the policy sees the
 * client's chain, and a refusal is a Failure.
 */
class EapTlsMethodTest {
    static final int NO_FRAGMENTS = 16_000;
    static TestPki pki;
    static Issued client;
    static TlsServerContext context;

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.rsa("EAP test root");
        Issued server = pki.server("vpn.test", "vpn.test");
        client = pki.client("alice");
        context = new TlsServerContext(new ServerIdentity(server.privateKey(), server.chain()),
                () -> List.of(pki.caCertificate()), new SecureRandom());
    }

    private static EapTlsMethod method(EapTlsPolicy policy, List<List<X509Certificate>> seen) {
        return method(policy, seen, TlsServerContext.TLS_1_2_ONLY);
    }

    private static EapTlsMethod method(EapTlsPolicy policy, List<List<X509Certificate>> seen, List<String> allowed) {
        return new EapTlsMethod(max -> EapTlsServer.create(context, allowed, chain -> {
            seen.add(chain);
            return policy.check(chain);
        }, max), () -> "CN=alice");
    }

    private static Step handshake(EapTlsMethod m, Peer peer) throws Exception {
        Step step = m.start("alice", NO_FRAGMENTS);
        for (int i = 0; i < 10 && step instanceof Step.Request r; i++) {
            step = m.receive(peer.respond(r.typeData()));
        }
        return step;
    }

    @Test
    void aClientThatInsistsOnTls13GetsItWithTheRfc9190Msk() throws Exception {
        EapTlsMethod m = method(c -> EapTlsPolicy.Verdict.accept(), new ArrayList<>(), TlsServerContext.PROTOCOLS);
        Peer peer = new Peer("TLSv1.3");
        Step.Success success = assertInstanceOf(Step.Success.class, handshake(m, peer));
        assertEquals("TLSv1.3", peer.engine.getSession().getProtocol());
        // RFC 9190 §2.3: Key_Material = TLS-Exporter("EXPORTER_EAP_TLS_Key_Material", 0x0D, 128), MSK its first 64.
        byte[] material = ((ExtendedSSLSession) peer.engine.getSession())
                .exportKeyingMaterialData("EXPORTER_EAP_TLS_Key_Material", new byte[] {0x0D}, 128);
        assertArrayEquals(Arrays.copyOf(material, 64), success.msk());
        assertTrue(success.subject().endsWith("(inner TLSv1.3)"), success.subject());
        // RFC 9190 §2.5: the server's one byte of application data 0x00 said the handshake is over, before Success.
        assertArrayEquals(new byte[] {0x00}, peer.received());
    }

    @Test
    void aClientOfferingTls12AndTls13GetsTls12() throws Exception {
        EapTlsMethod m = method(c -> EapTlsPolicy.Verdict.accept(), new ArrayList<>(), TlsServerContext.PROTOCOLS);
        Peer peer = new Peer("TLSv1.3", "TLSv1.2");
        Step.Success success = assertInstanceOf(Step.Success.class, handshake(m, peer));
        assertEquals("TLSv1.2", peer.engine.getSession().getProtocol());
        assertTrue(success.subject().endsWith("(inner TLSv1.2)"), success.subject());
    }

    @Test
    void aTls13OnlyClientIsRefusedWhenTheGatewayCapsAtTls12() throws Exception {
        EapTlsMethod m = method(c -> EapTlsPolicy.Verdict.accept(), new ArrayList<>(), TlsServerContext.TLS_1_2_ONLY);
        Peer peer = new Peer("TLSv1.3");
        Step step;
        try {
            step = handshake(m, peer);
        } catch (javax.net.ssl.SSLException e) {
            return; // the client saw the server's protocol_version alert first
        }
        assertInstanceOf(Step.Failure.class, step);
    }

    @Test
    void startIsTheEapTlsStartFlagAlone() {
        Step s = method(c -> EapTlsPolicy.Verdict.accept(), new ArrayList<>()).start("alice", 1495);
        assertArrayEquals(new byte[] {0x20}, assertInstanceOf(Step.Request.class, s).typeData());
    }

    @Test
    void aResponseBeforeTheStartOrAMalformedOneFails() {
        EapTlsMethod m = method(c -> EapTlsPolicy.Verdict.accept(), new ArrayList<>());
        assertInstanceOf(Step.Failure.class, m.receive(new byte[] {0x00}));
        m.start("alice", 1495);
        // L flag without the four length bytes (RFC 5216 §3.1).
        assertInstanceOf(Step.Failure.class, m.receive(new byte[] {(byte) 0x80, 0x01}));
    }

    @Test
    void tooSmallAnMruFails() {
        assertInstanceOf(Step.Failure.class, method(c -> EapTlsPolicy.Verdict.accept(), new ArrayList<>()).start("a", 20));
    }

    @Test
    void wholeHandshakeGivesThePeersMskAndThePolicySeesTheChain() throws Exception {
        List<List<X509Certificate>> seen = new ArrayList<>();
        EapTlsMethod m = method(c -> EapTlsPolicy.Verdict.accept(), seen);
        Peer peer = new Peer();
        Step step = m.start("alice", NO_FRAGMENTS);
        for (int i = 0; i < 10 && step instanceof Step.Request r; i++) {
            step = m.receive(peer.respond(r.typeData()));
        }
        Step.Success success = assertInstanceOf(Step.Success.class, step);
        byte[] material = ((ExtendedSSLSession) peer.engine.getSession())
                .exportKeyingMaterialData("client EAP encryption", null, 128);
        assertArrayEquals(Arrays.copyOf(material, 64), success.msk(), "MSK = Key_Material[0..63] (RFC 5216 §2.3)");
        assertTrue(success.subject().startsWith("CN=alice"), success.subject());
        assertEquals(1, seen.size());
        assertEquals(client.certificate(), seen.getFirst().getFirst());
    }

    @Test
    void policyRefusalIsAFailure() throws Exception {
        EapTlsMethod m = method(c -> EapTlsPolicy.Verdict.refuse("REVOKED: test"), new ArrayList<>());
        Peer peer = new Peer();
        Step step = m.start("alice", NO_FRAGMENTS);
        for (int i = 0; i < 10 && step instanceof Step.Request r; i++) {
            step = m.receive(peer.respond(r.typeData()));
        }
        Step.Failure f = assertInstanceOf(Step.Failure.class, step);
        assertTrue(f.reason().contains("REVOKED: test"), f.reason());
    }

    /** A JSSE client behind EAP-TLS type data, without fragmentation (the server's packets are large enough). */
    static final class Peer {
        final SSLEngine engine;
        private final ByteBuffer app;

        private final ByteArrayOutputStream received = new ByteArrayOutputStream();

        Peer() throws Exception {
            this("TLSv1.2");
        }

        Peer(String... protocols) throws Exception {
            SSLContext ctx = Jsse.context(Jsse.keyManagers(client), pki.caCertificate());
            engine = ctx.createSSLEngine("vpn.test", 443);
            engine.setUseClientMode(true);
            engine.setEnabledProtocols(protocols);
            app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        }

        /** The application data the server sent inside the TLS tunnel. */
        byte[] received() {
            return received.toByteArray();
        }

        /** The Response type data to one Request's type data. */
        byte[] respond(byte[] request) throws Exception {
            int flags = request[0] & 0xFF;
            int off = (flags & 0x80) != 0 ? 5 : 1;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0); // flags: none (one fragment, no length)
            if ((flags & 0x20) != 0) {
                engine.beginHandshake();
            } else {
                ByteBuffer in = ByteBuffer.wrap(request, off, request.length - off);
                while (in.hasRemaining()) {
                    // TLS 1.3: the client may owe a record (its CCS) before it reads on; JSSE then consumes nothing.
                    wrapPending(out);
                    SSLEngineResult r = engine.unwrap(in, app);
                    runTasks();
                    app.flip();
                    received.write(app.array(), 0, app.limit());
                    app.clear();
                    if (r.getStatus() != SSLEngineResult.Status.OK
                            || r.bytesConsumed() == 0 && engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                        break;
                    }
                }
            }
            wrapPending(out);
            return out.toByteArray();
        }

        private void wrapPending(ByteArrayOutputStream out) throws Exception {
            ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                net.clear();
                engine.wrap(ByteBuffer.allocate(0), net);
                runTasks();
                out.write(net.array(), 0, net.position());
            }
        }

        private void runTasks() {
            Runnable t;
            while ((t = engine.getDelegatedTask()) != null) {
                t.run();
            }
        }
    }
}
