package io.p2sgw.openvpn.engine;

import io.p2sgw.openvpn.wire.ControlPacket;
import io.p2sgw.openvpn.wire.ControlWrap;
import io.p2sgw.openvpn.wire.DataPacketHeader;
import io.p2sgw.openvpn.wire.KeyMethod2;
import io.p2sgw.openvpn.wire.Opcode;
import io.p2sgw.openvpn.wire.OptionsString;
import io.p2sgw.openvpn.wire.PeerInfo;
import io.p2sgw.openvpn.wire.WireException;
import io.p2sgw.tls.TlsException;
import io.p2sgw.tls.TlsServerContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one OpenVPN session, sans-I/O: packets ({@link #onPacket}), IP packets to send
 * ({@link #sendIp}), ticks ({@link #tick}) and commands ({@link #close}, {@link #renegotiate}) in; packets,
 * decrypted IP packets and decisions out through {@link SessionHost}. Time is passed in as milliseconds.
 * Not thread-safe: the binding serializes calls.
 */
public final class OpenVpnSession {
    /** Keepalive ping plaintext (ping.c). */
    static final byte[] PING = {0x2a, 0x18, 0x7b, (byte) 0xf3, 0x64, 0x1e, (byte) 0xb4, (byte) 0xcb,
        0x07, (byte) 0xed, 0x2d, 0x0a, (byte) 0x98, 0x1f, (byte) 0xc7, 0x48};
    /** OCC message prefix (occ.c); type 6 = EXIT. */
    static final byte[] OCC_MAGIC = {0x28, 0x7f, 0x34, 0x6b, (byte) 0xd4, (byte) 0xef, 0x7a, (byte) 0x81,
        0x2d, 0x56, (byte) 0xb8, (byte) 0xd3, (byte) 0xaf, (byte) 0xc5, 0x45, (byte) 0x9c};
    static final int OCC_EXIT = 6;
    /**
     * TLS bytes per P_CONTROL_V1, so the whole packet (header, 4 ACKs, wrapping) stays under the client's
     * tls-mtu of 1250 (openvpn.md §3.2).
     */
    public static final int MAX_CONTROL_PAYLOAD = 1100;
    /** ACKs piggybacked on a control packet (CONTROL_SEND_ACK_MAX). */
    static final int PIGGYBACK_ACKS = 4;
    /** Headroom left before every transmitted packet for the TCP length prefix. */
    public static final int HEADROOM = 2;
    /** PUSH_BUNDLE_SIZE: keep each PUSH_REPLY under this (openvpn.md §8.1). */
    static final int PUSH_BUNDLE_SIZE = 1024;
    static final int TUN_MTU = 1500;

    public enum State { HANDSHAKE, ACTIVE, CLOSING, ENDED }

    private static final Logger LOG = LoggerFactory.getLogger(OpenVpnSession.class);

    private final ControlWrap wrap;
    private final TlsServerContext tlsContext;
    private final SessionHost host;
    private final SessionSettings settings;
    private final RandomGenerator random;
    private final long sessionId;
    private final int peerId;
    private final String name;
    private long remoteSessionId;
    private boolean remoteKnown;

    private KeyState current;
    private KeyState next;
    private KeyState lameDuck;
    /** Volatile: the UDP receive thread reads it (active / in handshake) while a control thread advances it. */
    private volatile State state = State.HANDSHAKE;
    private PeerInfo peerInfo = new PeerInfo(java.util.Map.of());
    private DataCipher cipher = DataCipher.AES_256_GCM;
    private boolean ekm;
    private Optional<PushConfig> push = Optional.empty();
    private boolean pushSent;
    private byte[] leafDer = new byte[0];
    private long lastReceived;
    private long lastSent;
    private long closingDeadline;
    private String closingReason = "";
    private byte[] txBuf = new byte[2048];
    private byte[] rxBuf = new byte[2048];
    private long dataIn;
    private long pingsIn;
    private long dataOut;
    private long pingsOut;
    private long rejectedData;
    private int renegotiations;

    /**
     * @param name    for log lines (remote address, later the connection id)
     * @param peerId  the peer-id pushed to the client, 0..2^24-1
     */
    public OpenVpnSession(ControlWrap wrap, TlsServerContext tlsContext, SessionHost host, SessionSettings settings,
            RandomGenerator random, int peerId, String name, long now) {
        this.wrap = wrap;
        this.tlsContext = tlsContext;
        this.host = host;
        this.settings = settings;
        this.random = random;
        this.peerId = peerId & 0xFFFFFF;
        this.name = name;
        long sid;
        do {
            sid = random.nextLong();
        } while (sid == 0); // never all-zero (session_id_defined)
        this.sessionId = sid;
        this.lastReceived = now;
        this.lastSent = now;
    }

    public State state() {
        return state;
    }

    public int peerId() {
        return peerId;
    }

    public long remoteSessionId() {
        return remoteSessionId;
    }

    public Optional<DataCipher> cipher() {
        return state == State.ACTIVE || state == State.CLOSING ? Optional.of(cipher) : Optional.empty();
    }

    public SessionStats stats() {
        return new SessionStats(dataIn, pingsIn, dataOut, pingsOut, rejectedData, currentKeyId(), renegotiations);
    }

    /** The key_id currently used for sending data; -1 before keys exist. */
    public int currentKeyId() {
        return current != null && current.keys.isPresent() ? current.keyId : -1;
    }

    // ---------------------------------------------------------------- input

    /** One OpenVPN packet (without TCP length prefix). Bad packets are dropped, never thrown. */
    public void onPacket(byte[] packet, long now) {
        onPacket(packet, 0, packet.length, now);
    }

    /**
     * One OpenVPN packet at {@code buf[off..off+len)}, which the caller may reuse after the call: data packets are
     * decrypted straight from it (no copy, no allocation on the hot path); control packets are copied.
     */
    public void onPacket(byte[] buf, int off, int len, long now) {
        if (state == State.ENDED || len <= 0) {
            return;
        }
        Opcode op = Opcode.ofFirstByteOrNull(buf[off]);
        if (op == null) {
            return;
        }
        if (op.isData()) {
            onData(buf, off, len, now);
            return;
        }
        ControlPacket cp;
        try {
            cp = ControlPacket.decode(wrap.unwrap(Arrays.copyOfRange(buf, off, off + len)));
        } catch (WireException e) {
            LOG.atDebug().log(() -> name + ": dropped control packet: " + e.getMessage());
            return;
        }
        onControl(cp, now);
        flush(now);
    }

    private void onControl(ControlPacket cp, long now) {
        if (!remoteKnown) {
            if (cp.opcode() != Opcode.CONTROL_HARD_RESET_CLIENT_V2 || cp.keyId() != 0) {
                return;
            }
            remoteSessionId = cp.sessionId();
            remoteKnown = true;
            current = newKeyState(0, now);
            current.reliability.queue(Opcode.CONTROL_HARD_RESET_SERVER_V2, new byte[0]);
        } else if (cp.sessionId() != remoteSessionId) {
            return;
        }
        if (!cp.acks().isEmpty() && cp.remoteSessionId() != sessionId) {
            return; // reliable_ack_read: the ACK block must name our session
        }
        lastReceived = now;
        KeyState ks = keyStateFor(cp, now);
        if (ks == null) {
            return;
        }
        ks.reliability.acknowledged(cp.acks());
        if (cp.opcode() == Opcode.ACK_V1) {
            maybeSwitchKeys(now);
            return;
        }
        try {
            for (ControlPacket ready : ks.reliability.received(cp)) {
                if (ready.opcode() == Opcode.CONTROL_V1 && ready.payload().length > 0) {
                    ks.tls.receive(ByteBuffer.wrap(ready.payload()));
                }
            }
            processTls(ks, now);
        } catch (TlsException e) {
            queueTlsOutput(ks);
            String why = "TLS handshake failed" + e.alert().map(a -> " (alert " + a + ")").orElse("") + ": " + e.getMessage();
            LOG.info(name + ": " + why);
            if (state == State.HANDSHAKE) {
                host.handshakeFailed(why);
            }
            beginClosing(why, now);
        } catch (WireException e) {
            LOG.info(name + ": bad key method 2 message: " + e.getMessage());
            if (state == State.HANDSHAKE) {
                host.handshakeFailed("bad key method 2 message: " + e.getMessage());
            }
            beginClosing("bad key method 2 message: " + e.getMessage(), now);
        }
        maybeSwitchKeys(now);
    }

    private KeyState keyStateFor(ControlPacket cp, long now) {
        int kid = cp.keyId();
        if (current != null && current.keyId == kid && cp.opcode() != Opcode.CONTROL_SOFT_RESET_V1) {
            return current;
        }
        if (next != null && next.keyId == kid) {
            return next;
        }
        if (cp.opcode() == Opcode.CONTROL_SOFT_RESET_V1 && next == null && state == State.ACTIVE
                && current.keys.isPresent() && kid == KeyState.nextKeyId(current.keyId)) {
            // The client renegotiates (openvpn.md §9.1): new key_state, answer with our own SOFT_RESET.
            LOG.info(name + ": client started renegotiation, key_id " + kid);
            next = newKeyState(kid, now);
            next.reliability.queue(Opcode.CONTROL_SOFT_RESET_V1, new byte[0]);
            return next;
        }
        return null;
    }

    private KeyState newKeyState(int keyId, long now) {
        KeyState ks = new KeyState(keyId, tlsContext.newServerPipe(), settings.tlsTimeout().toMillis(), now);
        try {
            ks.tls.begin();
        } catch (TlsException e) {
            throw new IllegalStateException("cannot start TLS", e);
        }
        return ks;
    }

    private void processTls(KeyState ks, long now) throws TlsException, WireException {
        queueTlsOutput(ks);
        if (!ks.tls.handshakeComplete()) {
            return;
        }
        Optional<byte[]> record;
        while (state != State.ENDED && (record = ks.tls.nextPlaintext()).isPresent()) {
            if (ks.clientKm2.isEmpty()) {
                ks.clientKm2 = Optional.of(KeyMethod2.decodeClient(record.get()));
                onKeyMethod2(ks, now);
            } else {
                onControlMessages(record.get(), now);
            }
            queueTlsOutput(ks);
        }
        queueTlsOutput(ks);
    }

    private void onKeyMethod2(KeyState ks, long now) throws TlsException {
        KeyMethod2.ClientMessage km2 = ks.clientKm2.orElseThrow();
        List<X509Certificate> chain = ks.tls.peerChain();
        if (chain.isEmpty()) {
            throw new TlsException("client presented no certificate");
        }
        if (ks != current || ks.keyId != 0) {
            // Renegotiation: the same client certificate must come back (no push, no new admission).
            if (!Arrays.equals(encoded(chain.getFirst()), leafDer)) {
                beginClosing("renegotiation presented a different client certificate", now);
                return;
            }
            sendServerKeyMethod2(ks, km2);
            installKeys(ks);
            LOG.info(name + ": renegotiated key_id " + ks.keyId + " (" + ks.tls.protocol() + ")");
            return;
        }
        peerInfo = PeerInfo.parse(km2.peerInfo());
        ekm = peerInfo.hasProto(PeerInfo.PROTO_TLS_KEY_EXPORT);
        // The server always answers key method 2 so the client's key_state goes active and can read
        // AUTH_FAILED (openvpn.md §8.3, §8.4 option b).
        sendServerKeyMethod2(ks, km2);
        if (OptionsString.wantsCompression(km2.options())) {
            refuse("compression is not supported", now);
            return;
        }
        Optional<DataCipher> negotiated = DataCipher.negotiate(peerInfo.ciphers(), peerInfo.ncp(), OptionsString.cipher(km2.options()));
        if (negotiated.isEmpty()) {
            refuse("Data channel cipher negotiation failed (no shared cipher)", now);
            return;
        }
        cipher = negotiated.get();
        String summary = peerInfo.get("IV_VER").orElse("?") + " " + peerInfo.get("IV_PLAT").orElse("?") + " " + ks.tls.protocol();
        AuthDecision decision = host.authenticate(chain, summary);
        switch (decision) {
            case AuthDecision.Rejected r -> refuse(r.reason(), now);
            case AuthDecision.Accepted a -> {
                leafDer = encoded(chain.getFirst());
                push = Optional.of(a.push());
                installKeys(ks);
                state = State.ACTIVE;
                LOG.info(name + ": key_id 0 up, " + ks.tls.protocol() + " " + ks.tls.cipherSuite()
                        + ", data cipher " + cipher.openVpnName() + ", keys from " + (ekm ? "TLS EKM" : "legacy PRF"));
                if (peerInfo.hasProto(PeerInfo.PROTO_REQUEST_PUSH)) {
                    sendPush(ks);
                }
            }
        }
    }

    private void refuse(String reason, long now) throws TlsException {
        sendText(current, "AUTH_FAILED," + reason);
        beginClosing("refused: " + reason, now);
    }

    private void sendServerKeyMethod2(KeyState ks, KeyMethod2.ClientMessage km2) throws TlsException {
        byte[] r1 = new byte[KeyMethod2.RANDOM_LENGTH];
        byte[] r2 = new byte[KeyMethod2.RANDOM_LENGTH];
        random.nextBytes(r1);
        random.nextBytes(r2);
        serverRandoms.put(ks.keyId, new byte[][] {r1, r2});
        ks.tls.send(KeyMethod2.encodeServer(r1, r2, OptionsString.mirror(km2.options())));
        ks.serverKm2Id = queueTlsOutput(ks);
    }

    private final java.util.Map<Integer, byte[][]> serverRandoms = new java.util.HashMap<>();

    private void installKeys(KeyState ks) throws TlsException {
        KeyMethod2.ClientMessage km2 = ks.clientKm2.orElseThrow();
        byte[] key2;
        if (ekm) {
            key2 = ks.tls.exportKeyingMaterial(KeyDerivation.EKM_LABEL, KeyDerivation.KEY2_LENGTH);
        } else {
            byte[][] r = serverRandoms.get(ks.keyId);
            key2 = KeyDerivation.legacyPrf(km2.preMaster(), km2.random1(), r[0], km2.random2(), r[1], remoteSessionId, sessionId);
        }
        serverRandoms.remove(ks.keyId);
        ks.keys = Optional.of(new DataChannelKey(ks.keyId, cipher, key2));
        Arrays.fill(key2, (byte) 0);
    }

    private void onControlMessages(byte[] record, long now) throws TlsException {
        // A record may hold several NUL-terminated messages (forward.c check_incoming_control_channel).
        for (String msg : new String(record, StandardCharsets.UTF_8).split("\0")) {
            if (msg.isEmpty()) {
                continue;
            }
            if (msg.startsWith("PUSH_REQUEST")) {
                if (state == State.ACTIVE && !pushSent) {
                    sendPush(current);
                }
            } else if (msg.equals("EXIT")) {
                LOG.info(name + ": client sent EXIT (explicit-exit-notify)");
                end("client exited (EXIT)");
                return;
            } else {
                LOG.atDebug().log(() -> name + ": ignored control message " + msg.split(",", 2)[0]);
            }
        }
    }

    private void sendPush(KeyState ks) throws TlsException {
        PushConfig p = push.orElseThrow();
        List<String> options = new ArrayList<>();
        for (String dns : p.dnsServers()) {
            options.add("dhcp-option DNS " + dns);
        }
        String poolNet = Cidr.network(p.address(), p.prefixLength());
        for (String route : p.routes()) {
            Cidr c = Cidr.parse(route);
            if (c.prefixLength() == p.prefixLength() && c.network().equals(poolNet)) {
                continue; // the pool is on-link with topology subnet
            }
            options.add("route " + c.network() + " " + Cidr.mask(c.prefixLength()));
        }
        options.add("route-gateway " + p.gatewayAddress());
        options.add("topology subnet");
        options.add("ping " + settings.ping().toSeconds());
        options.add("ping-restart " + settings.pingRestart().toSeconds());
        options.add("ifconfig " + p.address() + " " + Cidr.mask(p.prefixLength()));
        options.add("peer-id " + peerId);
        options.add("cipher " + cipher.openVpnName());
        if (ekm) {
            options.add(peerInfo.hasProto(PeerInfo.PROTO_CC_EXIT_NOTIFY) ? "protocol-flags cc-exit tls-ekm" : "key-derivation tls-ekm");
        }
        options.add("tun-mtu " + TUN_MTU);
        for (String message : PushReply.split(options, PUSH_BUNDLE_SIZE)) {
            sendText(ks, message);
        }
        pushSent = true;
        LOG.atDebug().log(() -> name + ": pushed " + String.join(",", options));
    }

    private void sendText(KeyState ks, String text) throws TlsException {
        if (ks == null || !ks.tls.handshakeComplete()) {
            return;
        }
        ks.tls.send((text + "\0").getBytes(StandardCharsets.UTF_8));
        queueTlsOutput(ks);
    }

    /** Splits new TLS output into CONTROL_V1 payloads; returns the last queued id or -1. */
    private long queueTlsOutput(KeyState ks) {
        if (!ks.tls.hasOutput()) {
            return -1;
        }
        byte[] out = ks.tls.takeOutput();
        long last = -1;
        for (int off = 0; off < out.length; off += MAX_CONTROL_PAYLOAD) {
            last = ks.reliability.queue(Opcode.CONTROL_V1, Arrays.copyOfRange(out, off, Math.min(out.length, off + MAX_CONTROL_PAYLOAD)));
        }
        return last;
    }

    // ---------------------------------------------------------------- data channel

    private void onData(byte[] buf, int off, int len, long now) {
        if (state != State.ACTIVE && state != State.CLOSING) {
            return;
        }
        DataPacketHeader h;
        try {
            h = DataPacketHeader.parse(buf, off, len);
        } catch (WireException e) {
            return;
        }
        DataChannelKey key = keyFor(h.keyId(), now);
        if (key == null) {
            return;
        }
        if (rxBuf.length < len) {
            rxBuf = new byte[len];
        }
        int n = key.decrypt(buf, off, len, h, rxBuf);
        if (n < 0) {
            rejectedData++;
            return;
        }
        lastReceived = now;
        dataIn++;
        if (n == PING.length && Arrays.equals(rxBuf, 0, n, PING, 0, n)) {
            pingsIn++;
            return;
        }
        if (n > OCC_MAGIC.length && Arrays.equals(rxBuf, 0, OCC_MAGIC.length, OCC_MAGIC, 0, OCC_MAGIC.length)) {
            if (rxBuf[OCC_MAGIC.length] == OCC_EXIT) {
                LOG.info(name + ": client sent OCC EXIT");
                end("client exited (OCC EXIT)");
            }
            return;
        }
        if (state == State.ACTIVE) {
            host.deliver(rxBuf, 0, n);
        }
    }

    /** The usable key for a data packet's key_id: current, next or lame duck (openvpn.md §7.4); null if none. */
    private DataChannelKey keyFor(int keyId, long now) {
        DataChannelKey k = usableKey(current, keyId, now);
        if (k == null) {
            k = usableKey(next, keyId, now);
        }
        return k != null ? k : usableKey(lameDuck, keyId, now);
    }

    private static DataChannelKey usableKey(KeyState ks, int keyId, long now) {
        return ks != null && ks.keyId == keyId && ks.keys.isPresent() && now < ks.expiresAt ? ks.keys.get() : null;
    }

    /**
     * Encrypts and sends one IP packet (position..limit). Returns false (packet dropped) when no key is
     * ready. No allocation once the buffer has grown to the largest packet.
     */
    public boolean sendIp(ByteBuffer ip, long now) {
        if (state != State.ACTIVE || current == null || !current.readyToSend()) {
            return false;
        }
        return sendData(ip, now);
    }

    private boolean sendData(ByteBuffer plain, long now) {
        DataChannelKey key = current.keys.orElseThrow();
        int need = HEADROOM + DataChannelKey.overheadV2() + plain.remaining() + 16;
        if (txBuf.length < need) {
            txBuf = new byte[need];
        }
        int n = key.encryptV2(plain, peerId, txBuf, HEADROOM);
        lastSent = now;
        dataOut++;
        host.transmit(txBuf, HEADROOM, n);
        if (key.sentPacketId() >= DataChannelKey.PACKET_ID_WRAP_TRIGGER && next == null) {
            renegotiate(now);
        }
        return true;
    }

    // ---------------------------------------------------------------- timers and commands

    /** Retransmits, keepalive, timeouts, renegotiation, lame-duck expiry. Call every few hundred ms. */
    public void tick(long now) {
        if (state == State.ENDED) {
            return;
        }
        if (state == State.CLOSING) {
            flush(now);
            if (now >= closingDeadline || current == null || current.reliability.allAcked()) {
                end(closingReason);
            }
            return;
        }
        long hand = settings.handshakeWindow().toMillis();
        if (current != null && state == State.HANDSHAKE && now - current.startedAt >= hand) {
            end("TLS key negotiation did not complete within " + settings.handshakeWindow().toSeconds() + " s");
            return;
        }
        if (current == null && now - lastReceived >= hand) {
            end("no valid reset from the client");
            return;
        }
        if (next != null && next.keys.isEmpty() && now - next.startedAt >= hand) {
            LOG.info(name + ": renegotiation of key_id " + next.keyId + " timed out; keeping the old key");
            next = null;
        }
        if (state == State.ACTIVE) {
            if (now - lastReceived >= 2 * settings.pingRestart().toMillis()) {
                end("ping-restart: nothing from the client for " + 2 * settings.pingRestart().toSeconds() + " s");
                return;
            }
            if (now - lastSent >= settings.ping().toMillis() && current.readyToSend()) {
                pingsOut++;
                sendData(ByteBuffer.wrap(PING), now);
            }
            long reneg = settings.renegotiate().toMillis();
            if (reneg > 0 && next == null && now - current.startedAt >= reneg) {
                renegotiate(now);
            }
            if (lameDuck != null && now >= lameDuck.expiresAt) {
                lameDuck = null;
            }
        }
        maybeSwitchKeys(now);
        flush(now);
    }

    /** Starts a server-side soft reset with the next key_id (openvpn.md §9.1). */
    public void renegotiate(long now) {
        if (state != State.ACTIVE || next != null || current.keys.isEmpty()) {
            return;
        }
        next = newKeyState(KeyState.nextKeyId(current.keyId), now);
        next.reliability.queue(Opcode.CONTROL_SOFT_RESET_V1, new byte[0]);
        LOG.info(name + ": server started renegotiation, key_id " + next.keyId);
        flush(now);
    }

    /**
     * Ends the session from our side: sends {@code message} (e.g. {@code RESTART,...}, {@code HALT},
     * {@code AUTH_FAILED,...}) on the control channel when possible, then ends after it is ACKed or
     * after the linger time.
     */
    public void close(String message, String reason, long now) {
        if (state == State.ENDED || state == State.CLOSING) {
            return;
        }
        try {
            sendText(current, message);
        } catch (TlsException e) {
            end(reason);
            return;
        }
        beginClosing(reason, now);
        flush(now);
    }

    /** The transport is gone: end without sending anything. */
    public void abort(String reason) {
        end(reason);
    }

    private void beginClosing(String reason, long now) {
        if (state == State.ENDED || state == State.CLOSING) {
            return;
        }
        state = State.CLOSING;
        closingReason = reason;
        closingDeadline = now + settings.closeLinger().toMillis();
    }

    private void end(String reason) {
        if (state == State.ENDED) {
            return;
        }
        state = State.ENDED;
        host.ended(reason);
    }

    private void maybeSwitchKeys(long now) {
        if (next != null && next.readyToSend()) {
            if (lameDuck != null) {
                lameDuck = null;
            }
            lameDuck = current;
            lameDuck.expiresAt = now + settings.transitionWindow().toMillis();
            current = next;
            next = null;
            renegotiations++;
            LOG.info(name + ": now sending on key_id " + current.keyId + "; key_id " + lameDuck.keyId + " is the lame duck");
        }
    }

    private void flush(long now) {
        if (state == State.ENDED) {
            return;
        }
        for (KeyState ks : new KeyState[] {current, next}) {
            if (ks == null) {
                continue;
            }
            for (Reliability.Outgoing o : ks.reliability.due(now)) {
                List<Long> acks = ks.reliability.takeAcks(PIGGYBACK_ACKS);
                send(new ControlPacket(o.opcode, ks.keyId, sessionId, acks, remoteSessionId, o.id, o.payload));
            }
            while (ks.reliability.hasPendingAcks()) {
                List<Long> acks = ks.reliability.takeAcks(ControlPacket.MAX_ACKS);
                send(new ControlPacket(Opcode.ACK_V1, ks.keyId, sessionId, acks, remoteSessionId, 0, new byte[0]));
            }
        }
    }

    private void send(ControlPacket p) {
        byte[] wire = wrap.wrap(p.encode());
        byte[] out = new byte[HEADROOM + wire.length];
        System.arraycopy(wire, 0, out, HEADROOM, wire.length);
        host.transmitControl(out, HEADROOM, wire.length);
    }

    private static byte[] encoded(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (CertificateEncodingException e) {
            return new byte[0];
        }
    }
}
