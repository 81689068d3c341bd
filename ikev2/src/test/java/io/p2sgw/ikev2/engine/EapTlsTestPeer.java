package io.p2sgw.ikev2.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;

/**
 * The client side of EAP-TLS for the IKE_AUTH tests (RFC 3748 §4, RFC 5216 §2.1 and §3.1), written from the RFCs on
 * raw bytes so the engine's EAP path meets a peer that shares no code with the core's method: a JSSE client engine
 * (TLS 1.2, as Windows and strongSwan 5.9.8 speak EAP-TLS), its flights cut into fragments of {@link #FRAGMENT} TLS
 * bytes with L on the first of several, the server's fragments acknowledged and reassembled.
 */
public final class EapTlsTestPeer {
    /** TLS bytes per fragment we send. */
    static final int FRAGMENT = 700;
    static final int REQUEST = 1;
    static final int RESPONSE = 2;
    static final int SUCCESS = 3;
    static final int FAILURE = 4;
    static final int TYPE_TLS = 13;
    static final int FLAG_L = 0x80;
    static final int FLAG_M = 0x40;
    static final int FLAG_S = 0x20;

    private final SSLEngine engine;
    private final ByteBuffer app;
    private ByteBuffer netIn = ByteBuffer.allocate(0);
    private final ByteArrayOutputStream reassembly = new ByteArrayOutputStream();
    private byte[] outgoing;
    private int outgoingSent;
    /** Fragments of the server we acknowledged (it cut a flight into several). */
    int serverFragments;
    /** Set when the server's TLS data ended in an alert. */
    javax.net.ssl.SSLException tlsFailure;

    public EapTlsTestPeer(SSLContext context) {
        this(context, "TLSv1.2");
    }

    /** A peer that speaks {@code protocol} (TLSv1.2, or TLSv1.3 per RFC 9190). */
    public EapTlsTestPeer(SSLContext context, String protocol) {
        engine = context.createSSLEngine("vpn.example.test", 443);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {protocol});
        app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    /** Our EAP-Response to one EAP-Request (whole packets). */
    public byte[] respond(byte[] request) throws Exception {
        assertTrue(request.length >= 6, "an EAP-TLS Request has Code, Identifier, Length, Type and Flags");
        assertEquals(REQUEST, request[0] & 0xFF);
        int id = request[1] & 0xFF;
        assertEquals(request.length, (request[2] & 0xFF) << 8 | (request[3] & 0xFF), "EAP Length = the payload");
        assertEquals(TYPE_TLS, request[4] & 0xFF);
        int flags = request[5] & 0xFF;
        int dataStart = 6 + ((flags & FLAG_L) != 0 ? 4 : 0);
        byte[] data = Arrays.copyOfRange(request, dataStart, request.length);
        if ((flags & FLAG_S) != 0) {
            assertEquals(0, data.length, "the Start carries no data");
            engine.beginHandshake();
            return send(id, exchange(new byte[0]));
        }
        if (outgoing != null) {
            assertEquals(0, data.length, "an empty Request acknowledges our fragment");
            return nextFragment(id);
        }
        reassembly.write(data);
        if ((flags & FLAG_M) != 0) {
            serverFragments++;
            return response(id, 0, new byte[0]);
        }
        byte[] message = reassembly.toByteArray();
        reassembly.reset();
        try {
            return send(id, exchange(message));
        } catch (javax.net.ssl.SSLException e) {
            // The server's alert: answered with an empty Response, which the server ends with EAP-Failure
            // (RFC 5216 §2.1.3).
            tlsFailure = e;
            return response(id, 0, new byte[0]);
        }
    }

    /**
     * The MSK we derive: the first 64 of 128 bytes of key material, "client EAP encryption" under TLS 1.2 (RFC 5216
     * §2.3), "EXPORTER_EAP_TLS_Key_Material" with the Type-Code 0x0D as context under TLS 1.3 (RFC 9190 §2.3).
     */
    public byte[] msk() throws Exception {
        ExtendedSSLSession session = (ExtendedSSLSession) engine.getSession();
        byte[] material = "TLSv1.3".equals(session.getProtocol())
                ? session.exportKeyingMaterialData("EXPORTER_EAP_TLS_Key_Material", new byte[] {TYPE_TLS}, 128)
                : session.exportKeyingMaterialData("client EAP encryption", null, 128);
        return Arrays.copyOf(material, 64);
    }

    public String protocol() {
        return engine.getSession().getProtocol();
    }

    boolean handshakeDone() {
        return engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
    }

    private byte[] send(int id, byte[] tls) {
        if (tls.length == 0) {
            return response(id, 0, tls); // the final empty Response (RFC 5216 §2.1.1)
        }
        outgoing = tls;
        outgoingSent = 0;
        return nextFragment(id);
    }

    private byte[] nextFragment(int id) {
        int remaining = outgoing.length - outgoingSent;
        if (remaining <= FRAGMENT) {
            byte[] last = Arrays.copyOfRange(outgoing, outgoingSent, outgoing.length);
            outgoing = null;
            return response(id, 0, last);
        }
        byte[] piece = Arrays.copyOfRange(outgoing, outgoingSent, outgoingSent + FRAGMENT);
        int flags = FLAG_M;
        if (outgoingSent == 0) {
            flags |= FLAG_L;
            piece = ByteBuffer.allocate(4 + FRAGMENT).putInt(outgoing.length).put(piece).array();
        }
        outgoingSent += FRAGMENT;
        return response(id, flags, piece);
    }

    private static byte[] response(int id, int flags, byte[] typeData) {
        int length = 6 + typeData.length;
        return ByteBuffer.allocate(length).put((byte) RESPONSE).put((byte) id).putShort((short) length)
                .put((byte) TYPE_TLS).put((byte) flags).put(typeData).array();
    }

    /** Feeds the server's whole TLS message to the engine and returns everything it wants to send back. */
    private byte[] exchange(byte[] fromServer) throws Exception {
        ByteBuffer joined = ByteBuffer.allocate(netIn.remaining() + fromServer.length);
        netIn = joined.put(netIn).put(fromServer).flip();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        while (true) {
            for (Runnable t = engine.getDelegatedTask(); t != null; t = engine.getDelegatedTask()) {
                t.run();
            }
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_WRAP) {
                net.clear();
                SSLEngineResult r = engine.wrap(ByteBuffer.allocate(0), net);
                out.write(net.array(), 0, net.position());
                if (r.bytesProduced() == 0) {
                    break;
                }
                continue;
            }
            if (!netIn.hasRemaining()) {
                break;
            }
            app.clear();
            SSLEngineResult r = engine.unwrap(netIn, app);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
                    || r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                break;
            }
        }
        return out.toByteArray();
    }
}
