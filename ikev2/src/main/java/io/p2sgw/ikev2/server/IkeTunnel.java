package io.p2sgw.ikev2.server;

import io.p2sgw.common.concurrent.SerialQueue;
import io.p2sgw.common.concurrent.Ticker;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.spi.Admission;
import io.p2sgw.dataplane.spi.AdmissionRequest;
import io.p2sgw.dataplane.spi.DatagramPeer;
import io.p2sgw.dataplane.spi.PreAuthBudget;
import io.p2sgw.dataplane.spi.SessionHandle;
import io.p2sgw.dataplane.spi.TunnelEndpoint;
import io.p2sgw.ikev2.engine.ChildPolicy;
import io.p2sgw.ikev2.engine.ChildSa;
import io.p2sgw.ikev2.engine.ChildTimers;
import io.p2sgw.ikev2.engine.HalfOpenIkeSa;
import io.p2sgw.ikev2.engine.IkeAction;
import io.p2sgw.ikev2.engine.IkeAuthHost;
import io.p2sgw.ikev2.engine.IkeAuthResponder;
import io.p2sgw.ikev2.engine.IkePolicy;
import io.p2sgw.ikev2.engine.InboundDatagram;
import io.p2sgw.ikev2.engine.InformationalResponder;
import io.p2sgw.tls.eap.EapTlsPolicy;
import io.p2sgw.tls.eap.EapTlsServer;
import io.p2sgw.tls.eap.InnerTls;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's IKEv2 tunnel, from IKE_SA_INIT to its end: the IKE SA (its IKE_AUTH responder, then the responder of
 * each established IKE SA, two during an IKE rekey), the core's session handle, and the CHILD SAs' ESP. IKE messages
 * are handled in arrival order on the tunnel's own queue (RSA and DH take milliseconds; the core's reader thread
 * must not wait for them); ESP is handled on the thread that delivers it (the reader inbound, the core's TUN reader
 * outbound). The core ends the session through {@link #close} (revocation, removed root, disconnect): the client
 * gets a DELETE of the IKE SA (RFC 7296 §1.4.1).
 *
 * <p>Until the core admits the client the tunnel holds its {@link PreAuthPlace} in the core's pre-authentication
 * budget, and gives it back when admitted, refused or ended; at the budget's deadline it ends unadmitted.
 */
final class IkeTunnel implements TunnelEndpoint, Ticker.Tickable {
    private static final Logger LOG = LoggerFactory.getLogger(IkeTunnel.class);
    /** IKE messages waiting for the tunnel's thread; a client has one request in flight (window of one). */
    static final int QUEUE_LIMIT = 64;

    /**
     * REFUSED: IKE_AUTH ended without a tunnel; the SA stays in the table for {@link #REFUSED_LINGER_MILLIS} only to
     * answer a retransmitted IKE_AUTH with the same AUTHENTICATION_FAILED (RFC 7296 §2.1), in case the first answer
     * was lost: without it the client would time out instead of hearing why.
     */
    private enum State { HALF_OPEN, ESTABLISHED, REFUSED, ENDED }

    /** How long a refused IKE SA answers retransmissions: a little more than strongSwan's first three. */
    static final long REFUSED_LINGER_MILLIS = 15_000;

    private final IkeRun run;
    private final HalfOpenIkeSa halfOpen;
    private final PreAuthPlace place;
    private final long createdAt;
    private final IkePolicy ikePolicy;
    private final ChildPolicy childPolicy;
    private final IkeAuthResponder auth;
    private final SerialQueue<Runnable> work;
    private final Host host = new Host();
    private final EspPath esp = new EspPath(this);
    private volatile State state = State.HALF_OPEN;
    private volatile SessionHandle handle;
    private volatile X509Certificate clientCertificate;
    /** Where the client is now: the last authenticated IKE message's or ESP packet's sender (NAT rebinding). */
    private volatile DatagramPeer peer;
    private volatile long lastHeard;
    private volatile String closeRequested;
    private volatile String name;
    private volatile long refusedAt;
    /** Our liveness check waits for its answer: the timer must keep handing ticks to the engine (retransmission). */
    private volatile boolean checking;
    /** The core's certificate policy refused the client (not a failed handshake: the core counted it). */
    private volatile boolean refusedByCore;
    /** When the current IKE SA's responder has lifetime work next (a rekey, an expiry): the timer thread's cue. */
    private volatile long lifetimeDue = Long.MAX_VALUE;
    /** The worn-out CHILD SA ({@link EspPath#wornOut}) last handed to the responder. */
    private volatile ChildSa wornOutReported;

    // Confined to the work queue:
    /** The responders of the established IKE SAs by our SPI, oldest first; the last one is current. */
    private final Map<Long, InformationalResponder> responders = new LinkedHashMap<>();
    private long currentSpi;
    /** The peer of the IKE message being handled (IKE_AUTH's sender is the one admitted). */
    private DatagramPeer handling;
    private final List<Integer> ourEspSpis = new ArrayList<>();
    private final List<ChildSa> children = new ArrayList<>();

    IkeTunnel(IkeRun run, HalfOpenIkeSa halfOpen, SnapshotPolicies.ForTunnels policies, PreAuthPlace place) {
        this.run = run;
        this.halfOpen = halfOpen;
        this.place = place;
        this.createdAt = run.now();
        this.ikePolicy = policies.ike();
        this.childPolicy = policies.child();
        this.auth = new IkeAuthResponder(halfOpen, ikePolicy, childPolicy, policies.credentials(), host, run.random);
        this.name = String.format("IKE SA %016x", halfOpen.responderSpi());
        this.work = new SerialQueue<>(QUEUE_LIMIT, "ikev2-sa", Runnable::run,
                e -> LOG.warn("{}: IKE handling failed", name, e));
    }

    boolean isEstablished() {
        return state == State.ESTABLISHED;
    }

    /** The certificate the core admitted this tunnel's client with; null before the admission. */
    X509Certificate clientCertificate() {
        return clientCertificate;
    }

    InetSocketAddress peerAddress() {
        DatagramPeer p = peer;
        return p != null ? p.remote() : halfOpen.peer();
    }

    // ---------------------------------------------------------------- IKE (work queue)

    void ikeLater(byte[] message, DatagramPeer from) {
        if (!work.offer(() -> onIke(message, from))) {
            LOG.debug("{}: IKE message from {} dropped, queue full", name, from);
        }
    }

    private void onIke(byte[] m, DatagramPeer from) {
        if (state == State.ENDED) {
            return;
        }
        long spi = ByteBuffer.wrap(m).getLong(8);
        InboundDatagram d = new InboundDatagram(m, from.remote(), from.local());
        long now = run.now();
        List<IkeAction> actions;
        handling = from;
        if (state == State.REFUSED) {
            // Only the cached refusal goes out again; nothing else of the exchange is carried out twice.
            for (IkeAction a : auth.receive(d, now)) {
                if (a instanceof IkeAction.Send s) {
                    run.send(s.message(), from);
                }
            }
            return;
        }
        if (state == State.HALF_OPEN) {
            actions = auth.receive(d, now);
        } else {
            InformationalResponder r = responders.get(spi);
            if (r == null) {
                return;
            }
            actions = r.receive(d, now);
            if (actions.stream().noneMatch(IkeAction.Dropped.class::isInstance)) {
                // Authenticated: the client is alive, and where it sent from is where it is now.
                heardFrom(from, now);
            }
        }
        handle(actions, from);
    }

    private void heardFrom(DatagramPeer from, long now) {
        lastHeard = now;
        DatagramPeer p = peer;
        if (p == null || !p.equals(from)) {
            peer = from;
            SessionHandle h = handle;
            if (h != null && p != null) {
                LOG.info("{}: client moved from {} to {}", name, p.remote(), from.remote());
                h.updatePublicAddress(from.remote());
            }
        }
    }

    /**
     * Carries out the engine's actions. What a response makes the client use at once (the new IKE SA's SPI, the new
     * CHILD SA's inbound ESP) is installed before the response leaves, so the client's first packet under it is never
     * dropped; what ends something (a delete, a refusal) happens after the response went out.
     */
    private void handle(List<IkeAction> actions, DatagramPeer replyTo) {
        for (IkeAction a : actions) {
            if (a instanceof IkeAction.Established || a instanceof IkeAction.ChildRekeyed
                    || a instanceof IkeAction.IkeRekeyed) {
                carryOut(a, replyTo);
            }
        }
        for (IkeAction a : actions) {
            if (!(a instanceof IkeAction.Established || a instanceof IkeAction.ChildRekeyed
                    || a instanceof IkeAction.IkeRekeyed)) {
                carryOut(a, replyTo);
            }
        }
        InformationalResponder current = responders.get(currentSpi);
        lifetimeDue = state == State.ESTABLISHED && current != null ? current.nextTimer() : Long.MAX_VALUE;
    }

    private void carryOut(IkeAction a, DatagramPeer replyTo) {
        {
            switch (a) {
                case IkeAction.Send s -> run.send(s.message(), replyTo);
                case IkeAction.Established e -> established(e, replyTo);
                case IkeAction.AuthFailed f -> {
                    String who = name;
                    run.refusalLog.log(() -> who + ": IKE_AUTH from " + replyTo.remote() + " ended with "
                            + f.notifyType() + ": " + f.reason());
                    refused("IKE_AUTH failed: " + f.reason());
                }
                case IkeAction.ChildRekeyed r -> {
                    children.add(r.replacement());
                    esp.install(r.replacement());
                    LOG.info("{}: CHILD SA rekeyed by the {}: {} -> {}", name, r.byGateway() ? "gateway" : "client",
                            r.old(), r.replacement());
                }
                case IkeAction.ChildRekeyFailed f -> LOG.info("{}: our rekey of {} failed, retrying later: {}", name,
                        f.child(), f.reason());
                case IkeAction.ChildDeleted c -> {
                    LOG.debug("{}: {} deleted", name, c.child());
                    children.remove(c.child());
                    esp.remove(c.child());
                    ourEspSpis.remove(Integer.valueOf(c.child().inboundSpi()));
                    run.espSpis.release(c.child().inboundSpi(), this);
                }
                case IkeAction.IkeRekeyed rk -> {
                    long fresh = rk.replacement().init().responderSpi();
                    responders.put(fresh, InformationalResponder.afterIkeRekey(rk, ikePolicy, childPolicy, host,
                            run.random));
                    currentSpi = fresh;
                    run.bySpi.put(fresh, this);
                    LOG.info("{}: IKE SA rekeyed: {} -> {}", name, String.format("%016x", rk.oldResponderSpi()),
                            String.format("%016x", fresh));
                }
                case IkeAction.Deleted d -> {
                    if (d.responderSpi() != currentSpi && responders.containsKey(d.responderSpi())) {
                        // The old IKE SA of a rekey: only it goes; the CHILD SAs and the lease moved on.
                        responders.remove(d.responderSpi());
                        run.bySpi.remove(d.responderSpi(), this);
                    } else {
                        end(d.reason(), false);
                    }
                }
                case IkeAction.Dropped d -> {
                    if (d.integrityFailed() && state == State.HALF_OPEN) {
                        // A forged or corrupted IKE_AUTH: counted, and the SA (and its place) lives on for the real one.
                        run.budget.refused(PreAuthBudget.Transport.UDP, replyTo.remote(), PreAuthBudget.Refusal.BAD_HMAC);
                    }
                    String who = name;
                    run.dropLog.log(() -> who + ": dropped from " + replyTo.remote() + ": " + d.reason());
                }
                case IkeAction.Refused r -> LOG.debug("{}: refused: {}", name, r);
                case IkeAction.HalfOpenCreated h -> LOG.warn("{}: unexpected {}", name, h);
            }
        }
    }

    private void established(IkeAction.Established e, DatagramPeer from) {
        long spi = e.sa().init().responderSpi();
        responders.put(spi, new InformationalResponder(e.sa(), auth.cipher(), ikePolicy, childPolicy, host,
                run.random).withTimers(new ChildTimers(run.config.childLifetime(), run.random), run.now()));
        currentSpi = spi;
        peer = from;
        lastHeard = run.now();
        children.add(e.sa().child());
        esp.install(e.sa().child());
        state = State.ESTABLISHED;
        run.halfOpenDone(halfOpen.initiatorSpi(), halfOpen.peer());
        SessionHandle h = handle;
        h.updatePublicAddress(from.remote());
        LOG.info("{}: IKE SA {} established with {} at {}: address {}, {}", name, String.format("%016x", spi),
                h.userName(), from.remote(), h.address(), e.sa().child());
        if (e.sa().initialContact()) {
            run.initialContact(this, e.sa().clientCertificate());
        }
    }

    /** IKE_AUTH gave no tunnel: release what it took at once, keep answering retransmissions for a while. */
    private void refused(String reason) {
        if (state != State.HALF_OPEN) {
            end(reason, false);
            return;
        }
        state = State.REFUSED;
        refusedAt = run.now();
        if (refusedByCore) {
            place.release(); // the core counted and logged its refusal
        } else {
            // Authentication failed before admission (AUTH does not verify, no certificate, ...); after an admission
            // (no CHILD SA after all) the place went back already and this does nothing.
            place.refuse(PreAuthBudget.Refusal.HANDSHAKE_FAILED);
        }
        run.halfOpenDone(halfOpen.initiatorSpi(), halfOpen.peer());
        esp.clear();
        for (int spi : ourEspSpis) {
            run.espSpis.release(spi, this);
        }
        ourEspSpis.clear();
        SessionHandle h = handle;
        handle = null;
        if (h != null) {
            // Admitted, then no CHILD SA after all (no ESP proposal, no selectors): the lease goes back now.
            h.close(reason);
        }
    }

    /** Ends the tunnel; on the work queue. {@code tellClient}: send a DELETE of the IKE SA first. */
    private void end(String reason, boolean tellClient) {
        if (state == State.ENDED) {
            return;
        }
        State was = state;
        state = State.ENDED;
        if (tellClient && was == State.ESTABLISHED) {
            InformationalResponder r = responders.get(currentSpi);
            DatagramPeer p = peer;
            if (r != null && p != null) {
                for (IkeAction a : r.deleteIke(reason)) {
                    if (a instanceof IkeAction.Send s) {
                        run.send(s.message(), p);
                    }
                }
            }
        }
        if (was == State.HALF_OPEN) {
            run.halfOpenDone(halfOpen.initiatorSpi(), halfOpen.peer());
        }
        place.release();
        esp.clear();
        children.clear();
        List<Long> ikeSpis = new ArrayList<>(responders.keySet());
        ikeSpis.add(halfOpen.responderSpi());
        run.forget(this, ikeSpis, List.copyOf(ourEspSpis));
        SessionHandle h = handle;
        if (h != null) {
            h.close(reason);
        }
        if (was == State.ESTABLISHED) {
            LOG.info("{}: ended: {}", name, reason);
        } else {
            // Never admitted: under a flood of half-open SAs these are as many as the IKE_SA_INITs.
            String who = name;
            run.refusalLog.log(() -> who + ": ended: " + reason);
        }
    }

    void endLater(String reason, boolean tellClient) {
        if (!work.offer(() -> end(reason, tellClient))) {
            closeRequested = reason;
        }
    }

    /**
     * The budget's deadline passed before admission (on the core's timer thread; the budget counted TIMEOUT): the
     * half-open or refused SA goes. An admission that won the race keeps its tunnel.
     */
    void preAuthExpired() {
        String reason = "not admitted within the pre-authentication deadline";
        if (!work.offer(() -> {
            if (state == State.HALF_OPEN || state == State.REFUSED) {
                end(reason, false);
            }
        })) {
            closeRequested = reason;
        }
    }

    /** The service stops: DELETE to the client, then count down. */
    void stopLater(String reason, CountDownLatch done) {
        if (!work.offer(() -> {
            try {
                end(reason, true);
            } finally {
                done.countDown();
            }
        })) {
            done.countDown();
        }
    }

    // ---------------------------------------------------------------- timers (ticker thread, then work queue)

    @Override
    public void tick() {
        // Checked here, on the timer thread, from volatile state: a tunnel with nothing due costs no queued work
        // (and so no thread) per tick.
        if (due(run.now())) {
            work.offer(this::onTick);
        }
    }

    private boolean due(long now) {
        return switch (state) {
            case HALF_OPEN -> closeRequested != null || now - createdAt >= ikePolicy.halfOpenTimeout().toMillis();
            case ESTABLISHED -> closeRequested != null || checking
                    || now - lastHeard >= run.config.dpdIdle().toMillis() || now >= lifetimeDue
                    || esp.wornOut() != wornOutReported;
            case REFUSED -> closeRequested != null || now - refusedAt >= REFUSED_LINGER_MILLIS;
            case ENDED -> false;
        };
    }

    private void onTick() {
        long now = run.now();
        String close = closeRequested;
        if (close != null) {
            end(close, true);
            return;
        }
        switch (state) {
            case HALF_OPEN -> {
                if (now - createdAt >= ikePolicy.halfOpenTimeout().toMillis()) {
                    place.refuse(PreAuthBudget.Refusal.TIMEOUT);
                    end("no IKE_AUTH within " + ikePolicy.halfOpenTimeout().toSeconds() + " s of IKE_SA_INIT", false);
                }
            }
            case ESTABLISHED -> {
                InformationalResponder r = responders.get(currentSpi);
                DatagramPeer p = peer;
                ChildSa worn = esp.wornOut();
                if (worn != wornOutReported) {
                    wornOutReported = worn;
                    LOG.info("{}: {} is near the end of its 32-bit sequence numbers: rekeying it (RFC 4303 §3.3.3)",
                            name, worn);
                    r.sequenceNumbersRunningOut(worn.inboundSpi(), now);
                }
                handle(r.tick(now, p.remote()), p);
                if (state == State.ESTABLISHED && now - lastHeard >= run.config.dpdIdle().toMillis()
                        && !r.awaitingAnswer()) {
                    handle(r.livenessCheck(now), p);
                }
                checking = state == State.ESTABLISHED && r.awaitingAnswer();
            }
            case REFUSED -> {
                if (now - refusedAt >= REFUSED_LINGER_MILLIS) {
                    end("refused; no more retransmissions expected", false);
                }
            }
            case ENDED -> { }
        }
    }

    @Override
    public void tickFailed(RuntimeException e) {
        endLater("internal error: " + e, true);
    }

    // ---------------------------------------------------------------- TunnelEndpoint (the core)

    @Override
    public void sendToClient(ByteBuffer ipPacket) {
        if (!esp.toClient(ipPacket)) {
            SessionHandle h = handle;
            if (h != null) {
                h.droppedToClient(1, ipPacket.remaining());
            }
        }
    }

    @Override
    public void flushToClient() {
        run.sender.flush();
    }

    /** Revocation, a removed root, an admin disconnect: DELETE the IKE SA (ikev2.md §7.2), then end. */
    @Override
    public void close(String reason) {
        endLater("closed by the gateway: " + reason, true);
    }

    // ---------------------------------------------------------------- ESP (reader thread)

    /**
     * An ESP packet from the client authenticated: it is alive (no liveness check needed), and a new source address
     * or port is a NAT rebinding (RFC 3948 §3.5; ikev2.md §5.5) that IKE and ESP then follow.
     */
    void heardOverEsp(DatagramPeer from) {
        lastHeard = run.now();
        DatagramPeer p = peer;
        if (p != from && (p == null || !p.equals(from))) {
            peer = from;
            SessionHandle h = handle;
            if (h != null) {
                LOG.info("{}: client moved from {} to {}", name, p == null ? "?" : p.remote(), from.remote());
                h.updatePublicAddress(from.remote());
            }
        }
    }

    /** Where ESP goes: the client's address on the NAT-T port (ESP is always UDP-encapsulated here, RFC 3948). */
    DatagramPeer espPeer() {
        DatagramPeer p = peer;
        return p != null && p.localPort() == run.natTraversalPort ? p : null;
    }

    void espFromClient(byte[] b, int off, int len, int spi, DatagramPeer from) {
        esp.fromClient(b, off, len, spi, from);
    }

    SessionHandle handle() {
        return handle;
    }

    IkeRun run() {
        return run;
    }

    String name() {
        return name;
    }

    /** The certificate policy, the pool and our SPIs, through the core (IKE_AUTH, on the work queue). */
    private final class Host implements IkeAuthHost {
        @Override
        public Verdict verifyClient(X509Certificate endEntity, List<X509Certificate> intermediates) {
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(endEntity);
            chain.addAll(intermediates);
            InetSocketAddress from = handling.remote();
            AdmissionRequest request = new AdmissionRequest(TunnelType.IKEV2, chain, from, IkeTunnel.this);
            IkeTunnel previous = run.reauthenticationOf(IkeTunnel.this, endEntity, from);
            Admission admission = previous != null && previous.handle != null
                    ? run.core.readmit(previous.handle, request)
                    : run.core.admit(request);
            return switch (admission) {
                case Admission.Refused r -> {
                    // The core logged the refusal with the CN and thumbprint; the client sees AUTHENTICATION_FAILED.
                    refusedByCore = true;
                    yield new Verdict.Refused(r.reason() + ": " + r.detail());
                }
                case Admission.Admitted a -> {
                    // Admitted: out of the pre-authentication budget. Released here, not by the core: the ticket was
                    // taken for the IKE_SA_INIT's address, and NAT-T has usually moved the client to 4500 since.
                    place.release();
                    SessionHandle h = a.handle();
                    handle = h;
                    clientCertificate = endEntity;
                    run.admitted(IkeTunnel.this, endEntity);
                    name = h.connectionId();
                    if (previous != null) {
                        LOG.info("{}: reauthentication from {} (a new IKE SA for the live session)", name, from);
                    }
                    yield new Verdict.Accepted(h.connectionId() + " CN=" + h.userName());
                }
            };
        }

        @Override
        public Optional<byte[]> leaseIpv4(String identity) {
            SessionHandle h = handle;
            return h == null ? Optional.empty() : SnapshotPolicies.parseIpv4(h.address());
        }

        @Override
        public Optional<EapTlsServer> newEapTlsServer(EapTlsPolicy policy, int maxPacketLength) {
            return Optional.of(new EapTlsServer(new InnerTls(run.eapTls, run.config.eapTlsProtocols(),
                    run.config.eapTlsKeysWithoutExtendedMasterSecret()), policy, maxPacketLength));
        }

        @Override
        public int newInboundSpi() {
            int spi = run.espSpis.allocate(IkeTunnel.this);
            ourEspSpis.add(spi);
            return spi;
        }
    }
}
