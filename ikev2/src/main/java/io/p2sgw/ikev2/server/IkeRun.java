package io.p2sgw.ikev2.server;

import io.p2sgw.common.concurrent.SerialQueue;
import io.p2sgw.common.concurrent.Ticker;
import io.p2sgw.common.log.LogRateLimiter;
import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.TrustedCertificate;
import io.p2sgw.dataplane.spi.DatagramPeer;
import io.p2sgw.dataplane.spi.DatagramReceiver;
import io.p2sgw.dataplane.spi.DatagramSender;
import io.p2sgw.dataplane.spi.GatewayCore;
import io.p2sgw.dataplane.spi.PreAuthBudget;
import io.p2sgw.ikev2.engine.IkeAction;
import io.p2sgw.ikev2.engine.IkeSaInitResponder;
import io.p2sgw.ikev2.engine.InboundDatagram;
import io.p2sgw.ikev2.esp.EspInUdp;
import io.p2sgw.ikev2.wire.IkeHeader;
import io.p2sgw.ikev2.wire.NotifyType;
import io.p2sgw.tls.ServerIdentity;
import io.p2sgw.tls.TlsServerContext;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One enable of the IKEv2 service (a fresh run per {@code DatagramService.start}): the core pushes every datagram of
 * UDP 500 and 4500 here. On 4500 the non-ESP marker tells IKE from ESP (RFC 3948 §2.2); ESP goes by SPI straight to
 * its tunnel and is decrypted on the core's reader thread; IKE is copied and handled off it: IKE_SA_INIT (responder
 * SPI zero) on one queue that owns the {@link IkeSaInitResponder} (cookies, half-open accounting), everything else
 * on the queue of the IKE SA its responder SPI names. A {@link Ticker} drives half-open expiry, dead peer detection
 * and retransmissions.
 *
 * <p>Before authentication (issue 13) every half-open IKE SA holds a ticket of the core's {@link PreAuthBudget} (a
 * {@link PreAuthPlace}) from the IKE_SA_INIT that creates it to its admission in IKE_AUTH: without one no state is
 * created and nothing is answered; at its deadline the SA is dropped. Datagrams that are no IKE or ESP at all are
 * counted as {@code JUNK}, refused IKE_SA_INITs by why; the lines about them are rate-limited, since anyone can send
 * them.
 */
final class IkeRun implements DatagramReceiver, Ticker.Tickable {
    private static final Logger LOG = LoggerFactory.getLogger(IkeRun.class);
    /** IKE_SA_INITs waiting for the one thread that answers them; beyond it they are dropped, as a full socket would. */
    static final int INIT_QUEUE_LIMIT = 256;
    /** Timer period: half a second is IKE's finest schedule (our first retransmission waits 2 s). */
    static final long TICK_MILLIS = 500;
    /** How long {@link #stopped} waits for the tunnels' DELETEs to leave before the core closes the sockets. */
    static final long STOP_WAIT_MILLIS = 2_000;
    /** Rate-limited log lines: as many as the TCP listener writes about unidentified connections (issue 13). */
    static final int LOG_LINES_PER_PERIOD = 10;
    static final Duration LOG_PERIOD = Duration.ofSeconds(10);

