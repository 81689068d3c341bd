package io.p2sgw.sstp.ppp;

import java.util.List;

/**
 * The RFC 1661 §4 option negotiation automaton for one control protocol (LCP or IPCP), as a server needs it: the
 * lower layer is up from the start and we open actively, so the states are Req-Sent, Ack-Rcvd, Ack-Sent, Opened,
 * Closing and Stopped (our "finished"). The Restart timer runs on the caller's ticks: Max-Configure Configure-Requests
 * (then the protocol finishes), Max-Terminate Terminate-Requests, Max-Failure NAKs before NAKed options are rejected
 * instead (RFC 1661 §4.6).
 *
 * <p>Codes 1-7 are handled here; the caller handles the protocol-specific rest (LCP Echo, Protocol-Reject...).
 * Confined to the connection's thread.
 */
public final class ControlProtocolFsm {
    /** RFC 1661 §4.6 defaults (sstp.md §4.2). */
    public static final long RESTART_MILLIS = 3_000;
    public static final int MAX_CONFIGURE = 10;
    public static final int MAX_TERMINATE = 2;
    public static final int MAX_FAILURE = 5;

    /** RFC 1661 §4.2 states this automaton uses. */
    public enum State { INITIAL, REQ_SENT, ACK_RCVD, ACK_SENT, OPENED, CLOSING, FINISHED }

    /** What the automaton does to the outside. */
    public interface Output {
        /** Send this packet on this automaton's protocol. */
        void send(CpPacket packet);

        /** This-Layer-Up: both directions acknowledged. */
        void up();

        /** This-Layer-Down: left Opened. */
        void down();

        /** This-Layer-Finished: the protocol is over, for this reason. */
        void finished(String reason);
    }

    private final String name;
    private final OptionPolicy policy;
    private final Output out;
    private State state = State.INITIAL;
    private int nextId;
    /** Our outstanding Configure-Request (its Identifier and options), to match the peer's Ack/Nak/Reject. */
    private int requestId = -1;
    private List<CpOption> requested = List.of();
    private int restartCounter;
    private long restartDeadline;
    private boolean restartRunning;
    private int failures;
    private String closeReason = "";

    public ControlProtocolFsm(String name, OptionPolicy policy, Output out, int firstId) {
        this.name = name;
        this.policy = policy;
        this.out = out;
        this.nextId = firstId & 0xFF;
    }

    public State state() {
        return state;
    }

    /** Open: send our first Configure-Request (RFC 1661 Open event in Starting/Closed with the lower layer up). */
    public void open(long now) {
        if (state != State.INITIAL) {
            return;
        }
        restartCounter = MAX_CONFIGURE;
        sendConfigureRequest(now);
        state = State.REQ_SENT;
    }

    /** Close: Terminate-Request (RFC 1661 Close event); finishes after the peer's Terminate-Ack or the timers. */
    public void close(String reason, long now) {
        switch (state) {
            case INITIAL -> finish(reason);
            case CLOSING, FINISHED -> {
            }
            default -> {
                if (state == State.OPENED) {
                    out.down();
                }
                closeReason = reason;
                restartCounter = MAX_TERMINATE;
                sendTerminateRequest(now);
                state = State.CLOSING;
            }
        }
    }

    /** The Restart timer, driven by ticks (RFC 1661 TO+ / TO- events). */
    public void tick(long now) {
        if (!restartRunning || now < restartDeadline) {
            return;
        }
        switch (state) {
            case REQ_SENT, ACK_RCVD, ACK_SENT -> {
                if (restartCounter > 0) {
                    sendConfigureRequest(now);
                    if (state == State.ACK_RCVD) {
                        state = State.REQ_SENT;
                    }
                } else {
                    finish(name + ": no agreement after " + MAX_CONFIGURE + " Configure-Requests");
                }
            }
            case CLOSING -> {
                if (restartCounter > 0) {
                    sendTerminateRequest(now);
                } else {
                    finish(closeReason);
                }
            }
            default -> restartRunning = false;
        }
    }

