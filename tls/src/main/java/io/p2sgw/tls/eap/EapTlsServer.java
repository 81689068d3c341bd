package io.p2sgw.tls.eap;

import io.p2sgw.tls.ClientHelloOffer;
import io.p2sgw.tls.TlsException;
import io.p2sgw.tls.TlsServerContext;
import io.p2sgw.tls.eap.EapError.Reason;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The EAP-TLS server method (RFC 5216; TLS 1.3 per RFC 9190), sans-I/O: EAP packets in, EAP packets out. Shared by
 * PPP inside SSTP (sstp.md §4.3) and IKEv2's EAP payload (the Windows client). The carrier does EAP-Identity itself,
 * then calls {@link #start} once and {@link #receive} with every EAP-Response, and sends what comes back; it
 * retransmits {@link #outstandingRequest()} on its own timer. Not thread-safe: the session's serial queue drives it.
 *
 * <p>The conversation, authenticator side:
 * <ol>
 *   <li>EAP-Request/TLS Start (S flag, no data; RFC 5216 §2.1.1).</li>
 *   <li>TLS flights both ways. A message longer than a fragment goes out as L|M (with the total length), M, ...,
 *   and a last fragment with no flags; the peer acknowledges each with an empty Response. The peer's fragments are
 *   acknowledged with an empty Request and reassembled up to {@link EapTlsFragment#MAX_TLS_MESSAGE_LENGTH}
 *   (RFC 5216 §2.1.5).</li>
 *   <li>When the handshake is complete the policy judges the client's chain; a refusal is an EAP-Failure. Accepted:
 *   the MSK and EMSK are exported, the server's last flight goes out (TLS 1.2: ChangeCipherSpec and Finished;
 *   TLS 1.3: the protected success indication, one application-data byte 0x00, RFC 9190 §2.5), and only the peer's
 *   empty final Response earns EAP-Success (pppd ignores an earlier Success, sstp.md §4.3).</li>
 *   <li>A TLS failure that produced an alert sends the alert in an EAP-Request and answers the peer's Response with
 *   EAP-Failure (RFC 5216 §2.1.3); without an alert, EAP-Failure at once.</li>
 * </ol>
 * Every Request has a new Identifier; a Response whose Identifier is not the outstanding Request's is discarded;
 * Success and Failure reuse the Identifier of the Response they answer (RFC 3748 §4.1, §4.2).
 */
public final class EapTlsServer {
    /**
     * The smallest EAP packet the method will fit its fragments into (PPP's minimum MRU is larger; IKEv2 has room for
     * more). Leaves 54 bytes of TLS data per fragment.
     */
    public static final int MIN_PACKET_LENGTH = 64;
    /** EAP header, Type and Flags: what every EAP-TLS Request costs before TLS data. */
    static final int OVERHEAD = EapPacket.HEADER_LENGTH + 1 + EapTlsFragment.FLAGS_LENGTH;

    /** RFC 9190 §2.5: the TLS 1.3 server's commitment not to send more handshake messages. */
    private static final byte[] PROTECTED_SUCCESS_INDICATION = {0x00};

    private enum State {
        /** {@link #start} not called yet. */
        NEW,
        /** Exchanging the TLS handshake. */
        HANDSHAKE,
        /** Our last flight is out; waiting for the peer's empty final Response. */
        FINAL_RESPONSE,
        /** Our TLS alert is out; the peer's Response gets EAP-Failure. */
        FAILING,
        /** Success or Failure sent. */
        DONE
    }

    private final InnerTls inner;
    private final EapTlsPolicy policy;
    private final int maxPacketLength;

    private State state = State.NEW;
    /** Made from the peer's ClientHello, the first TLS message ({@link InnerTls#open}). */
    private EapTlsConnection tls;
    private int identifier;
    private byte[] outstandingRequest;

    /** The TLS message being sent in fragments, and how much of it the peer has acknowledged or been sent. */
    private byte[] outgoing;
    private int outgoingSent;

    /** The peer's TLS message being reassembled. */
    private byte[] incoming;
    private int incomingLength;
    private long incomingDeclared = EapTlsFragment.NO_LENGTH;

    private List<X509Certificate> clientChain = List.of();
    private EapTlsKeys keys;
    private EapError failure;

    /**
     * @param inner what makes the TLS session once the peer's ClientHello is here
     * @param maxPacketLength the largest EAP packet to send, header to last TLS byte (PPP: the peer's MRU; SSTP with
     *     MRU 1500 leaves room for 1400 comfortably; IKEv2: what fits its message), at least {@link #MIN_PACKET_LENGTH}
     */
    public EapTlsServer(InnerTls inner, EapTlsPolicy policy, int maxPacketLength) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.policy = Objects.requireNonNull(policy, "policy");
        if (maxPacketLength < MIN_PACKET_LENGTH || maxPacketLength > EapPacket.MAX_LENGTH) {
            throw new IllegalArgumentException("maxPacketLength " + maxPacketLength + " not in " + MIN_PACKET_LENGTH + ".."
                    + EapPacket.MAX_LENGTH);
        }
        this.maxPacketLength = maxPacketLength;
    }

    /**
     * A method whose TLS comes from {@code context}, peers without the extended master secret keyed by RFC 5216.
     *
     * @param protocols {@link TlsServerContext#TLS_1_2_ONLY} (what pppd 2.4.9 and Windows need, sstp.md §4.3) or
     *     {@link TlsServerContext#PROTOCOLS} (TLS 1.3 per RFC 9190 too)
     */
    public static EapTlsServer create(TlsServerContext context, List<String> protocols, EapTlsPolicy policy,
            int maxPacketLength) {
        return new EapTlsServer(new InnerTls(context, protocols, true), policy, maxPacketLength);
    }

    /**
     * The EAP-Request/TLS Start (RFC 5216 §2.1.1) with {@code identifier}; later Requests count up from it.
     *
     * @throws IllegalStateException when called twice
     */
    public byte[] start(int identifier) throws TlsException {
        if (state != State.NEW) {
            throw new IllegalStateException("EAP-TLS already started");
        }
        if (identifier < 0 || identifier > 0xFF) {
            throw new IllegalArgumentException("EAP identifier " + identifier);
        }
        state = State.HANDSHAKE;
        this.identifier = identifier;
        outstandingRequest = request(identifier, EapTlsFragment.start());
        return outstandingRequest.clone();
    }

    /** Handles one EAP-Response (the whole EAP packet); never throws on hostile input. */
    public EapTlsStep receive(byte[] packet) {
        return receive(packet, 0, packet.length);
    }

    /** Handles the EAP packet in {@code buf[off, off+len)} (bytes past its Length field are padding). */
    public EapTlsStep receive(byte[] buf, int off, int len) {
        if (state == State.NEW || state == State.DONE) {
            return discard(Reason.UNEXPECTED_PACKET, state == State.NEW ? "EAP-TLS not started" : "EAP-TLS already ended");
        }
        EapPacket response;
        try {
            response = EapPacket.parse(buf, off, len);
        } catch (EapException e) {
            return new EapTlsStep.Discard(e.error());
        }
        if (response.code() != EapPacket.RESPONSE) {
            return discard(Reason.UNEXPECTED_PACKET, "EAP code " + response.code() + " where a Response was due");
        }
        if (response.identifier() != identifier) {
            return discard(Reason.UNEXPECTED_PACKET, "Identifier " + response.identifier() + ", outstanding " + identifier);
        }
        int id = response.identifier();
        if (response.type() == EapPacket.TYPE_NAK) {
            return fail(id, EapError.of(Reason.PEER_NAK, "the peer refused EAP-TLS (Nak)"));
        }
        if (response.type() != EapPacket.TYPE_TLS) {
            return fail(id, EapError.of(Reason.UNEXPECTED_TYPE, "EAP type " + response.type() + " where EAP-TLS was due"));
        }
        EapTlsFragment fragment;
        try {
            fragment = EapTlsFragment.parse(response.typeData());
        } catch (EapException e) {
            return fail(id, e.error());
        }
        if (fragment.startFlag()) {
            return fail(id, EapError.of(Reason.PROTOCOL_VIOLATION, "S flag in a Response"));
        }
        if (outgoing != null) {
            // We sent a fragment with M: only an acknowledgement may come back (RFC 5216 §2.1.5).
            if (!fragment.isAck()) {
                return fail(id, EapError.of(Reason.PROTOCOL_VIOLATION, "data where the acknowledgement of our fragment was due"));
            }
            return sendNextFragment();
        }
        return switch (state) {
            case HANDSHAKE -> reassemble(id, fragment);
            case FINAL_RESPONSE -> fragment.isAck() && incoming == null
                    ? finish(EapPacket.success(id), new EapTlsOutcome.Accepted(clientChain, keys, tls.protocol()))
                    : fail(id, EapError.of(Reason.PROTOCOL_VIOLATION, "TLS data where the empty final Response was due"));
            case FAILING -> fail(id, failure);
            case NEW, DONE -> throw new IllegalStateException(state.name());
        };
    }

    /** The last Request sent, for the carrier's retransmission; empty before {@link #start} and after the end. */
    public java.util.Optional<byte[]> outstandingRequest() {
        return state == State.NEW || state == State.DONE ? java.util.Optional.empty()
                : java.util.Optional.of(outstandingRequest.clone());
    }

    /** The Identifier of the outstanding Request. */
    public int outstandingIdentifier() {
        return identifier;
    }

    /** Whether Success or Failure has been produced. */
    public boolean finished() {
        return state == State.DONE;
    }

    /** The TLS session under the method, once the peer's ClientHello has made it. */
    public java.util.Optional<EapTlsConnection> connection() {
        return java.util.Optional.ofNullable(tls);
    }

    private EapTlsStep reassemble(int id, EapTlsFragment fragment) {
        int dataLength = fragment.dataLength();
        if (incoming == null) {
            if (!fragment.more() && dataLength == 0) {
                return fail(id, EapError.of(Reason.PROTOCOL_VIOLATION, "an empty Response in the middle of the handshake"));
            }
            if (fragment.lengthIncluded()) {
                if (fragment.messageLength() > EapTlsFragment.MAX_TLS_MESSAGE_LENGTH) {
                    return fail(id, EapError.of(Reason.MESSAGE_TOO_LONG, "TLS Message Length " + fragment.messageLength()));
                }
                incomingDeclared = fragment.messageLength();
            }
            int initial = incomingDeclared != EapTlsFragment.NO_LENGTH ? (int) incomingDeclared : dataLength;
            incoming = new byte[Math.max(initial, dataLength)];
            incomingLength = 0;
        }
        // Later L fields are ignored: Windows may repeat it on every fragment (RFC 5216 §3.1 allows that).
        long bound = incomingDeclared != EapTlsFragment.NO_LENGTH ? incomingDeclared : EapTlsFragment.MAX_TLS_MESSAGE_LENGTH;
        if (incomingLength + (long) dataLength > bound) {
            return fail(id, EapError.of(Reason.MESSAGE_TOO_LONG,
                    "fragments of " + (incomingLength + (long) dataLength) + " bytes exceed " + bound));
        }
        if (fragment.more() && dataLength == 0) {
            // A fragment must carry data, or the exchange of acknowledgements never ends.
            return fail(id, EapError.of(Reason.PROTOCOL_VIOLATION, "an empty fragment with M set"));
        }
        if (incoming.length < incomingLength + dataLength) {
            incoming = Arrays.copyOf(incoming, (int) Math.min(bound, Math.max(2L * incoming.length, incomingLength + dataLength)));
        }
        System.arraycopy(fragment.data(), 0, incoming, incomingLength, dataLength);
        incomingLength += dataLength;
        if (fragment.more()) {
            return request(EapTlsFragment.ack());
        }
        if (incomingDeclared != EapTlsFragment.NO_LENGTH && incomingLength != incomingDeclared) {
            return fail(id, EapError.of(Reason.PROTOCOL_VIOLATION,
                    "reassembled " + incomingLength + " bytes, TLS Message Length said " + incomingDeclared));
        }
        byte[] message = incoming;
        int length = incomingLength;
        incoming = null;
        incomingLength = 0;
        incomingDeclared = EapTlsFragment.NO_LENGTH;
        return handshake(id, ByteBuffer.wrap(message, 0, length));
    }

    private EapTlsStep handshake(int id, ByteBuffer message) {
        if (tls == null) {
            // The first TLS message is the ClientHello: it decides the version and the TLS stack (InnerTls).
            try {
                tls = inner.open(ClientHelloOffer.of(message.array(), message.arrayOffset() + message.position(),
                        message.remaining()));
            } catch (TlsException e) {
                return fail(id, new EapError(Reason.TLS_FAILED, e.getMessage(), e.alert().orElse(null)));
            }
        }
        try {
            tls.receive(message);
        } catch (TlsException e) {
            clientChain = tls.peerChain();
            EapError error = new EapError(Reason.TLS_FAILED, e.getMessage(), e.alert().orElse(null));
            byte[] alert = tls.takeOutput();
            if (alert.length == 0) {
                return fail(id, error);
            }
            failure = error;
            state = State.FAILING;
            return beginSending(alert);
        }
        if (!tls.handshakeComplete()) {
            byte[] flight = tls.takeOutput();
            if (flight.length == 0) {
                return fail(id, EapError.of(Reason.PROTOCOL_VIOLATION, "a complete TLS message that asks for no answer"));
            }
            return beginSending(flight);
        }
        clientChain = tls.peerChain();
        // No resumption later: RFC 5216 §2.1.2 lets the server decline it, and every session is judged afresh.
        tls.invalidateSession();
        if (clientChain.isEmpty()) {
            return fail(id, EapError.of(Reason.NO_CLIENT_CERTIFICATE, "the client presented no certificate"));
        }
        EapTlsPolicy.Verdict verdict;
        try {
            verdict = policy.check(clientChain);
        } catch (RuntimeException e) {
            verdict = EapTlsPolicy.Verdict.refuse("certificate policy failed: " + e);
        }
        if (!verdict.accepted()) {
            return fail(id, EapError.of(Reason.POLICY_REFUSED, verdict.reason()));
        }
        try {
            keys = tls.exportKeys();
            if ("TLSv1.3".equals(tls.protocol())) {
                tls.send(PROTECTED_SUCCESS_INDICATION);
            }
        } catch (TlsException e) {
            return fail(id, new EapError(Reason.KEY_EXPORT_FAILED, e.getMessage(), e.alert().orElse(null)));
        }
        byte[] last = tls.takeOutput();
        if (last.length == 0) {
            // A resumed TLS 1.2 session (our Finished went first, the peer's ends it, RFC 5216 §2.1.2): not expected,
            // since no session stays resumable, but the peer's Finished then earns Success.
            return finish(EapPacket.success(id), new EapTlsOutcome.Accepted(clientChain, keys, tls.protocol()));
        }
        state = State.FINAL_RESPONSE;
        return beginSending(last);
    }

    private EapTlsStep beginSending(byte[] message) {
        outgoing = message;
        outgoingSent = 0;
        return sendNextFragment();
    }

    private EapTlsStep sendNextFragment() {
        int room = maxPacketLength - OVERHEAD;
        int remaining = outgoing.length - outgoingSent;
        EapTlsFragment fragment;
        if (remaining <= room) {
            fragment = new EapTlsFragment(0, EapTlsFragment.NO_LENGTH, Arrays.copyOfRange(outgoing, outgoingSent, outgoing.length));
            outgoing = null;
            outgoingSent = 0;
        } else if (outgoingSent == 0) {
            // The first of several fragments carries L and the total: pppd 2.4.9 needs it (sstp.md §4.3).
            int chunk = room - EapTlsFragment.LENGTH_FIELD;
            fragment = new EapTlsFragment(EapTlsFragment.L | EapTlsFragment.M, outgoing.length,
                    Arrays.copyOfRange(outgoing, 0, chunk));
            outgoingSent = chunk;
        } else {
            fragment = new EapTlsFragment(EapTlsFragment.M, EapTlsFragment.NO_LENGTH,
                    Arrays.copyOfRange(outgoing, outgoingSent, outgoingSent + room));
            outgoingSent += room;
        }
        return request(fragment);
    }

    private EapTlsStep.Send request(EapTlsFragment fragment) {
        identifier = (identifier + 1) & 0xFF;
        outstandingRequest = request(identifier, fragment);
        return new EapTlsStep.Send(outstandingRequest.clone());
    }

    private static byte[] request(int identifier, EapTlsFragment fragment) {
        return new EapPacket(EapPacket.REQUEST, identifier, EapPacket.TYPE_TLS, fragment.encode()).encode();
    }

    private EapTlsStep fail(int id, EapError error) {
        return finish(EapPacket.failure(id), new EapTlsOutcome.Refused(clientChain, error));
    }

    private EapTlsStep finish(EapPacket packet, EapTlsOutcome outcome) {
        state = State.DONE;
        outgoing = null;
        incoming = null;
        outstandingRequest = null;
        return new EapTlsStep.Finish(packet.encode(), outcome);
    }

    private static EapTlsStep discard(Reason reason, String detail) {
        return new EapTlsStep.Discard(EapError.of(reason, detail));
    }
}