    final IkeV2ServerConfig config;
    final DatagramSender sender;
    final GatewayCore core;
    final SecureRandom random;
    final EspSpiTable<IkeTunnel> espSpis;
    /** Every live IKE SA by our (responder) SPI; a tunnel is listed twice while an IKE rekey's old SA lives on. */
    final Map<Long, IkeTunnel> bySpi = new ConcurrentHashMap<>();
    /**
     * The admitted tunnels by client certificate: IKE_AUTH looks for the client's other SAs (reauthentication,
     * INITIAL_CONTACT) here, rather than comparing the encoded certificate of every live tunnel, which cost a
     * copy of each certificate per handshake and grew with the number of connected clients.
     */
    private final Map<ClientCertificate, Set<IkeTunnel>> byClient = new ConcurrentHashMap<>();
    final Ticker<Ticker.Tickable> ticker;
    final int ikePort;
    final int natTraversalPort;
    final PreAuthBudget budget;
    /** Refusals and drops of clients before authentication (refused IKE_SA_INITs, failed IKE_AUTHs, expiries). */
    final LogRateLimiter refusalLog;
    /** Datagrams dropped as junk or for want of room (debug). */
    final LogRateLimiter dropLog;
    /**
     * ESP under an SPI we do not know, and IKE messages (well-formed headers) under an IKE SPI we do not know: counted
     * here, not reported to the budget as JUNK. Both are normal: the packets in flight when an SA is deleted or
     * rekeyed, a client that keeps sending ESP after a gateway restart until its DPD notices (minutes), a DELETE
     * retransmitted after we forgot the SA. As JUNK they would make every restart look like an attack. And they cost
     * an attacker as much as us: one table look-up each, no state, nothing the budget bounds. (Garbage on 4500 whose
     * first four bytes are not zero is indistinguishable from such ESP without keys; a reserved SPI, RFC 4303 §2.1,
     * is JUNK.)
     */
    final LongAdder unknownEspSpi = new LongAdder();
    final LongAdder unknownIkeSpi = new LongAdder();
    /**
     * The inner TLS of EAP-TLS (RFC 7296 §2.16, RFC 5216) with the gateway's identity, as SSTP's: its
     * CertificateRequest names the trusted roots of the snapshot at each handshake.
     */
    final TlsServerContext eapTls;
    private final long startNanos = System.nanoTime();
    private final SerialQueue<Runnable> initQueue;
    private final AtomicInteger halfOpen = new AtomicInteger();
    private volatile boolean closed;
    /** Confined to {@link #initQueue}: rebuilt when the trusted certificates (the CERTREQ) change. */
    private IkeSaInitResponder init;
    private List<TrustedCertificate> initRoots;
    /** Confined to {@link #initQueue}: the tunnels' policies, rebuilt when the core publishes another snapshot. */
    private SnapshotPolicies.ForTunnels policies;
    /** Confined to {@link #initQueue}: the place the gate took for the IKE_SA_INIT being handled, until a tunnel owns it. */
    private PreAuthPlace pending;
    /** Confined to {@link #initQueue}: the gate said no for the IKE_SA_INIT being handled (the budget counted it). */
    private boolean noPlace;

    IkeRun(IkeV2ServerConfig config, DatagramSender sender, GatewayCore core, SecureRandom random) {
        this.config = config;
        this.sender = sender;
        this.core = core;
        this.random = random;
        this.espSpis = new EspSpiTable<>(random);
        // The core binds the ports in order, each on every local address: the first socket is IKE's, the last NAT-T's.
        List<InetSocketAddress> local = sender.localAddresses();
        this.ikePort = local.getFirst().getPort();
        this.natTraversalPort = local.getLast().getPort();
        this.budget = core.preAuth();
        try {
            this.eapTls = new TlsServerContext(new ServerIdentity(config.serverKey(), config.serverChain()),
                    core::trustedCertificates, random);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up EAP-TLS with the server certificate: " + e.getMessage(), e);
        }
        this.refusalLog = new LogRateLimiter("IKEv2 clients refused before authentication", LOG_LINES_PER_PERIOD,
                LOG_PERIOD, System::nanoTime, LOG::info);
        this.dropLog = new LogRateLimiter("dropped IKEv2 datagrams", LOG_LINES_PER_PERIOD, LOG_PERIOD, System::nanoTime,
                LOG::debug);
        this.initQueue = new SerialQueue<>(INIT_QUEUE_LIMIT, "ikev2-init", Runnable::run,
                e -> LOG.warn("IKE_SA_INIT handling failed", e));
        this.ticker = new Ticker<>("ikev2-timer", TICK_MILLIS);
        ticker.add(this);
    }

    /** Milliseconds since the run started: the engines' monotonic clock. */
    long now() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    boolean closed() {
        return closed;
    }

    // ---------------------------------------------------------------- datagrams in (core's reader thread)

