package io.p2sgw.tls.eap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * The peer side of EAP-TLS written for the tests (RFC 5216 §2.1, RFC 9190 §2.1): a JSSE client engine behind its own
 * reassembly and fragmentation, so that the server method meets a peer that was not written from its code. It
 * checks what a strict peer (pppd 2.4.9, sstp.md §4.3) checks: L with the total on the first of several fragments,
 * a new Identifier on every Request, Success or Failure with the Identifier of the last Response.
 */
final class EapTlsPeer {
    /** The TLS client under the peer: JSSE here, or another stack ({@link BcNoEmsClient}). */
    interface ClientTls {
        /** The ClientHello flight. */
        byte[] start() throws IOException;

        /** Our whole answer to a whole server message (may be empty); throws when the server's data ends the session. */
        byte[] consume(byte[] ciphertext, List<byte[]> applicationData) throws IOException;

        /** The 128 bytes of EAP key material our side derives. */
        byte[] keyMaterial() throws Exception;

        boolean handshakeDone();
    }

    /** The JSSE client engine when the peer runs on JSSE, else null. */
    final SSLEngine engine;
    private final ClientTls tls;
    private final int maxPacketLength;
    private ByteBuffer in = ByteBuffer.allocate(0);
    private final ByteBuffer app;

    /** Decrypted application data (TLS 1.3: the server's 0x00 commitment message). */
    final List<byte[]> applicationData = new ArrayList<>();
    /** The flags of every server Request and of every Response we sent, in order. */
    final List<Integer> serverFlags = new ArrayList<>();
    final List<Integer> peerFlags = new ArrayList<>();
    /** Set when the server's TLS data made our engine fail (an alert arrived). */
    IOException tlsFailure;

    private int lastRequestId = -1;
    private int lastResponseId = -1;
    private byte[] reassembly;
    private int reassembled;
    private long declared = EapTlsFragment.NO_LENGTH;
    private byte[] outgoing;
    private int outgoingSent;

