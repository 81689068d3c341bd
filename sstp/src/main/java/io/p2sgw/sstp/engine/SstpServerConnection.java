package io.p2sgw.sstp.engine;

import io.p2sgw.sstp.binding.BindingVerdict;
import io.p2sgw.sstp.binding.CryptoBindingVerifier;
import io.p2sgw.sstp.binding.ServerCertificateHashes;
import io.p2sgw.sstp.ppp.EapServerMethod;
import io.p2sgw.sstp.ppp.IpcpLease;
import io.p2sgw.sstp.ppp.PppFrames;
import io.p2sgw.sstp.ppp.PppProtocol;
import io.p2sgw.sstp.ppp.PppServerEngine;
import io.p2sgw.sstp.wire.AttributeId;
import io.p2sgw.sstp.wire.ControlMessage;
import io.p2sgw.sstp.wire.ControlMessages;
import io.p2sgw.sstp.wire.CryptoBindingAttribute;
import io.p2sgw.sstp.wire.MessageType;
import io.p2sgw.sstp.wire.PacketFramer;
import io.p2sgw.sstp.wire.PreambleParser;
import io.p2sgw.sstp.wire.PreambleResponses;
import io.p2sgw.sstp.wire.SstpException;
import io.p2sgw.sstp.wire.SstpHeader;
import io.p2sgw.sstp.wire.SstpStatus;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * One SSTP call on the server, sans I/O ([MS-SSTP] 3.3; sstp.md §0 and §2.7): the decrypted bytes of the outer TLS
 * stream and clock ticks come in; bytes to encrypt and events go out through {@link Host}. It answers the HTTPS
 * preamble, accepts CALL_CONNECT_REQUEST (NAKs a protocol other than PPP, three times at most), sends
 * CALL_CONNECT_ACK with a fresh nonce, runs PPP ({@link PppServerEngine}) over data packets, verifies CALL_CONNECTED
 * against the MSK of the PPP authentication, and only then lets IPv4 through. Timers: negotiation, Hello/echo, and
 * the abort and disconnect timers; every teardown path ends in exactly one {@link Host#closed}.
 *
 * <p>Confined to the connection's thread.
 */
public final class SstpServerConnection {
    /** [MS-SSTP] 3.3.1.1.1 server states, the four teardown "pending" states folded into two with their timer. */
    public enum State {
        HTTP_PREAMBLE, CONNECT_REQUEST_PENDING, CALL_CONNECTED_PENDING, CALL_CONNECTED, ABORT_PENDING,
        ABORT_TIMEOUT_PENDING, DISCONNECT_ACK_PENDING, DISCONNECT_TIMEOUT_PENDING, CLOSED
    }

    /** The connection's outside world. */
    public interface Host {
        /** Bytes for the client, in order, through the TLS stream. */
        void send(byte[] bytes);

        /** The session's IPCP addresses (pool address, gateway, DNS), or empty (the call then ends). */
        Optional<IpcpLease> leaseAddress();

        /** The call is up: binding verified and IPCP open; IPv4 flows from now on. Called once. */
        void established(SstpSessionFacts facts);

        /** One IPv4 datagram from the client; valid only during the call. */
        void ipv4(byte[] buf, int off, int len);

        /**
         * The call is over: send nothing more, close TLS and TCP, release the lease if one was given. Called once.
         */
        void closed(String reason);
    }

    /** SSTP data header + {@code FF 03 00 21}: the headroom {@link #frameIpv4} needs before an IPv4 datagram. */
    public static final int IPV4_HEADROOM = SstpHeader.LENGTH + PppFrames.HEADER_LENGTH;

    /**
     * The AttribID of a CALL_ABORT about the call rather than one attribute the client sent: [MS-SSTP] 2.2.13 allows
     * only the four attribute ids 1-4 there (not NO_ERROR), and 3.3.5.2.2 names SSTP_ATTRIB_STATUS_INFO for the
     * retry-count abort; negotiation timeouts, unexpected messages and a refused authentication use it too.
     */
    static final AttributeId WHOLE_CALL = AttributeId.STATUS_INFO;

    /**
     * The Status of the CALL_ABORT that follows EAP-Failure (refused certificate, no EAP-TLS). [MS-SSTP] has no status
     * for a failed inner authentication (2.2.8; 3.3.7.1 only says the higher layer tears the tunnel down), and a
     * CALL_ABORT may carry only 0x04-0x09 (2.2.13), so NO_ERROR is out. ATTRIB_STATUS_VALUE_NOT_SUPPORTED (0x04) is the
     * closest: what the client offered (its credential) is not acceptable to this server; it is also the one status
     * in that range sstpc spells out ("Value of attribute is incorrect", sstp-client src/sstp-packet.c
     * sstp_attr_status_str, which knows 0x01-0x04 and 0x09-0x0B). sstpc 1.0.18 prints a decoded status only after it
     * sent CALL_CONNECTED ({@code sstp_state_reason} checks its established flag), so for a refusal during EAP it says
     * "Connection was aborted, Reason was not known" whatever we send; Windows logs the number. The reason itself is
     * in the gateway's log and, for the client, in the EAP-Failure before this message.
     */
    static final SstpStatus AUTHENTICATION_REFUSED = SstpStatus.VALUE_NOT_SUPPORTED;

    private static final System.Logger LOG = System.getLogger(SstpServerConnection.class.getName());

    private final SstpSettings settings;
    private final Host host;
    private final byte[] nonce = new byte[CryptoBindingAttribute.NONCE_LENGTH];
    private final CryptoBindingVerifier verifier;
    private final PreambleParser preamble = new PreambleParser();
    private final PacketFramer framer = new PacketFramer();
    private final PppServerEngine ppp;
    private final PacketFramer.Sink sink = this::packet;

    private State state = State.HTTP_PREAMBLE;
    private String correlationId = "";
    private long deadline;
    private long now;
    private long lastReceived;
    private boolean echoOutstanding;
    private int naks;
    /** The MSK from EAP, kept only until the crypto binding has been checked, then wiped. */
    private byte[] msk;
    private boolean authenticated;
    private String identity = "";
    private String subject = "";
    private byte[] pendingCallConnected;
    private BindingVerdict.Verified binding;
    private int clientAddress;
    private boolean networkUp;
    private boolean established;
    private String endReason = "";

    /**
     * @param certificate the hashes of the certificate this TLS session presented
     * @param method the EAP method for this session (EAP-TLS)
     * @param random the nonce source (a SecureRandom in production) and PPP's Magic-Numbers and Identifiers
     */
    public SstpServerConnection(SstpSettings settings, ServerCertificateHashes certificate, EapServerMethod method,
            Host host, RandomGenerator random, long now) {
        this.settings = settings;
        this.host = host;
        random.nextBytes(nonce);
        this.verifier = new CryptoBindingVerifier(nonce, settings.hashBitmask(), certificate, settings.hlakLayouts());
        this.ppp = new PppServerEngine(settings.ppp(), method, new PppHost(), random);
        this.now = now;
        this.deadline = now + settings.preambleTimeoutMillis();
    }

    public State state() {
        return state;
    }

    /** Decrypted bytes from the client's TLS stream ({@code buf[off, off+len)}, valid only during the call). */
    public void receive(byte[] buf, int off, int len, long now) {
        this.now = now;
        if (state == State.HTTP_PREAMBLE) {
            switch (preamble.feed(buf, off, len)) {
                case PreambleParser.Outcome.NeedMore n -> {
                    return;
                }
                case PreambleParser.Outcome.Rejected r -> {
                    host.send(PreambleResponses.error(r.httpStatus()));
                    close("HTTP " + r.httpStatus() + ": " + r.reason());
                    return;
                }
                case PreambleParser.Outcome.Accepted a -> {
                    correlationId = a.request().correlationId();
                    host.send(PreambleResponses.ok(Instant.ofEpochMilli(now)));
                    state = State.CONNECT_REQUEST_PENDING;
                    deadline = now + settings.connectRequestTimeoutMillis();
                    off += a.consumed();
                    len -= a.consumed();
                }
            }
        }
        if (state == State.CLOSED) {
            return;
        }
        PacketFramer.Result r = framer.feed(buf, off, len, sink);
        if (r == PacketFramer.Result.BAD_VERSION || r == PacketFramer.Result.BAD_LENGTH) {
            // [MS-SSTP] 3.1.5.1: delineation is lost; close without sending anything.
            close("SSTP framing lost (" + r + ")");
        }
    }

    /** The clock: PPP timers, negotiation timeout, Hello/echo, abort and disconnect timers. */
    public void tick(long now) {
        this.now = now;
        switch (state) {
            case CLOSED -> {
                return;
            }
            case CALL_CONNECTED -> hello();
            default -> {
                if (now >= deadline) {
                    timeout();
                    return;
                }
            }
        }
        if (state == State.CALL_CONNECTED_PENDING || state == State.CALL_CONNECTED) {
            ppp.tick(now);
        }
    }

    /**
     * End the call from our side (administrator, revocation): LCP Terminate-Request, then CALL_DISCONNECT once PPP is
     * down, then close after the DISCONNECT_ACK or the disconnect timer.
     */
    public void disconnect(String reason, long now) {
        this.now = now;
        if (state == State.CALL_CONNECTED_PENDING || state == State.CALL_CONNECTED) {
            endReason = reason;
            ppp.close(reason, now);
        } else if (state == State.HTTP_PREAMBLE || state == State.CONNECT_REQUEST_PENDING) {
            close(reason);
        }
    }

    /**
     * End the call at once with CALL_ABORT (a certificate revoked or its root removed mid-session must end within a
     * second): AttribID STATUS_INFO and {@link #AUTHENTICATION_REFUSED}, the client's credential is no longer
     * acceptable ([MS-SSTP] 2.2.13 has no NO_ERROR abort).
     */
    public void abort(String reason, long now) {
        abort(AUTHENTICATION_REFUSED, reason, now);
    }

    /**
     * End the call at once with CALL_ABORT carrying {@code status}, which must be one a CALL_ABORT may carry
     * ({@link SstpStatus#allowedInCallAbort}, [MS-SSTP] 2.2.13).
     */
    public void abort(SstpStatus status, String reason, long now) {
        if (!status.allowedInCallAbort()) {
            throw new IllegalArgumentException(status + " is not a CALL_ABORT status ([MS-SSTP] 2.2.13)");
        }
        this.now = now;
        sendAbort(WHOLE_CALL, status, reason);
    }

    /** The TLS stream or TCP connection ended under us: clean up silently ([MS-SSTP] 3.3.5.3). */
    public void transportClosed(long now) {
        this.now = now;
        close(endReason.isEmpty() ? "connection closed by the client" : endReason);
    }

    /**
     * Frames an IPv4 datagram for the client in place: writes the SSTP data header and {@code FF 03 00 21} into the
     * {@link #IPV4_HEADROOM} bytes before {@code ipOff} (no copy, no allocation).
     *
     * @return the offset where the packet to send starts ({@code ipOff - IPV4_HEADROOM}), or -1 if the datagram may not
     *     go out: the call is not established yet or is being torn down, or the datagram exceeds the client's MRU
     */
    public int frameIpv4(byte[] buf, int ipOff, int ipLen) {
        if (!established || state != State.CALL_CONNECTED || ipLen > ppp.peerMru() || ipOff < IPV4_HEADROOM) {
            return -1;
        }
        int start = ipOff - IPV4_HEADROOM;
        SstpHeader.writeData(buf, start, PppFrames.HEADER_LENGTH + ipLen);
        PppFrames.writeHeader(buf, start + SstpHeader.LENGTH, PppProtocol.IPV4);
        return start;
    }

    private boolean packet(boolean control, byte[] buf, int off, int len) {
        lastReceived = now;
        echoOutstanding = false;
        if (!control) {
            if (state == State.CALL_CONNECTED_PENDING || state == State.CALL_CONNECTED) {
                ppp.receive(buf, off + SstpHeader.LENGTH, len - SstpHeader.LENGTH, now);
            }
            return state != State.CLOSED;
        }
        ControlMessage m;
        try {
            m = ControlMessage.parse(buf, off, len);
        } catch (SstpException e) {
            if (!tearingDown()) {
                sendAbort(e, "malformed control message: " + e.getMessage());
            }
            return state != State.CLOSED;
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "SSTP " + correlationId + " <- " + m.type() + " in " + state
                + m.statusInfo().map(s -> " " + s).orElse(""));
        try {
            control(m, buf, off, len);
        } catch (SstpException e) {
            if (!tearingDown()) {
                sendAbort(e, m.type() + ": " + e.getMessage());
            }
        }
        return state != State.CLOSED;
    }

    private void control(ControlMessage m, byte[] buf, int off, int len) {
        switch (m.type()) {
            case CALL_CONNECT_REQUEST -> connectRequest(m);
            case CALL_CONNECTED -> {
                if (tearingDown()) {
                    return;
                }
                if (state != State.CALL_CONNECTED_PENDING) {
                    unexpected(m);
                    return;
                }
                pendingCallConnected = Arrays.copyOfRange(buf, off, off + len);
                if (authenticated) {
                    verifyBinding();
                }
                // Otherwise CALL_CONNECTED came before EAP finished: kept, verified at authentication (sstp.md §3.4).
            }
            case ECHO_REQUEST -> {
                // Answered while negotiating too: sstpc sends one after 60 s of silence (sstp.md §2.7).
                if (!tearingDown()) {
                    host.send(ControlMessages.echoResponse());
                }
            }
            case ECHO_RESPONSE -> {
                // The Hello timer was restarted by its arrival.
            }
            case CALL_ABORT -> {
                LOG.log(System.Logger.Level.INFO, () -> "SSTP " + correlationId + " client aborted: "
                        + m.statusInfo().map(Object::toString).orElse("no status"));
                if (state == State.ABORT_PENDING) {
                    toState(State.ABORT_TIMEOUT_PENDING, SstpSettings.ABORT_TIMER_2_MILLIS);
                } else if (!tearingDown()) {
                    endReason = "client aborted the call (" + m.statusInfo().map(Object::toString).orElse("") + ")";
                    host.send(abortReply(m));
                    toState(State.ABORT_TIMEOUT_PENDING, SstpSettings.ABORT_TIMER_2_MILLIS);
                }
            }
            case CALL_DISCONNECT -> {
                if (state == State.ABORT_PENDING || state == State.ABORT_TIMEOUT_PENDING
                        || state == State.DISCONNECT_TIMEOUT_PENDING) {
                    return;
                }
                if (endReason.isEmpty()) {
                    endReason = "client disconnected";
                }
                host.send(ControlMessages.disconnectAck());
                toState(State.DISCONNECT_TIMEOUT_PENDING, SstpSettings.DISCONNECT_TIMER_2_MILLIS);
            }
            case CALL_DISCONNECT_ACK -> {
                if (state == State.DISCONNECT_ACK_PENDING) {
                    close(endReason);
                }
            }
            case CALL_CONNECT_ACK, CALL_CONNECT_NAK -> {
                if (!tearingDown()) {
                    unexpected(m);
                }
            }
        }
    }

    private void connectRequest(ControlMessage m) {
        if (tearingDown()) {
            return;
        }
        if (state != State.CONNECT_REQUEST_PENDING) {
            unexpected(m);
            return;
        }
        int protocol = ControlMessages.requestedProtocol(m);
        if (protocol != ControlMessages.PROTOCOL_PPP) {
            // [MS-SSTP] 3.3.5.2.1: NAK with the value we refuse; after the retry limit, abort.
            if (++naks > settings.maxConnectNaks()) {
                sendAbort(WHOLE_CALL, SstpStatus.RETRY_COUNT_EXCEEDED,
                        "client kept asking for protocol " + protocol);
                return;
            }
            host.send(ControlMessages.connectNak(AttributeId.ENCAPSULATED_PROTOCOL_ID, SstpStatus.VALUE_NOT_SUPPORTED,
                    new byte[] {(byte) (protocol >>> 8), (byte) protocol}));
            return;
        }
        host.send(ControlMessages.connectAck(settings.hashBitmask(), nonce));
        toState(State.CALL_CONNECTED_PENDING, settings.callConnectedTimeoutMillis());
        ppp.start(now);
    }

    private void verifyBinding() {
        byte[] message = pendingCallConnected;
        pendingCallConnected = null;
        BindingVerdict verdict = verifier.verify(message, msk);
        Arrays.fill(msk, (byte) 0);
        switch (verdict) {
            case BindingVerdict.Verified v -> {
                binding = v;
                LOG.log(System.Logger.Level.DEBUG, () -> "SSTP " + correlationId + " crypto binding verified: " + v);
                state = State.CALL_CONNECTED;
                lastReceived = now;
                echoOutstanding = false;
                maybeEstablished();
            }
            case BindingVerdict.Refused r -> sendAbort(r.attribute(), r.status(), "crypto binding: " + r.reason());
        }
    }

    private void maybeEstablished() {
        if (!established && binding != null && networkUp && state == State.CALL_CONNECTED) {
            established = true;
            host.established(new SstpSessionFacts(correlationId, identity, subject, clientAddress, binding.hash(),
                    binding.layout()));
        }
    }

    private void hello() {
        // [MS-SSTP] 3.3.2.1 Hello timer: ECHO_REQUEST after an idle period; nothing for another period: drop silently.
        if (now - lastReceived < settings.helloMillis()) {
            return;
        }
        if (!echoOutstanding) {
            echoOutstanding = true;
            lastReceived = now;
            host.send(ControlMessages.echoRequest());
        } else {
            close("no answer to ECHO_REQUEST");
        }
    }

    private void timeout() {
        switch (state) {
            case HTTP_PREAMBLE -> close("no HTTPS preamble in time");
            case CONNECT_REQUEST_PENDING, CALL_CONNECTED_PENDING -> sendAbort(WHOLE_CALL,
                    SstpStatus.NEGOTIATION_TIMEOUT, "no " + (state == State.CONNECT_REQUEST_PENDING
                            ? "CALL_CONNECT_REQUEST" : "CALL_CONNECTED") + " in time");
            case DISCONNECT_ACK_PENDING -> close(endReason + " (no DISCONNECT_ACK)");
            default -> close(endReason);
        }
    }

    private void unexpected(ControlMessage m) {
        sendAbort(WHOLE_CALL, SstpStatus.UNACCEPTED_FRAME_RECEIVED, m.type() + " in " + state);
    }

    private void sendAbort(SstpException e, String reason) {
        sendAbort(e.attribute(), e.status(), reason);
    }

    /**
     * Our CALL_ABORT answering the client's ([MS-SSTP] 3.1.2.1): its own Status Info echoed when a CALL_ABORT may carry
     * it, else STATUS_INFO / ATTRIB_STATUS_UNACCEPTED_FRAME_RECEIVED (a NO_ERROR abort is not allowed, 2.2.13).
     */
    private static byte[] abortReply(ControlMessage clientAbort) {
        return clientAbort.statusInfo()
                .filter(si -> si.attribute() != AttributeId.NO_ERROR.id()
                        && AttributeId.ofId(si.attribute()).isPresent()
                        && si.knownStatus().filter(SstpStatus::allowedInCallAbort).isPresent())
                .map(si -> ControlMessages.abort(AttributeId.ofId(si.attribute()).orElseThrow(),
                        si.knownStatus().orElseThrow()))
                .orElseGet(() -> ControlMessages.abort(WHOLE_CALL, SstpStatus.UNACCEPTED_FRAME_RECEIVED));
    }

    private void sendAbort(AttributeId attribute, SstpStatus status, String reason) {
        if (tearingDown() || state == State.HTTP_PREAMBLE) {
            if (state == State.HTTP_PREAMBLE) {
                close(reason);
            }
            return;
        }
        endReason = reason;
        // The parser's and the binding check's faults name NAK statuses (2.2.8) and, for a fault of the frame
        // itself, AttribID NO_ERROR; a CALL_ABORT carries neither ([MS-SSTP] 2.2.13: AttribID 1-4, Status 0x04-0x09).
        // The attribute at fault is kept when there is one, else STATUS_INFO (WHOLE_CALL); a duplicate, unknown,
        // missing or wrong-length attribute becomes ATTRIB_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG (sstp.md §2.7).
        host.send(ControlMessages.abort(attribute == AttributeId.NO_ERROR ? WHOLE_CALL : attribute,
                status.allowedInCallAbort() ? status : SstpStatus.ATTRIB_NOT_SUPPORTED_IN_MSG));
        toState(State.ABORT_PENDING, SstpSettings.ABORT_TIMER_1_MILLIS);
    }

    private void toState(State next, long timer) {
        state = next;
        deadline = now + timer;
    }

    private boolean tearingDown() {
        return state == State.ABORT_PENDING || state == State.ABORT_TIMEOUT_PENDING
                || state == State.DISCONNECT_ACK_PENDING || state == State.DISCONNECT_TIMEOUT_PENDING
                || state == State.CLOSED;
    }

    private void close(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        LOG.log(System.Logger.Level.INFO, () -> "SSTP " + correlationId + " closed: " + reason);
        host.closed(reason);
    }

    private final class PppHost implements PppServerEngine.Host {
        @Override
        public void send(byte[] frame) {
            if (tearingDown() || frame.length > SstpHeader.MAX_DATA_PAYLOAD) {
                return;
            }
            byte[] packet = new byte[SstpHeader.LENGTH + frame.length];
            SstpHeader.writeData(packet, 0, frame.length);
            System.arraycopy(frame, 0, packet, SstpHeader.LENGTH, frame.length);
            host.send(packet);
        }

        @Override
        public void authenticated(String who, EapServerMethod.Step.Success success) {
            identity = who;
            subject = success.subject();
            msk = success.msk();
            authenticated = true;
            if (pendingCallConnected != null && state == State.CALL_CONNECTED_PENDING) {
                verifyBinding();
            }
        }

        @Override
        public Optional<IpcpLease> leaseAddress() {
            return host.leaseAddress();
        }

        @Override
        public void networkUp(int address) {
            clientAddress = address;
            networkUp = true;
            maybeEstablished();
        }

        @Override
        public void ipv4(byte[] buf, int off, int len) {
            // [MS-SSTP] 3.3.7.1 / §5: no IP before a valid CALL_CONNECTED.
            if (established) {
                host.ipv4(buf, off, len);
            }
        }

        @Override
        public void linkDown(String reason) {
            networkUp = false;
            if (tearingDown()) {
                return;
            }
            if (!authenticated) {
                // PPP ended before authentication succeeded (refused certificate, no EAP): CALL_ABORT (issue 15) with
                // the status of a refused inner authentication (see AUTHENTICATION_REFUSED).
                sendAbort(WHOLE_CALL, AUTHENTICATION_REFUSED, "PPP: " + reason);
                return;
            }
            endReason = endReason.isEmpty() ? "PPP: " + reason : endReason;
            host.send(ControlMessages.disconnect(AttributeId.NO_ERROR, SstpStatus.NO_ERROR));
            toState(State.DISCONNECT_ACK_PENDING, SstpSettings.DISCONNECT_TIMER_1_MILLIS);
        }
    }
}
