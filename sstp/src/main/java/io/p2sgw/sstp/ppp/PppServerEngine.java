package io.p2sgw.sstp.ppp;

import java.util.Arrays;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The server side of PPP over SSTP, sans I/O (RFC 1661 §3.2 phases; sstp.md §4): LCP (we require EAP), EAP (Identity
 * here, then the {@link EapServerMethod}), IPCP with the leased address and DNS, then IPv4 both ways. Frames, ticks
 * and a close command come in; frames and events go out through {@link Host}. There is no HDLC and no timer thread:
 * the caller passes its clock in milliseconds.
 *
 * <p>Other protocols: CCP, IPv6CP and anything unknown get an LCP Protocol-Reject once LCP is open (sstp.md §4.5);
 * NCP and IP frames before the network phase are silently discarded (RFC 1661 §3.4-3.5).
 *
 * <p>Confined to the connection's thread.
 */
public final class PppServerEngine {
    /** RFC 1661 §3.2 link phases. */
    public enum Phase { ESTABLISH, AUTHENTICATE, NETWORK, DEAD }

    /** The engine's outside world. */
    public interface Host {
        /** Send one PPP frame ({@code FF 03}, protocol, information) in one SSTP data packet. */
        void send(byte[] frame);

        /**
         * EAP succeeded; called before EAP-Success goes out, so the crypto binding can be armed before the client
         * may send CALL_CONNECTED (sstp.md §3.4).
         */
        void authenticated(String identity, EapServerMethod.Step.Success success);

        /**
         * The session's addresses: the client's from the pool, the gateway's and the DNS servers; empty if the pool
         * has none left or the client may not in (the link then ends).
         */
        Optional<IpcpLease> leaseAddress();

        /** IPCP is open: IPv4 may flow (once SSTP has verified CALL_CONNECTED). */
        void networkUp(int clientAddress);

        /** One IPv4 datagram from the client; valid only during the call. */
        void ipv4(byte[] buf, int off, int len);

        /** The link is over (once); the leased address, if any, may be released. */
        void linkDown(String reason);
    }

    static final int MAX_IDENTITY = 253;

    private final PppSettings settings;
    private final EapServerMethod method;
    private final Host host;
    private final RandomGenerator random;
    private final LcpPolicy lcpPolicy;
    private final ControlProtocolFsm lcp;
    private ControlProtocolFsm ipcp;
    private IpcpPolicy ipcpPolicy;
    private Phase phase = Phase.ESTABLISH;
    private boolean started;
    private long firstLcpAt;
    private boolean ipcpUp;
    private String pendingClose;
    /** The time of the current input, for automaton callbacks that start timers. */
    private long lastNow;
    private int nextLcpId;

    private int nextEapId;
    private EapPacket outstanding;
    private byte[] outstandingFrame;
    private long eapDeadline;
    private int eapTries;
    private boolean awaitingIdentity;
    private String identity = "";

    public PppServerEngine(PppSettings settings, EapServerMethod method, Host host, RandomGenerator random) {
        this.settings = settings;
        this.method = method;
        this.host = host;
        this.random = random;
        this.lcpPolicy = new LcpPolicy(settings.mru(), random::nextInt);
        this.lcp = new ControlProtocolFsm("LCP", lcpPolicy, new LcpOutput(), random.nextInt(256));
        this.nextLcpId = random.nextInt(256);
        this.nextEapId = random.nextInt(256);
    }

    public Phase phase() {
        return phase;
    }

    /** The peer's MRU: the largest information field a frame to it may carry. */
    public int peerMru() {
        return lcpPolicy.peerMru();
    }

    /** SSTP accepted the call: LCP starts at the client's first LCP frame or after the first-LCP delay. */
    public void start(long now) {
        lastNow = now;
        if (!started) {
            started = true;
            firstLcpAt = now + settings.firstLcpDelayMillis();
        }
    }

