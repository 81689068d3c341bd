package io.p2sgw.tls;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Sans-I/O TLS over a JSSE {@link SSLEngine}: TLS ciphertext bytes in with {@link #receive}, plaintext
 * messages out with {@link #nextPlaintext}; plaintext messages in with {@link #send}, ciphertext out with
 * {@link #takeOutput}. Delegated tasks run inline. Not thread-safe: one owner drives it.
 *
 * <p>Each {@link #send} is one {@code wrap} call, so one message is one TLS record: OpenVPN reads one
 * record as one control message (openvpn.md §3.2).
 *
 * <p>After the handshake a caller that moves bulk data (SSTP: every tunnelled packet, sstp.md §2) switches to the
 * record-level {@link #wrap(ByteBuffer, ByteBuffer)} / {@link #unwrap(ByteBuffer, ByteBuffer)} with its own buffers:
 * first drain {@link #nextPlaintext()}, put {@link #takePendingCiphertext()} in front of its input, then use only the
 * record-level calls.
 */
public final class TlsPipe {
    /** Bound on buffered, not yet decrypted ciphertext: a few maximum-size records. */
    public static final int MAX_PENDING_CIPHERTEXT = 4 * (16384 + 2048);

    private final SSLEngine engine;
    /*
     * The engine's buffers are ~16 KiB each and TLS only carries the control channel, which is idle
     * between handshakes (OpenVPN renegotiates hourly). So they exist only while a call works on them:
     * null between calls when empty, which keeps an idle session's heap small (issue 4: < 64 KiB).
     */
    private ByteBuffer inbound;
    private ByteBuffer appIn;
    private ByteBuffer netOut;
    private final ByteArrayOutputStream outbound = new ByteArrayOutputStream();
    private final Deque<byte[]> plaintext = new ArrayDeque<>();
    private boolean handshakeComplete;
    private boolean begun;
    private boolean closed;

    TlsPipe(SSLEngine engine) {
        this.engine = engine;
    }

    private ByteBuffer appIn() {
        if (appIn == null) {
            appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        }
        return appIn;
    }

    private ByteBuffer netOut() {
        if (netOut == null) {
            netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        }
        return netOut;
    }

    /** Drops the buffers that hold nothing between calls (see the field comment). */
    private void releaseIdleBuffers() {
        if (inbound != null && !inbound.hasRemaining()) {
            inbound = null;
        }
        appIn = null; // every record is copied out as it is decrypted
        netOut = null; // every record is copied to {@code outbound} as it is encrypted
    }

    /** Whether the engine buffers are allocated now (tests: idle sessions hold none). */
    boolean holdsBuffers() {
        return inbound != null || appIn != null || netOut != null;
    }

    /** Starts the server side; nothing is sent before the ClientHello arrives. */
    public void begin() throws TlsException {
        try {
            engine.beginHandshake();
            begun = true;
        } catch (SSLException e) {
            throw new TlsException("cannot start the TLS handshake", e);
        }
    }

    /** Feeds TLS ciphertext (any split); processes handshake and application records it completes. */
    public void receive(ByteBuffer ciphertext) throws TlsException {
        if (closed) {
            return;
        }
        try {
            append(ciphertext);
            pump();
            noteQuietFinish();
        } finally {
            releaseIdleBuffers();
        }
    }

    /** Encrypts one plaintext message into exactly one TLS record. */
    public void send(byte[] message) throws TlsException {
        if (!handshakeComplete) {
            throw new TlsException("TLS handshake not complete; cannot send application data");
        }
        ByteBuffer src = ByteBuffer.wrap(message);
        try {
            while (src.hasRemaining()) {
                wrap(src);
            }
            pump();
        } finally {
            releaseIdleBuffers();
        }
    }

    /** Sends close_notify. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        engine.closeOutbound();
        try {
            while (!engine.isOutboundDone()) {
                SSLEngineResult r = wrap(ByteBuffer.allocate(0));
                if (r.bytesProduced() == 0) {
                    break;
                }
            }
        } catch (TlsException e) {
            // Nothing more to say to a peer we are leaving.
        } finally {
            releaseIdleBuffers();
        }
    }

    /** Ciphertext produced since the last call (may be empty). */
    public byte[] takeOutput() {
        byte[] out = outbound.toByteArray();
        outbound.reset();
        return out;
    }

    public boolean hasOutput() {
        return outbound.size() > 0;
    }

    /** The next decrypted application-data record, if any. */
    public Optional<byte[]> nextPlaintext() {
        return Optional.ofNullable(plaintext.pollFirst());
    }

    public boolean handshakeComplete() {
        return handshakeComplete;
    }

    /*
     * The record-level data path. SSTP carries every tunnelled packet in TLS application data (sstp.md §2), so after
     * the handshake the bytes go straight between the caller's buffers and the engine: no per-record array, no copy
     * through the message queue above. JSSE itself still allocates a little per record (its SSLEngineResult, the
     * cipher's per-record nonce set-up); the data is not copied by us.
     */

    /** The largest TLS record this session produces or accepts, for sizing the caller's ciphertext buffers. */
    public int maxRecordLength() {
        return engine.getSession().getPacketBufferSize();
    }

    /** The largest plaintext one record carries, for sizing the caller's plaintext buffers. */
    public int maxPlaintextLength() {
        return engine.getSession().getApplicationBufferSize();
    }

    /**
     * Encrypts {@code plaintext} into TLS records written to {@code out} (a caller-owned buffer, position advanced).
     * Stops when the plaintext is used up or {@code out} has no room for another whole record (then the rest of the
     * plaintext stays in {@code plaintext}: drain {@code out} and call again). Also writes what the engine itself has
     * to say after the handshake (a TLS 1.3 KeyUpdate answer, a close_notify).
     *
     * @return the ciphertext bytes written to {@code out}
     */
    public int wrap(ByteBuffer plaintext, ByteBuffer out) throws TlsException {
        requireDataPhase();
        int produced = 0;
        try {
            while (plaintext.hasRemaining() || engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                SSLEngineResult r = engine.wrap(plaintext, out);
                produced += r.bytesProduced();
                if (r.getStatus() != SSLEngineResult.Status.OK || r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        closed = true;
                    }
                    break;
                }
                if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runTasks();
                }
            }
        } catch (SSLException e) {
            flushAlert();
            throw new TlsException("TLS failure: " + e.getMessage(), e);
        }
        return produced;
    }

    /**
     * Decrypts the whole records at the front of {@code in} into {@code out} (caller-owned, position advanced). A
     * partial record stays in {@code in} for the caller to complete (compact and read more); when {@code out} has no
     * room for the next record's plaintext the record stays in {@code in} too. Post-handshake messages (TLS 1.3
     * KeyUpdate) are processed on the way; afterwards {@link #wantsToWrap()} says whether the engine has an answer to
     * send through {@link #wrap}.
     *
     * @return the plaintext bytes written to {@code out}; 0 with {@link #isClosed()} after the peer's close_notify
     */
    public int unwrap(ByteBuffer in, ByteBuffer out) throws TlsException {
        requireDataPhase();
        int produced = 0;
        try {
            while (in.hasRemaining()) {
                SSLEngineResult r = engine.unwrap(in, out);
                produced += r.bytesProduced();
                if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runTasks();
                }
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    closed = true;
                    break;
                }
                if (r.getStatus() != SSLEngineResult.Status.OK || r.bytesConsumed() == 0) {
                    break; // BUFFER_UNDERFLOW: a partial record; BUFFER_OVERFLOW: out is full
                }
            }
        } catch (SSLException e) {
            flushAlert();
            throw new TlsException("TLS failure: " + e.getMessage(), e);
        }
        return produced;
    }

    /**
     * Ciphertext received with the handshake's last bytes and not yet decrypted (a partial record after the client's
     * Finished), handed over once when the caller switches from {@link #receive} to {@link #unwrap}: put it in front
     * of the next bytes read. Whole records that came with the handshake are already in {@link #nextPlaintext()}.
     */
    public byte[] takePendingCiphertext() {
        if (inbound == null || !inbound.hasRemaining()) {
            return new byte[0];
        }
        byte[] pending = new byte[inbound.remaining()];
        inbound.get(pending);
        inbound = null;
        return pending;
    }

    /** Whether the engine has TLS output of its own waiting (an answer to a KeyUpdate, an alert). */
    public boolean wantsToWrap() {
        return engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP;
    }

    /** Whether the session ended (close_notify sent or received, or a fatal error). */
    public boolean isClosed() {
        return closed || engine.isInboundDone();
    }

    private void requireDataPhase() throws TlsException {
        if (!handshakeComplete) {
            throw new TlsException("TLS handshake not complete; no application data yet");
        }
    }

    /** The chain the client presented (leaf first); empty before the handshake completes. */
    public List<X509Certificate> peerChain() {
        try {
            Certificate[] certs = engine.getSession().getPeerCertificates();
            List<X509Certificate> chain = new ArrayList<>(certs.length);
            for (Certificate c : certs) {
                if (c instanceof X509Certificate x) {
                    chain.add(x);
                }
            }
            return List.copyOf(chain);
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    /**
     * Makes this session impossible to resume. EAP-TLS does not offer resumption (pppd sets SSL_OP_NO_TICKET, sstp.md
     * §4.3), and a resumed TLS 1.2 session would hand the exporter the first handshake's state.
     */
    public void invalidateSession() {
        engine.getSession().invalidate();
    }

    /** "TLSv1.3" or "TLSv1.2". */
    public String protocol() {
        return engine.getSession().getProtocol();
    }

    public String cipherSuite() {
        return engine.getSession().getCipherSuite();
    }

    /**
     * RFC 5705 / RFC 8446 §7.5 keying-material exporter with no context (OpenVPN's tls-ekm, openvpn.md
     * §6.2). JSSE requires the extended master secret under TLS 1.2.
     */
    public byte[] exportKeyingMaterial(String label, int length) throws TlsException {
        return exportKeyingMaterial(label, null, length);
    }

    /**
     * RFC 5705 (TLS 1.2) / RFC 8446 §7.5 (TLS 1.3) keying-material exporter through JDK 25's
     * {@link ExtendedSSLSession#exportKeyingMaterialData}. Under TLS 1.2 a {@code null} context means "no context"
     * (RFC 5216's derivation, sstp.md §3.5) and JSSE refuses unless the extended master secret (RFC 7627) was
     * negotiated; under TLS 1.3 {@code null} is the empty context.
     */
    public byte[] exportKeyingMaterial(String label, byte[] context, int length) throws TlsException {
        if (!handshakeComplete) {
            throw new TlsException("keying material is available only after the handshake");
        }
        if (!(engine.getSession() instanceof ExtendedSSLSession session)) {
            throw new TlsException("the TLS provider does not export keying material");
        }
        try {
            return session.exportKeyingMaterialData(label, context, length);
        } catch (javax.net.ssl.SSLKeyException | UnsupportedOperationException | IllegalStateException e) {
            throw new TlsException("keying material export failed: " + e.getMessage(), e);
        }
    }

    /**
     * The leaf certificate this server presented in this session (SSTP's crypto binding hashes exactly this one,
     * sstp.md §3.4); empty before the server's Certificate message was produced.
     */
    public Optional<X509Certificate> localCertificate() {
        Certificate[] local = engine.getSession().getLocalCertificates();
        if (local == null || local.length == 0 || !(local[0] instanceof X509Certificate leaf)) {
            return Optional.empty();
        }
        return Optional.of(leaf);
    }

    private void append(ByteBuffer data) throws TlsException {
        int pending = inbound == null ? 0 : inbound.remaining();
        if (pending + data.remaining() > MAX_PENDING_CIPHERTEXT) {
            throw new TlsException("too much buffered TLS ciphertext");
        }
        if (inbound == null) {
            inbound = ByteBuffer.allocate(Math.max(engine.getSession().getPacketBufferSize(), data.remaining()));
            inbound.put(data);
            inbound.flip();
            return;
        }
        inbound.compact();
        if (inbound.remaining() < data.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(inbound.position() + data.remaining());
            inbound.flip();
            bigger.put(inbound);
            inbound = bigger;
        }
        inbound.put(data);
        inbound.flip();
    }

    private void pump() throws TlsException {
        while (true) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            switch (hs) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> wrap(ByteBuffer.allocate(0));
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrap()) {
                        return;
                    }
                }
                case FINISHED, NOT_HANDSHAKING -> {
                    if (inbound == null || !inbound.hasRemaining() || !unwrap()) {
                        return;
                    }
                }
            }
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** @return whether progress was made (false: needs more input or inbound is closed) */
    private boolean unwrap() throws TlsException {
        if (engine.isInboundDone() || inbound == null) {
            return false;
        }
        SSLEngineResult r;
        try {
            while (true) {
                r = engine.unwrap(inbound, appIn());
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                    continue;
                }
                break;
            }
        } catch (SSLException e) {
            flushAlert();
            throw new TlsException("TLS failure: " + e.getMessage(), e);
        }
        noteFinished(r);
        if (r.bytesProduced() > 0) {
            appIn.flip();
            byte[] record = new byte[appIn.remaining()];
            appIn.get(record);
            appIn.clear();
            plaintext.addLast(record);
        }
        return switch (r.getStatus()) {
            case BUFFER_UNDERFLOW, CLOSED -> r.bytesConsumed() > 0 || r.bytesProduced() > 0;
            default -> true;
        };
    }

    private SSLEngineResult wrap(ByteBuffer src) throws TlsException {
        SSLEngineResult r;
        try {
            while (true) {
                netOut().clear();
                r = engine.wrap(src, netOut);
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    netOut = grow(netOut, engine.getSession().getPacketBufferSize());
                    continue;
                }
                break;
            }
        } catch (SSLException e) {
            flushAlert();
            throw new TlsException("TLS failure: " + e.getMessage(), e);
        }
        netOut.flip();
        outbound.write(netOut.array(), 0, netOut.limit());
        noteFinished(r);
        return r;
    }

    /** After an engine failure JSSE still wants to wrap the alert; best effort. */
    private void flushAlert() {
        try {
            for (int i = 0; i < 4 && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP; i++) {
                netOut().clear();
                SSLEngineResult r = engine.wrap(ByteBuffer.allocate(0), netOut);
                netOut.flip();
                outbound.write(netOut.array(), 0, netOut.limit());
                if (r.bytesProduced() == 0) {
                    break;
                }
            }
        } catch (SSLException ignored) {
            // The alert is a courtesy.
        }
        closed = true;
    }

    /**
     * JDK 25's TLS 1.3 server reports FINISHED through a follow-on wrap only while it sends NewSessionTickets: when
     * the client's Certificate, CertificateVerify and Finished arrive in one record, the Finished is consumed by a
     * delegated task, and with {@code jdk.tls.server.newSessionTicketCount=0} no wrap or unwrap ever returns
     * FINISHED ({@code sun.security.ssl.Finished} skips the ticket producer that sets
     * {@code needHandshakeFinishedStatus}). The engine then simply stops handshaking with a negotiated session.
     */
    private void noteQuietFinish() {
        if (!handshakeComplete && begun && !closed && engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
                && !"NONE".equals(engine.getSession().getProtocol())) {
            handshakeComplete = true;
        }
    }

    private void noteFinished(SSLEngineResult r) {
        if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
            handshakeComplete = true;
        }
    }

    private static ByteBuffer grow(ByteBuffer b, int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(atLeast, b.capacity() * 2));
        b.flip();
        bigger.put(b);
        return bigger;
    }
}