    @Override
    public void received(ByteBuffer datagram, DatagramPeer from) {
        if (closed) {
            return;
        }
        byte[] b = datagram.array();
        int off = datagram.arrayOffset() + datagram.position();
        int len = datagram.remaining();
        if (from.localPort() == natTraversalPort) {
            switch (EspInUdp.classify(b, off, len)) {
                case KEEPALIVE -> {
                    return;
                }
                case INVALID -> {
                    junk(from, "neither IKE nor ESP on the NAT-T port", len);
                    return;
                }
                case ESP -> {
                    int spi = EspInUdp.spi(b, off);
                    IkeTunnel t = espSpis.owner(spi);
                    if (t != null) {
                        t.espFromClient(b, off, len, spi, from);
                    } else {
                        unknownEspSpi.increment(); // not JUNK: see the field
                    }
                    return;
                }
                case IKE -> {
                    off += EspInUdp.NON_ESP_MARKER_LENGTH;
                    len -= EspInUdp.NON_ESP_MARKER_LENGTH;
                }
            }
        }
        if (!plausibleIke(b, off, len)) {
            junk(from, "not an IKEv2 message", len);
            return;
        }
        byte[] m = Arrays.copyOfRange(b, off, off + len);
        long responderSpi = ByteBuffer.wrap(m).getLong(8);
        if (responderSpi == 0) {
            if (!initQueue.offer(() -> onInit(m, from))) {
                dropLog.log(() -> "IKE_SA_INIT from " + from.remote() + " dropped: " + INIT_QUEUE_LIMIT + " waiting");
            }
            return;
        }
        IkeTunnel t = bySpi.get(responderSpi);
        if (t != null) {
            t.ikeLater(m, from);
        } else {
            unknownIkeSpi.increment(); // not JUNK: see unknownEspSpi
        }
    }

    /**
     * The fixed header's check that needs no allocation: a whole header whose Length field is the datagram's (RFC 7296
     * §3.1; IKE messages are never padded or concatenated). Random bytes fail it; what passes is decoded later, the
     * version too (another major version is still answered with INVALID_MAJOR_VERSION, §2.5).
     */
    static boolean plausibleIke(byte[] b, int off, int len) {
        if (len < IkeHeader.LENGTH) {
            return false;
        }
        int length = (b[off + 24] & 0xFF) << 24 | (b[off + 25] & 0xFF) << 16 | (b[off + 26] & 0xFF) << 8
                | (b[off + 27] & 0xFF);
        return length == len;
    }

    /** A datagram that is not the protocol's: counted as JUNK (it holds nothing), a line at a bounded rate. */
    private void junk(DatagramPeer from, String what, int len) {
        budget.refused(PreAuthBudget.Transport.UDP, from.remote(), PreAuthBudget.Refusal.JUNK);
        dropLog.log(() -> "datagram of " + len + " bytes from " + from.remote() + " to port " + from.localPort()
                + " dropped: " + what);
    }

    // ---------------------------------------------------------------- IKE_SA_INIT (initQueue)