    /** One PPP frame from an SSTP data packet ({@code buf[off, off+len)}, valid only during the call). */
    public void receive(byte[] buf, int off, int len, long now) {
        lastNow = now;
        if (phase == Phase.DEAD || !started) {
            return;
        }
        int h = PppFrames.headerLength(buf, off, len);
        if (h < 0) {
            return;
        }
        int protocol = PppFrames.protocol(buf, off, h);
        if (protocol == PppProtocol.IPV4) {
            // The data path: no allocation.
            if (ipcpUp) {
                host.ipv4(buf, off + h, len - h);
            }
            return;
        }
        try {
            switch (protocol) {
                case PppProtocol.LCP -> lcpFrame(CpPacket.parse(buf, off + h, len - h), now);
                case PppProtocol.EAP -> {
                    if (phase == Phase.AUTHENTICATE) {
                        eapFrame(EapPacket.parse(buf, off + h, len - h), now);
                    }
                }
                case PppProtocol.IPCP -> {
                    if (phase == Phase.NETWORK && ipcp != null) {
                        ipcp.receive(CpPacket.parse(buf, off + h, len - h), now);
                    }
                }
                default -> {
                    if (phase == Phase.AUTHENTICATE || phase == Phase.NETWORK) {
                        protocolReject(protocol, buf, off + h, len - h);
                    }
                }
            }
        } catch (MalformedPacketException e) {
            // RFC 1661 §5: silently discarded.
        }
        closeIfPending(now);
    }

    /** The caller's clock: LCP's first Configure-Request, Restart timers, EAP retransmission. */
    public void tick(long now) {
        lastNow = now;
        if (phase == Phase.DEAD || !started) {
            return;
        }
        if (lcp.state() == ControlProtocolFsm.State.INITIAL && now >= firstLcpAt) {
            lcp.open(now);
        }
        lcp.tick(now);
        if (ipcp != null) {
            ipcp.tick(now);
        }
        if (phase == Phase.AUTHENTICATE && outstanding != null && now >= eapDeadline) {
            if (eapTries < settings.eapMaxTries()) {
                eapTries++;
                eapDeadline = now + settings.eapRetransmitMillis();
                host.send(outstandingFrame);
            } else {
                fail("no EAP response after " + eapTries + " requests", now);
            }
        }
        closeIfPending(now);
    }

    /** End the link: LCP Terminate-Request, then {@link Host#linkDown} after the Ack or the timers. */
    public void close(String reason, long now) {
        lastNow = now;
        if (phase != Phase.DEAD) {
            lcp.close(reason, now);
        }
    }

    private void lcpFrame(CpPacket p, long now) {
        if (p.code() == CpCode.CONFIGURE_REQUEST && carriesOurMagic(p)) {
            // Our own Configure-Request come back: sstpc's pty echoes what we send until pppd has set it up (seen with
            // sstpc 1.0.18 in UML; sstp.md §4.2, §7 pitfall 11). Answering it would reject our own Auth-Protocol.
            return;
        }
        if (lcp.state() == ControlProtocolFsm.State.INITIAL) {
            lcp.open(now);
        }
        if (lcp.receive(p, now)) {
            return;
        }
        boolean open = lcp.state() == ControlProtocolFsm.State.OPENED;
        switch (p.code()) {
            case CpCode.ECHO_REQUEST -> {
                // RFC 1661 §5.8: answer only when Opened; the reply carries our magic and the request's other data.
                if (open && p.data().length >= 4) {
                    byte[] data = p.data();
                    int magic = lcpPolicy.ourMagic();
                    data[0] = (byte) (magic >>> 24);
                    data[1] = (byte) (magic >>> 16);
                    data[2] = (byte) (magic >>> 8);
                    data[3] = (byte) magic;
                    sendLcp(new CpPacket(CpCode.ECHO_REPLY, p.id(), data));
                }
            }
            case CpCode.PROTOCOL_REJECT -> {
                int rejected = p.data().length >= 2 ? (p.data()[0] & 0xFF) << 8 | (p.data()[1] & 0xFF) : 0;
                if (rejected == PppProtocol.IPCP || rejected == PppProtocol.EAP) {
                    pendingClose = "peer rejected protocol 0x" + Integer.toHexString(rejected);
                }
            }
            case CpCode.ECHO_REPLY, CpCode.DISCARD_REQUEST, CpCode.IDENTIFICATION, CpCode.TIME_REMAINING -> {
                // Nothing to do (sstp.md §4.2: Windows sends Identification; ignore rather than Code-Reject).
            }
            default -> {
                if (open || lcp.state() != ControlProtocolFsm.State.FINISHED) {
                    byte[] rejected = p.encode();
                    sendLcp(new CpPacket(CpCode.CODE_REJECT, nextLcpId(),
                            Arrays.copyOf(rejected, Math.min(rejected.length, peerMru() - CpPacket.HEADER_LENGTH))));
                }
            }
        }
    }