    /**
     * One received packet of this protocol.
     *
     * @return false if the code is not one of 1-7: the caller handles it (or Code-Rejects it)
     */
    public boolean receive(CpPacket p, long now) {
        if (state == State.FINISHED) {
            return true;
        }
        switch (p.code()) {
            case CpCode.CONFIGURE_REQUEST -> configureRequest(p, now);
            case CpCode.CONFIGURE_ACK -> configureAck(p, now);
            case CpCode.CONFIGURE_NAK, CpCode.CONFIGURE_REJECT -> configureNakOrReject(p, now);
            case CpCode.TERMINATE_REQUEST -> {
                out.send(new CpPacket(CpCode.TERMINATE_ACK, p.id(), new byte[0]));
                if (state == State.OPENED) {
                    out.down();
                }
                // RFC 1661 RTR: we would wait one Restart period in Stopping; over TCP the Ack is not lost, and the
                // peer (pppd) hangs up right after it, so the protocol ends here.
                finish(state == State.CLOSING ? closeReason : name + ": peer sent Terminate-Request");
            }
            case CpCode.TERMINATE_ACK -> {
                if (state == State.CLOSING) {
                    finish(closeReason);
                } else if (state == State.ACK_RCVD) {
                    state = State.REQ_SENT;
                } else if (state == State.OPENED) {
                    out.down();
                    sendConfigureRequest(now);
                    state = State.REQ_SENT;
                }
            }
            case CpCode.CODE_REJECT -> codeReject(p);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void configureRequest(CpPacket p, long now) {
        if (state == State.CLOSING || state == State.INITIAL) {
            return;
        }
        List<CpOption> options;
        try {
            options = CpOption.parseAll(p.data());
        } catch (MalformedPacketException e) {
            return;
        }
        OptionPolicy.Reply reply = policy.judge(options);
        int code = reply.code();
        if (code == CpCode.CONFIGURE_NAK && ++failures > MAX_FAILURE) {
            // RFC 1661 §4.6 Max-Failure: a peer that never converges gets the options rejected instead.
            code = CpCode.CONFIGURE_REJECT;
        }
        if (code == CpCode.CONFIGURE_ACK) {
            failures = 0;
        }
        out.send(new CpPacket(code, p.id(), CpOption.encodeAll(code == CpCode.CONFIGURE_ACK ? options : reply.options())));
        boolean ack = code == CpCode.CONFIGURE_ACK;
        switch (state) {
            case REQ_SENT -> state = ack ? State.ACK_SENT : State.REQ_SENT;
            case ACK_RCVD -> {
                if (ack) {
                    state = State.OPENED;
                    restartRunning = false;
                    out.up();
                }
            }
            case ACK_SENT -> state = ack ? State.ACK_SENT : State.REQ_SENT;
            case OPENED -> {
                // The peer renegotiates (RFC 1661 RCR in Opened): tld, scr, then as in Req-Sent.
                out.down();
                restartCounter = MAX_CONFIGURE;
                sendConfigureRequest(now);
                state = ack ? State.ACK_SENT : State.REQ_SENT;
            }
            default -> {
            }
        }
    }

    private void configureAck(CpPacket p, long now) {
        if (p.id() != requestId || !sameOptions(p)) {
            return; // RFC 1661 §5.2: an Ack that does not match our request is silently discarded.
        }
        switch (state) {
            case REQ_SENT -> {
                restartCounter = MAX_CONFIGURE;
                state = State.ACK_RCVD;
            }
            case ACK_SENT -> {
                restartCounter = MAX_CONFIGURE;
                state = State.OPENED;
                restartRunning = false;
                out.up();
            }
            case ACK_RCVD -> {
                sendConfigureRequest(now);
                state = State.REQ_SENT;
            }
            case OPENED -> {
                out.down();
                sendConfigureRequest(now);
                state = State.REQ_SENT;
            }
            default -> {
            }
        }
    }

    private boolean sameOptions(CpPacket p) {
        try {
            return CpOption.sameList(CpOption.parseAll(p.data()), requested);
        } catch (MalformedPacketException e) {
            return false;
        }
    }

    private void configureNakOrReject(CpPacket p, long now) {
        if (p.id() != requestId || state == State.CLOSING || state == State.INITIAL) {
            return;
        }
        List<CpOption> options;
        try {
            options = CpOption.parseAll(p.data());
        } catch (MalformedPacketException e) {
            return;
        }
        boolean acceptable = p.code() == CpCode.CONFIGURE_NAK ? policy.naked(options) : policy.rejected(options);
        if (!acceptable) {
            close(name + ": " + policy.failure(), now);
            return;
        }
        if (state == State.OPENED) {
            out.down();
        }
        if (state == State.REQ_SENT || state == State.ACK_SENT) {
            restartCounter = MAX_CONFIGURE;
        }
        sendConfigureRequest(now);
        if (state != State.ACK_SENT) {
            state = State.REQ_SENT;
        }
    }

    private void codeReject(CpPacket p) {
        // RFC 1661 §5.6: a rejected code we cannot do without (1-7) is catastrophic (RXJ-); others are fine (RXJ+).
        int rejected = p.data().length > 0 ? p.data()[0] & 0xFF : 0;
        if (rejected >= CpCode.CONFIGURE_REQUEST && rejected <= CpCode.CODE_REJECT) {
            if (state == State.OPENED) {
                out.down();
            }
            finish(name + ": peer rejected code " + rejected);
        }
    }

    private void sendConfigureRequest(long now) {
        requestId = nextId;
        nextId = (nextId + 1) & 0xFF;
        requested = policy.request();
        out.send(new CpPacket(CpCode.CONFIGURE_REQUEST, requestId, CpOption.encodeAll(requested)));
        restartCounter--;
        armRestart(now);
    }

    private void sendTerminateRequest(long now) {
        out.send(new CpPacket(CpCode.TERMINATE_REQUEST, nextId, new byte[0]));
        nextId = (nextId + 1) & 0xFF;
        restartCounter--;
        armRestart(now);
    }

    private void armRestart(long now) {
        restartRunning = true;
        restartDeadline = now + RESTART_MILLIS;
    }

    private void finish(String reason) {
        state = State.FINISHED;
        restartRunning = false;
        out.finished(reason);
    }
}