    EapTlsPeer(String protocol, KeyManager[] keyManagers, int maxPacketLength) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keyManagers, EapTestPki.trustRoot(), new SecureRandom());
        engine = ctx.createSSLEngine("vpn.eap.test", 443);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {protocol});
        app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        this.maxPacketLength = maxPacketLength;
        this.tls = new ClientTls() {
            @Override
            public byte[] start() throws IOException {
                engine.beginHandshake();
                return produce();
            }

            @Override
            public byte[] consume(byte[] ciphertext, List<byte[]> applicationData) throws IOException {
                return EapTlsPeer.this.consume(ciphertext);
            }

            @Override
            public byte[] keyMaterial() throws Exception {
                ExtendedSSLSession s = (ExtendedSSLSession) engine.getSession();
                return "TLSv1.3".equals(s.getProtocol())
                        ? s.exportKeyingMaterialData("EXPORTER_EAP_TLS_Key_Material", new byte[] {0x0D}, 128)
                        : s.exportKeyingMaterialData("client EAP encryption", null, 128);
            }

            @Override
            public boolean handshakeDone() {
                return engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
            }
        };
    }

    /** A peer over another TLS client. */
    EapTlsPeer(ClientTls tls, int maxPacketLength) {
        this.engine = null;
        this.app = null;
        this.tls = tls;
        this.maxPacketLength = maxPacketLength;
    }

    /** Our Response to one server Request. */
    byte[] respond(byte[] requestBytes) throws Exception {
        EapPacket request = EapPacket.parse(requestBytes);
        assertEquals(EapPacket.REQUEST, request.code());
        assertEquals(EapPacket.TYPE_TLS, request.type());
        assertEquals(request.length(), requestBytes.length, "no padding from the server");
        if (lastRequestId >= 0) {
            assertEquals((lastRequestId + 1) & 0xFF, request.identifier(), "a new Identifier for every Request");
        }
        lastRequestId = request.identifier();
        int id = request.identifier();
        EapTlsFragment f = EapTlsFragment.parse(request.typeData());
        serverFlags.add(f.flags());
        if (f.startFlag()) {
            assertEquals(0, f.data().length, "Start carries no data");
            return beginSending(id, tls.start());
        }
        if (outgoing != null) {
            assertTrue(f.isAck(), "the server acknowledges our fragment with an empty Request");
            return nextFragment(id);
        }
        byte[] data = f.data();
        if (reassembly == null) {
            if (f.more()) {
                assertTrue(f.lengthIncluded(), "L and the total on the first of several fragments");
            }
            declared = f.lengthIncluded() ? f.messageLength() : EapTlsFragment.NO_LENGTH;
            reassembly = new byte[0];
            reassembled = 0;
        } else {
            assertTrue(!f.lengthIncluded(), "L only on the first fragment");
        }
        reassembly = Arrays.copyOf(reassembly, reassembled + data.length);
        System.arraycopy(data, 0, reassembly, reassembled, data.length);
        reassembled += data.length;
        if (f.more()) {
            return response(id, EapTlsFragment.ack());
        }
        if (declared != EapTlsFragment.NO_LENGTH) {
            assertEquals(declared, reassembled, "TLS Message Length = the reassembled bytes");
        }
        byte[] message = reassembly;
        reassembly = null;
        byte[] out;
        try {
            out = tls.consume(message, applicationData);
        } catch (IOException e) {
            // RFC 5216 §2.1.3: the peer answers the server's alert with an EAP-TLS Response; the server then fails.
            tlsFailure = e;
            return response(id, EapTlsFragment.ack());
        }
        // Nothing more to say: the final empty Response (RFC 5216 §2.1.1, RFC 9190 §2.5).
        return out.length == 0 ? response(id, EapTlsFragment.ack()) : beginSending(id, out);
    }

    /** Checks the server's Success or Failure and returns its code. */
    int finish(byte[] packet) throws Exception {
        EapPacket p = EapPacket.parse(packet);
        assertTrue(p.code() == EapPacket.SUCCESS || p.code() == EapPacket.FAILURE, "Success or Failure: " + p);
        assertEquals(lastResponseId, p.identifier(), "Success/Failure reuse the Response's Identifier (RFC 3748 §4.2)");
        assertEquals(EapPacket.HEADER_LENGTH, packet.length);
        return p.code();
    }

    /** What our side derives: RFC 5216 §2.3 for TLS 1.2, RFC 9190 §2.3 for TLS 1.3 (written out, not shared). */
    byte[] keyMaterial() throws Exception {
        return tls.keyMaterial();
    }

    boolean handshakeDone() {
        return tls.handshakeDone() && tlsFailure == null;
    }

    private byte[] beginSending(int id, byte[] message) {
        outgoing = message;
        outgoingSent = 0;
        return nextFragment(id);
    }

    private byte[] nextFragment(int id) {
        int room = maxPacketLength - EapPacket.HEADER_LENGTH - 2;
        int remaining = outgoing.length - outgoingSent;
        EapTlsFragment f;
        if (remaining <= room) {
            f = new EapTlsFragment(0, EapTlsFragment.NO_LENGTH, Arrays.copyOfRange(outgoing, outgoingSent, outgoing.length));
            outgoing = null;
        } else if (outgoingSent == 0) {
            int chunk = room - 4;
            f = new EapTlsFragment(EapTlsFragment.L | EapTlsFragment.M, outgoing.length, Arrays.copyOf(outgoing, chunk));
            outgoingSent = chunk;
        } else {
            f = new EapTlsFragment(EapTlsFragment.M, EapTlsFragment.NO_LENGTH,
                    Arrays.copyOfRange(outgoing, outgoingSent, outgoingSent + room));
            outgoingSent += room;
        }
        return response(id, f);
    }

    private byte[] response(int id, EapTlsFragment f) {
        peerFlags.add(f.flags());
        lastResponseId = id;
        byte[] packet = new EapPacket(EapPacket.RESPONSE, id, EapPacket.TYPE_TLS, f.encode()).encode();
        assertTrue(packet.length <= maxPacketLength);
        return packet;
    }

    /** Ciphertext the client wants to send now. */
    private byte[] produce() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        while (true) {
            runTasks();
            if (engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                return out.toByteArray();
            }
            net.clear();
            SSLEngineResult r = engine.wrap(ByteBuffer.allocate(0), net);
            out.write(net.array(), 0, net.position());
            if (r.bytesProduced() == 0) {
                return out.toByteArray();
            }
        }
    }

    /**
     * Processes a whole server message and returns our whole answer: JSSE may want to write in the middle of a flight
     * (TLS 1.3's compatibility ChangeCipherSpec after ServerHello), and a peer answers a message with one message.
     */
    private byte[] consume(byte[] ciphertext) throws SSLException {
        ByteBuffer joined = ByteBuffer.allocate(in.remaining() + ciphertext.length);
        joined.put(in).put(ciphertext).flip();
        in = joined;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        while (true) {
            runTasks();
            if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                net.clear();
                SSLEngineResult r = engine.wrap(ByteBuffer.allocate(0), net);
                out.write(net.array(), 0, net.position());
                if (r.bytesProduced() == 0) {
                    break;
                }
                continue;
            }
            if (!in.hasRemaining()) {
                break;
            }
            SSLEngineResult r = engine.unwrap(in, app);
            if (r.bytesProduced() > 0) {
                app.flip();
                byte[] m = new byte[app.remaining()];
                app.get(m);
                app.clear();
                applicationData.add(m);
            }
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW || (r.bytesConsumed() == 0 && r.bytesProduced() == 0)) {
                break;
            }
        }
        return out.toByteArray();
    }

    private void runTasks() {
        Runnable t;
        while ((t = engine.getDelegatedTask()) != null) {
            t.run();
        }
    }
}