    private void onInit(byte[] m, DatagramPeer from) {
        if (closed) {
            return;
        }
        Optional<GatewaySnapshot> snapshot = core.snapshot();
        if (snapshot.isEmpty()) {
            return;
        }
        if (halfOpen.get() >= config.maxHalfOpen()) {
            // The service's own hard cap, below the budget's: the gateway holds as many half-open SAs as it may.
            budget.refused(PreAuthBudget.Transport.UDP, from.remote(), PreAuthBudget.Refusal.TOTAL_CAP);
            dropLog.log(() -> "IKE_SA_INIT from " + from.remote() + " dropped: " + halfOpen.get()
                    + " half-open IKE SAs");
            return;
        }
        if (policies == null || policies.snapshot() != snapshot.get()) {
            policies = SnapshotPolicies.ForTunnels.of(snapshot.get(), config);
        }
        List<TrustedCertificate> roots = snapshot.get().trustedCertificates();
        if (init == null || !roots.equals(initRoots)) {
            init = new IkeSaInitResponder(policies.ike(), random, this::takePlace);
            initRoots = roots;
        }
        pending = null;
        noPlace = false;
        List<IkeAction> actions = new java.util.ArrayList<>(
                init.receive(new InboundDatagram(m, from.remote(), from.local()), now()));
        // The half-open SA is in the table before its response leaves: the client's IKE_AUTH may follow at once.
        actions.sort(java.util.Comparator.comparing(a -> !(a instanceof IkeAction.HalfOpenCreated)));
        try {
            for (IkeAction a : actions) {
                switch (a) {
                    case IkeAction.Send s -> send(s.message(), from);
                    case IkeAction.HalfOpenCreated h -> {
                        PreAuthPlace place = pending;
                        pending = null;
                        IkeTunnel t = new IkeTunnel(this, h.sa(), policies, place);
                        halfOpen.incrementAndGet();
                        bySpi.put(h.sa().responderSpi(), t);
                        ticker.add(t);
                        place.attach(t);
                    }
                    case IkeAction.Refused r -> refusedInit(r, from);
                    case IkeAction.Dropped d -> {
                        if (!noPlace) {
                            // Not an IKE_SA_INIT request after all (a response, bad SPIs or flags, a changed retransmission).
                            budget.refused(PreAuthBudget.Transport.UDP, from.remote(), PreAuthBudget.Refusal.JUNK);
                        }
                        dropLog.log(() -> "IKE_SA_INIT from " + from.remote() + " dropped: " + d.reason());
                    }
                    default -> LOG.warn("IKE_SA_INIT from {}: unexpected {}", from, a);
                }
            }
        } finally {
            // A place taken for an IKE_SA_INIT that was refused after all (an invalid KE value) goes back at once.
            PreAuthPlace unused = pending;
            pending = null;
            if (unused != null) {
                unused.release();
            }
        }
    }

    /** The gate of {@link IkeSaInitResponder}: a budget ticket for the half-open SA it is about to create. */
    private boolean takePlace(InetSocketAddress peer) {
        Optional<PreAuthPlace> place = PreAuthPlace.take(budget, peer);
        place.ifPresentOrElse(p -> pending = p, () -> noPlace = true);
        return place.isPresent();
    }

    /**
     * An IKE_SA_INIT answered with a notify and no state. COOKIE and INVALID_KE_PAYLOAD are steps of a normal
     * negotiation (RFC 7296 §2.6, §1.2), not refusals; what does not parse as IKE is JUNK; the rest (no proposal
     * in common, ...) is a handshake that failed.
     */
    private void refusedInit(IkeAction.Refused r, DatagramPeer from) {
        NotifyType n = r.notifyType();
        if (n == NotifyType.COOKIE || n == NotifyType.INVALID_KE_PAYLOAD) {
            LOG.debug("IKE_SA_INIT from {} answered with {}: {}", from.remote(), n, r.detail());
            return;
        }
        boolean junk = n == NotifyType.INVALID_SYNTAX || n == NotifyType.INVALID_MAJOR_VERSION
                || n == NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD;
        budget.refused(PreAuthBudget.Transport.UDP, from.remote(),
                junk ? PreAuthBudget.Refusal.JUNK : PreAuthBudget.Refusal.HANDSHAKE_FAILED);
        refusalLog.log(() -> "IKE_SA_INIT from " + from.remote() + " answered with " + n + ": " + r.detail());
    }

    /** A half-open SA left IKE_AUTH (established, refused or expired): it stops counting towards cookies. */
    void halfOpenDone(long initiatorSpi, InetSocketAddress peer) {
        halfOpen.decrementAndGet();
        initQueue.offer(() -> {
            if (init != null) {
                init.completed(initiatorSpi, peer);
            }
        });
    }

    // ---------------------------------------------------------------- tunnels

    /**
     * The live session a reauthentication continues (RFC 7296 §2.8.3): an established tunnel of the same client
     * certificate from the same address, or null. The core's readmit then checks the certificate again.
     */
    IkeTunnel reauthenticationOf(IkeTunnel asking, X509Certificate client, InetSocketAddress from) {
        for (IkeTunnel t : tunnelsOf(client)) {
            if (t != asking && t.isEstablished() && t.peerAddress().getAddress().equals(from.getAddress())) {
                return t;
            }
        }
        return null;
    }