    /** Whether a Configure-Request carries the Magic-Number we sent (RFC 1661 §6.4: a looped-back link). */
    private boolean carriesOurMagic(CpPacket p) {
        if (lcp.state() == ControlProtocolFsm.State.INITIAL) {
            return false; // we have sent nothing yet
        }
        try {
            for (CpOption o : CpOption.parseAll(p.data())) {
                if (o.type() == LcpPolicy.MAGIC_NUMBER && o.data().length == 4 && (int) o.value() == lcpPolicy.ourMagic()) {
                    return true;
                }
            }
        } catch (MalformedPacketException e) {
            return false; // the automaton answers it as it answers any malformed request
        }
        return false;
    }

    private void protocolReject(int protocol, byte[] buf, int off, int len) {
        // RFC 1661 §5.7: rejected protocol + a copy of the information, truncated to the peer's MRU.
        int copy = Math.min(len, peerMru() - CpPacket.HEADER_LENGTH - 2);
        byte[] data = new byte[2 + copy];
        data[0] = (byte) (protocol >>> 8);
        data[1] = (byte) protocol;
        System.arraycopy(buf, off, data, 2, copy);
        sendLcp(new CpPacket(CpCode.PROTOCOL_REJECT, nextLcpId(), data));
    }

    private void startAuthentication(long now) {
        phase = Phase.AUTHENTICATE;
        awaitingIdentity = true;
        sendEapRequest(EapPacket.TYPE_IDENTITY, new byte[0], now);
    }

    private void eapFrame(EapPacket p, long now) {
        if (p.code() != EapPacket.RESPONSE || outstanding == null || p.id() != outstanding.id()) {
            return; // RFC 3748 §4.1: a Response that does not match the outstanding Request is discarded.
        }
        outstanding = null;
        EapServerMethod.Step step;
        try {
            if (awaitingIdentity) {
                if (p.type() != EapPacket.TYPE_IDENTITY) {
                    fail("expected EAP Identity, got type " + p.type(), p.id(), now);
                    return;
                }
                awaitingIdentity = false;
                identity = printable(p.typeData());
                step = method.start(identity, peerMru() - EapPacket.HEADER_LENGTH - 1);
            } else if (p.type() == EapPacket.TYPE_NAK) {
                fail("peer cannot do EAP type " + method.type() + " (Legacy Nak)", p.id(), now);
                return;
            } else if (p.type() != method.type()) {
                fail("EAP Response of type " + p.type() + " to a type " + method.type() + " Request", p.id(), now);
                return;
            } else {
                step = method.receive(p.typeData());
            }
        } catch (RuntimeException e) {
            fail("EAP method failed: " + e, p.id(), now);
            return;
        }
        switch (step) {
            case EapServerMethod.Step.Request r -> sendEapRequest(method.type(), r.typeData(), now);
            case EapServerMethod.Step.Success s -> {
                host.authenticated(identity, s);
                sendEap(new EapPacket(EapPacket.SUCCESS, p.id(), 0, new byte[0]));
                startNetwork(now);
            }
            case EapServerMethod.Step.Failure f -> fail(f.reason(), p.id(), now);
        }
    }