    /**
     * INITIAL_CONTACT (RFC 7296 §2.4): the client holds no other IKE SA with us, so the ones of its certificate
     * are stale (a crashed or restarted client); they end without a DELETE, which it could not decrypt anyway.
     */
    void initialContact(IkeTunnel fresh, X509Certificate client) {
        for (IkeTunnel t : tunnelsOf(client)) {
            if (t != fresh) {
                t.endLater("replaced by a new IKE SA with INITIAL_CONTACT from " + fresh.peerAddress(), false);
            }
        }
    }

    /** The core admitted {@code t}'s client with {@code client}: its other SAs find it by certificate from now on. */
    void admitted(IkeTunnel t, X509Certificate client) {
        ClientCertificate.of(client).ifPresent(key -> byClient.compute(key, (k, tunnels) -> {
            Set<IkeTunnel> s = tunnels != null ? tunnels : ConcurrentHashMap.newKeySet();
            s.add(t);
            return s;
        }));
    }

    /** The tunnels admitted with {@code client} (byte for byte) that have not ended; a copy. */
    List<IkeTunnel> tunnelsOf(X509Certificate client) {
        Set<IkeTunnel> tunnels = ClientCertificate.of(client).map(byClient::get).orElse(null);
        return tunnels == null ? List.of() : List.copyOf(tunnels);
    }

    /** Removes every SPI of an ended tunnel. */
    void forget(IkeTunnel t, Iterable<Long> ikeSpis, Iterable<Integer> espSpisOwned) {
        for (long spi : ikeSpis) {
            bySpi.remove(spi, t);
        }
        for (int spi : espSpisOwned) {
            espSpis.release(spi, t);
        }
        X509Certificate client = t.clientCertificate();
        if (client != null) {
            ClientCertificate.of(client).ifPresent(key -> byClient.computeIfPresent(key, (k, tunnels) -> {
                tunnels.remove(t);
                return tunnels.isEmpty() ? null : tunnels;
            }));
        }
        ticker.remove(t);
    }

    // ---------------------------------------------------------------- sending

    /** An IKE message to {@code to}, from the socket it talks to, behind the marker on the NAT-T port. */
    void send(byte[] ike, DatagramPeer to) {
        byte[] out = to.localPort() == natTraversalPort ? EspInUdp.withNonEspMarker(ike) : ike;
        sender.send(ByteBuffer.wrap(out), to);
    }

    // ---------------------------------------------------------------- timers and stop

    @Override
    public void tick() {
        // The summary of a flood that stopped is written without waiting for the next line.
        refusalLog.flush();
        dropLog.flush();
        initQueue.offer(() -> {
            if (init != null) {
                init.tick(now());
            }
        });
    }

    @Override
    public void tickFailed(RuntimeException e) {
        LOG.warn("IKEv2 timer failed", e);
    }

    /** Ends every IKE SA with a DELETE to its client (they reconnect elsewhere or later), then the timer. */
    @Override
    public void stopped(String reason) {
        closed = true;
        Set<IkeTunnel> tunnels = new HashSet<>(bySpi.values());
        CountDownLatch done = new CountDownLatch(tunnels.size());
        for (IkeTunnel t : tunnels) {
            t.stopLater("IKEv2 stopped: " + reason, done);
        }
        try {
            if (!done.await(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warn("IKEv2 stopping: {} IKE SAs did not end in time", done.getCount());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ticker.close();
        LOG.info("IKEv2 stopped: {}", reason);
    }

    /** A client certificate as a map key: its DER encoding, compared byte for byte. */
    private record ClientCertificate(byte[] der) {
        static Optional<ClientCertificate> of(X509Certificate c) {
            try {
                return Optional.of(new ClientCertificate(c.getEncoded()));
            } catch (CertificateEncodingException e) {
                return Optional.empty();
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ClientCertificate other && Arrays.equals(der, other.der);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(der);
        }

        @Override
        public String toString() {
            return "ClientCertificate[" + der.length + " bytes]";
        }
    }
}