    private void startNetwork(long now) {
        Optional<IpcpLease> lease = host.leaseAddress();
        if (lease.isEmpty()) {
            pendingClose = "no address left in the pool";
            return;
        }
        phase = Phase.NETWORK;
        IpcpLease l = lease.get();
        boolean ownDns = l.dns1() != 0 || l.dns2() != 0;
        ipcpPolicy = new IpcpPolicy(l.serverAddress() != 0 ? l.serverAddress() : settings.serverAddress(),
                l.clientAddress(), ownDns ? l.dns1() : settings.dns1(), ownDns ? l.dns2() : settings.dns2());
        ipcp = new ControlProtocolFsm("IPCP", ipcpPolicy, new IpcpOutput(), random.nextInt(256));
        ipcp.open(now);
    }

    private void sendEapRequest(int type, byte[] typeData, long now) {
        outstanding = new EapPacket(EapPacket.REQUEST, nextEapId, type, typeData);
        nextEapId = (nextEapId + 1) & 0xFF;
        outstandingFrame = PppFrames.frame(PppProtocol.EAP, outstanding.encode());
        eapTries = 1;
        eapDeadline = now + settings.eapRetransmitMillis();
        host.send(outstandingFrame);
    }

    /** Failure while a Response is in hand: EAP-Failure with its Identifier (RFC 3748 §4.2), then LCP ends. */
    private void fail(String reason, int responseId, long now) {
        sendEap(new EapPacket(EapPacket.FAILURE, responseId, 0, new byte[0]));
        fail(reason, now);
    }

    private void fail(String reason, long now) {
        outstanding = null;
        pendingClose = "EAP: " + reason;
        closeIfPending(now);
    }

    private void sendEap(EapPacket p) {
        host.send(PppFrames.frame(PppProtocol.EAP, p.encode()));
    }

    private void sendLcp(CpPacket p) {
        host.send(PppFrames.frame(PppProtocol.LCP, p.encode()));
    }

    private int nextLcpId() {
        int id = nextLcpId;
        nextLcpId = (nextLcpId + 1) & 0xFF;
        return id;
    }

    /** Closes requested from inside an automaton's callback run here, after it returned (no re-entry). */
    private void closeIfPending(long now) {
        if (pendingClose != null && phase != Phase.DEAD) {
            String reason = pendingClose;
            pendingClose = null;
            lcp.close(reason, now);
        }
    }

    static String printable(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < b.length && i < MAX_IDENTITY; i++) {
            int c = b[i] & 0xFF;
            s.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
        }
        return s.toString();
    }

    private final class LcpOutput implements ControlProtocolFsm.Output {
        @Override
        public void send(CpPacket packet) {
            sendLcp(packet);
        }

        @Override
        public void up() {
            if (phase == Phase.ESTABLISH) {
                startAuthentication(lastNow);
            }
        }

        @Override
        public void down() {
            ipcpUp = false;
            if (phase == Phase.AUTHENTICATE || phase == Phase.NETWORK) {
                // A renegotiation after authentication would need a new authentication and a new crypto binding;
                // neither client does it, so the link ends instead.
                pendingClose = "LCP left the Opened state";
            }
        }

        @Override
        public void finished(String reason) {
            ipcpUp = false;
            if (phase != Phase.DEAD) {
                phase = Phase.DEAD;
                host.linkDown(reason);
            }
        }
    }

    private final class IpcpOutput implements ControlProtocolFsm.Output {
        @Override
        public void send(CpPacket packet) {
            host.send(PppFrames.frame(PppProtocol.IPCP, packet.encode()));
        }

        @Override
        public void up() {
            ipcpUp = true;
            host.networkUp(ipcpPolicy.clientAddress());
        }

        @Override
        public void down() {
            ipcpUp = false;
        }

        @Override
        public void finished(String reason) {
            ipcpUp = false;
            pendingClose = reason;
        }
    }
}
