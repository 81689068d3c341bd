package io.p2sgw.dataplane.core;

import io.p2sgw.dataplane.api.DataPlane;
import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.SessionEvent;
import io.p2sgw.dataplane.api.SessionInfo;
import io.p2sgw.dataplane.api.SessionListener;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.api.TunnelTypeStatus;
import io.p2sgw.dataplane.policy.CertificatePolicy;
import io.p2sgw.dataplane.policy.PolicyDecision;
import io.p2sgw.dataplane.preauth.BoundedPreAuthBudget;
import io.p2sgw.dataplane.pool.AddressPool;
import io.p2sgw.dataplane.pool.Ipv4;
import io.p2sgw.dataplane.pool.Ipv4Prefix;
import io.p2sgw.dataplane.pool.PoolPlan;
import io.p2sgw.dataplane.router.DropReason;
import io.p2sgw.dataplane.router.PacketRouter;
import io.p2sgw.dataplane.session.Session;
import io.p2sgw.dataplane.session.SessionRegistry;
import io.p2sgw.dataplane.session.TrafficTotals;
import io.p2sgw.dataplane.spi.Admission;
import io.p2sgw.dataplane.spi.AdmissionRequest;
import io.p2sgw.dataplane.spi.DatagramReceiver;
import io.p2sgw.dataplane.spi.DatagramService;
import io.p2sgw.dataplane.spi.GatewayCore;
import io.p2sgw.dataplane.spi.PreAuthBudget;
import io.p2sgw.dataplane.spi.RefusalReason;
import io.p2sgw.dataplane.spi.SessionHandle;
import io.p2sgw.dataplane.spi.StreamProtocol;
import io.p2sgw.dataplane.transport.DatagramEndpoint;
import io.p2sgw.dataplane.transport.DatagramTransport;
import io.p2sgw.dataplane.transport.StreamAcceptor;
import io.p2sgw.dataplane.tun.InterfaceConfigurator;
import io.p2sgw.dataplane.tun.LinuxTun;
import io.p2sgw.dataplane.tun.TunException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data-plane core (DESIGN.md "Two planes"): applies {@link GatewaySnapshot}s, admits clients for every
 * protocol through one certificate policy, SKU limit and address pool, routes packets between sessions and the
 * TUN, runs the shared TCP listener and the datagram services of the enabled tunnel types, and reports
 * {@link SessionEvent}s.
 */
public final class GatewayDataPlane implements DataPlane, GatewayCore, Session.Owner {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayDataPlane.class);

    private final DataPlaneConfig config;
    private final SessionRegistry sessions = new SessionRegistry();
    private final TrafficTotals totals = TrafficTotals.create();
    private final DataPlaneMetrics metrics;
    private final PacketRouter router;
    private final StreamAcceptor acceptor;
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();

    /** Guards snapshot changes and admissions, so a limit or pool check and the lease are atomic. */
    private final Object lock = new Object();
    private volatile Optional<GatewaySnapshot> current = Optional.empty();
    private PoolPlan plan;
    private final Map<TunnelType, AddressPool> pools = new EnumMap<>(TunnelType.class);
    /** The core's UDP sockets: bound per datagram service while its tunnel type is enabled. */
    private final DatagramTransport udp;
    private final Map<DatagramService, RunningDatagram> runningDatagram = new HashMap<>();
    private Optional<List<String>> tunConfiguredFor = Optional.empty();
    /**
     * The TUN's state ("running: TUN ...", or why it is not); the status adds the errors below. Every part is
     * cleared when what failed works again, so the status never reports an error that has gone.
     */
    private volatile String status = "idle: no gateway configured";
    /** Why the last snapshot was rejected, until one is accepted. */
    private volatile Optional<String> snapshotError = Optional.empty();
    /** Listeners that failed to start, by listener ("TCP 443", a datagram service's name); removed once one starts. */
    private final Map<String, String> transportErrors = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final TunnelTypeServers servers;
    /** Every protocol's clients before admission (issue 13); its deadlines are checked by {@link #preAuthTimer}. */
    private final BoundedPreAuthBudget preAuth;
    private final java.util.concurrent.ScheduledExecutorService preAuthTimer;

    public GatewayDataPlane(DataPlaneConfig config) {
        this.config = config;
        this.servers = new TunnelTypeServers(config.streamProtocols(), config.datagramServices());
        this.metrics = new DataPlaneMetrics(config.meterRegistry(), sessions, totals);
        this.router = new PacketRouter(sessions, metrics::drop);
        this.udp = DatagramTransport.create();
        this.preAuth = new BoundedPreAuthBudget(config.preAuthLimits(), System::nanoTime,
                LoggerFactory.getLogger(BoundedPreAuthBudget.class)::info);
        metrics.preAuth(preAuth);
        this.preAuthTimer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("preauth-timer").factory());
        long tick = preAuthTickMillis(config.preAuthLimits().deadline());
        preAuthTimer.scheduleAtFixedRate(this::tickPreAuth, tick, tick, java.util.concurrent.TimeUnit.MILLISECONDS);
        this.acceptor = new StreamAcceptor(new InetSocketAddress(config.bindAddress(), config.tcpPort()),
                this::enabledStreamProtocols, this, config.probeLimits(), metrics::tcpConnection,
                () -> metrics.drop(DropReason.CLIENT_NOT_READING), preAuth);
    }

    /**
     * How often deadlines are checked: a tenth of the deadline (a client is closed at most 10% late), between 10 ms
     * (tests' short deadlines) and 1 s.
     */
    static long preAuthTickMillis(java.time.Duration deadline) {
        return Math.clamp(deadline.toMillis() / 10, 10, 1000);
    }

    private void tickPreAuth() {
        try {
            preAuth.tick();
        } catch (RuntimeException e) {
            LOG.warn("pre-authentication budget check failed: {}", e.toString()); // the next tick tries again
        }
    }

    // ---------------------------------------------------------------- DataPlane (control plane side)

    @Override
    public void apply(GatewaySnapshot snapshot) {
        if (!snapshot.p2sConfigured()) {
            LOG.info("snapshot v{} of {} has no P2S configuration; stopping the service", snapshot.version(),
                    snapshot.gatewayName());
            clear();
            return;
        }
        List<Session> toClose = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        synchronized (lock) {
            Optional<GatewaySnapshot> before = current;
            if (before.isPresent() && before.get().equals(snapshot)) {
                return;
            }
            PoolPlan newPlan;
            try {
                newPlan = PoolPlan.of(snapshot.addressPool(), snapshot.tunnelTypes(), snapshot.instanceCount(),
                        snapshot.instanceIndex());
            } catch (IllegalArgumentException e) {
                LOG.error("snapshot v{} of {} rejected: address pool {}: {}", snapshot.version(), snapshot.gatewayName(),
                        snapshot.addressPool(), e.getMessage());
                snapshotError = Optional.of("address pool " + snapshot.addressPool() + ": " + e.getMessage());
                return;
            }
            snapshotError = Optional.empty();
            current = Optional.of(snapshot);
            Set<TunnelType> enabledBefore = before.map(GatewaySnapshot::tunnelTypes).orElse(Set.of());
            for (TunnelType t : servers.newlyEnabledNotServed(enabledBefore, snapshot.tunnelTypes())) {
                LOG.warn("{}; served: {}", TunnelTypeServers.notServedYet(t),
                        snapshot.tunnelTypes().stream().filter(servers::implemented).map(TunnelType::armName).sorted().toList());
            }

            boolean trustChanged = before.isEmpty()
                    || !before.get().trustedCertificates().equals(snapshot.trustedCertificates())
                    || !before.get().revokedThumbprints().equals(snapshot.revokedThumbprints());
            for (Session s : sessions.all()) {
                Optional<String> why = Optional.empty();
                if (!snapshot.tunnelTypes().contains(s.tunnelType())) {
                    why = Optional.of("tunnel type " + s.tunnelType().armName() + " removed from vpnClientProtocols");
                } else if (trustChanged) {
                    PolicyDecision d = CertificatePolicy.evaluate(s.chain(), snapshot, config.clock().instant());
                    if (d instanceof PolicyDecision.Rejected r) {
                        why = Optional.of(switch (r.reason()) {
                            case REVOKED -> "certificate revoked (thumbprint in vpnClientRevokedCertificates)";
                            case UNTRUSTED -> "root certificate removed: chain no longer trusted (" + r.detail() + ")";
                            default -> r.reason().name().toLowerCase(java.util.Locale.ROOT) + ": " + r.detail();
                        });
                    }
                }
                if (why.isPresent()) {
                    toClose.add(s);
                    reasons.add(why.get());
                }
            }
            if (!newPlan.equals(plan)) {
                rebuildPools(newPlan, toClose, reasons);
                if (snapshot.activeActive() && snapshot.instanceCount() == 1) {
                    // Azure splits an active-active pool between two instances; with one, half the pool would go
                    // unserved while clients are refused for want of an address (issue 12).
                    LOG.warn("gateway {} is activeActive, but this is its only instance: serving the whole address pool {}"
                            + " (a second instance would take half of it)", snapshot.gatewayName(), snapshot.addressPool());
                }
            }
            configureTun(newPlan);
            reconcileTransports(snapshot);
            LOG.info("applied snapshot v{} of {}: pool {} (gateway {}), types {}, {} trusted, {} revoked, {}",
                    snapshot.version(), snapshot.gatewayName(), snapshot.addressPool(), Ipv4.format(newPlan.gatewayAddress()),
                    snapshot.tunnelTypes(), snapshot.trustedCertificates().size(), snapshot.revokedThumbprints().size(), status());
        }
        for (int i = 0; i < toClose.size(); i++) {
            Session s = toClose.get(i);
            String reason = reasons.get(i);
            LOG.warn("closing {}: CN={} thumbprint {}: {}", s.connectionId(), s.userName(), s.thumbprint(), reason);
            endByCore(s, reason);
        }
    }

    private void rebuildPools(PoolPlan newPlan, List<Session> closing, List<String> reasons) {
        plan = newPlan;
        pools.clear();
        // Tunnel types with the same slice (IKEv2 and OpenVPN: the whole pool, or its lower half beside SSTP) lease
        // from one AddressPool: one lease table per slice, so two types never hand out the same address.
        Map<List<Ipv4Prefix>, AddressPool> bySlice = new HashMap<>();
        for (Map.Entry<TunnelType, List<Ipv4Prefix>> e : newPlan.slices().entrySet()) {
            pools.put(e.getKey(), bySlice.computeIfAbsent(e.getValue(),
                    slice -> new AddressPool(slice, Set.of(newPlan.gatewayAddress()))));
        }
        // Live sessions keep their address when it is still inside their type's slice.
        for (Session s : sessions.all()) {
            if (closing.contains(s)) {
                continue;
            }
            AddressPool p = pools.get(s.tunnelType());
            if (p == null || !p.claim(s.addressValue(), s.thumbprint())) {
                closing.add(s);
                reasons.add("address pool changed: " + s.address() + " is no longer in the " + s.tunnelType().armName()
                        + " part of the pool");
            }
        }
    }

    private void configureTun(PoolPlan p) {
        List<String> want = new ArrayList<>();
        want.add(Ipv4.format(p.gatewayAddress()));
        p.instancePrefixes().forEach(x -> want.add(x.toString()));
        if (!config.manageTun()) {
            if (router.device().isEmpty()) {
                status = "running without TUN (manageTun=false): client packets are not forwarded";
            }
            return;
        }
        if (tunConfiguredFor.equals(Optional.of(want)) && router.device().isPresent()) {
            return;
        }
        try {
            if (router.device().isEmpty()) {
                router.attach(LinuxTun.open(config.tunName()));
            } else {
                InterfaceConfigurator.flushAddresses(config.tunName());
            }
            Ipv4Prefix first = p.instancePrefixes().getFirst();
            // The gateway's address with the first prefix's length also installs the route to that prefix.
            InterfaceConfigurator.setAddress(config.tunName(), Ipv4.format(p.gatewayAddress()), first.length());
            InterfaceConfigurator.setUp(config.tunName(), config.tunMtu());
            for (Ipv4Prefix extra : p.instancePrefixes().subList(1, p.instancePrefixes().size())) {
                InterfaceConfigurator.addRoute(extra.toString(), config.tunName());
            }
            InterfaceConfigurator.enableIpv4Forwarding();
            tunConfiguredFor = Optional.of(want);
            status = "running: TUN " + config.tunName() + " " + Ipv4.format(p.gatewayAddress()) + "/" + first.length();
        } catch (TunException e) {
            status = "error: TUN " + config.tunName() + " unavailable: " + e.getMessage();
            LOG.error("{}", status);
        } catch (IOException e) {
            status = "error: configuring TUN " + config.tunName() + ": " + e.getMessage();
            LOG.error("{}", status);
        }
    }

    private void reconcileTransports(GatewaySnapshot snapshot) {
        boolean anyStream = !enabledStreamProtocols().isEmpty();
        String tcp = tcpListenerName();
        if (anyStream && !acceptor.isRunning()) {
            try {
                acceptor.start();
                transportErrors.remove(tcp);
            } catch (IOException e) {
                transportErrors.put(tcp, "cannot listen on TCP " + config.bindAddress().getHostAddress() + ":" + config.tcpPort()
                        + ": " + e.getMessage());
                LOG.error("error: {}", transportErrors.get(tcp));
            }
        } else if (!anyStream) {
            transportErrors.remove(tcp);
            if (acceptor.isRunning()) {
                acceptor.close();
            }
        }
        for (DatagramService d : config.datagramServices()) {
            boolean want = snapshot.tunnelTypes().contains(d.tunnelType());
            if (want && !runningDatagram.containsKey(d)) {
                startDatagram(d);
            } else if (!want) {
                transportErrors.remove(d.name());
                if (runningDatagram.containsKey(d)) {
                    stopDatagram(d, d.tunnelType().armName() + " removed from vpnClientProtocols");
                }
            }
        }
    }

    /** One run of a datagram service: the sockets the core bound for it and the receiver it gave. */
    private record RunningDatagram(DatagramEndpoint endpoint, DatagramReceiver receiver) {
    }

    /** Binds the service's ports and starts a fresh run of it on them (every enable is a new run). Under the lock. */
    private void startDatagram(DatagramService d) {
        DatagramEndpoint endpoint;
        try {
            endpoint = udp.bind(d.name(), config.bindAddress(), d.ports());
        } catch (IOException e) {
            transportErrors.put(d.name(), "cannot start " + d.name() + ": " + e.getMessage());
            LOG.error("error: {}", transportErrors.get(d.name()));
            return;
        }
        try {
            DatagramReceiver receiver = d.start(endpoint, this);
            endpoint.start(receiver);
            runningDatagram.put(d, new RunningDatagram(endpoint, receiver));
            transportErrors.remove(d.name());
            LOG.info("started {} on UDP {}", d.name(), endpoint.localAddresses());
        } catch (RuntimeException e) {
            endpoint.close();
            transportErrors.put(d.name(), "cannot start " + d.name() + ": " + e);
            LOG.error("error: {}", transportErrors.get(d.name()), e);
        }
    }

    /** Ends the service's run: its sessions first (they may still tell their clients), then the sockets. */
    private void stopDatagram(DatagramService d, String reason) {
        RunningDatagram r = runningDatagram.remove(d);
        if (r == null) {
            return;
        }
        try {
            r.receiver().stopped(reason);
        } catch (RuntimeException e) {
            LOG.warn("{}: stopping failed: {}", d.name(), e.toString());
        } finally {
            r.endpoint().close();
        }
        LOG.info("stopped {}: {}", d.name(), reason);
    }

    /** The UDP addresses a running datagram service is bound to (empty while it is stopped); tests bind port 0. */
    public List<InetSocketAddress> datagramAddresses(DatagramService d) {
        synchronized (lock) {
            RunningDatagram r = runningDatagram.get(d);
            return r == null ? List.of() : r.endpoint().localAddresses();
        }
    }

    private List<StreamProtocol> enabledStreamProtocols() {
        Optional<GatewaySnapshot> s = current;
        if (s.isEmpty()) {
            return List.of();
        }
        Set<TunnelType> types = s.get().tunnelTypes();
        return config.streamProtocols().stream().filter(p -> types.contains(p.tunnelType())).toList();
    }

    @Override
    public void clear() {
        List<Session> all;
        synchronized (lock) {
            current = Optional.empty();
            plan = null;
            pools.clear();
            acceptor.close();
            for (DatagramService d : List.copyOf(runningDatagram.keySet())) {
                stopDatagram(d, "point-to-site configuration removed");
            }
            all = List.copyOf(sessions.all());
            status = "idle: no gateway configured";
            snapshotError = Optional.empty();
            transportErrors.clear();
        }
        for (Session s : all) {
            endByCore(s, "point-to-site configuration removed");
        }
    }

    @Override
    public List<SessionInfo> sessions() {
        return sessions.all().stream().map(Session::info).toList();
    }

    @Override
    public int disconnect(Collection<String> vpnConnectionIds, String reason) {
        int n = 0;
        for (String id : vpnConnectionIds) {
            Optional<Session> s = sessions.byId(id);
            if (s.isPresent()) {
                LOG.info("disconnecting {} (CN={} thumbprint {}): {}", id, s.get().userName(), s.get().thumbprint(), reason);
                endByCore(s.get(), reason);
                n++;
            }
        }
        return n;
    }

    @Override
    public void addListener(SessionListener listener) {
        listeners.add(listener);
    }

    /**
     * "error: ..." while a snapshot was rejected or a listener failed (each cleared when it works again), else the
     * TUN's state, followed by the enabled tunnel types that have no server yet.
     */
    @Override
    public String status() {
        List<String> errors = new ArrayList<>();
        snapshotError.ifPresent(errors::add);
        errors.addAll(transportErrors.values());
        String tun = status;
        if (!errors.isEmpty()) {
            return "error: " + String.join("; ", errors) + (tun.startsWith("error: ") ? "; " + tun.substring(7) : "");
        }
        Optional<GatewaySnapshot> s = current;
        List<TunnelType> notServed = s.isEmpty() ? List.of() : servers.notServed(s.get().tunnelTypes());
        return notServed.isEmpty() ? tun : tun + "; not served yet: "
                + String.join(", ", notServed.stream().map(TunnelType::armName).toList());
    }

    @Override
    public List<TunnelTypeStatus> tunnelTypes() {
        Optional<GatewaySnapshot> s = current;
        if (s.isEmpty()) {
            return List.of();
        }
        List<TunnelTypeStatus> out = new ArrayList<>();
        for (TunnelType t : s.get().tunnelTypes().stream().sorted().toList()) {
            if (!servers.implemented(t)) {
                out.add(new TunnelTypeStatus(t, false, "not served yet: " + TunnelTypeServers.notServedYet(t)));
                continue;
            }
            List<String> up = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            if (config.streamProtocols().stream().anyMatch(p -> p.tunnelType() == t)) {
                String tcp = tcpListenerName();
                (acceptor.isRunning() ? up : failed).add(acceptor.isRunning() ? tcp
                        : transportErrors.getOrDefault(tcp, tcp + " not listening"));
            }
            for (DatagramService d : config.datagramServices()) {
                if (d.tunnelType() == t) {
                    boolean running;
                    synchronized (lock) {
                        running = runningDatagram.containsKey(d);
                    }
                    (running ? up : failed).add(running ? d.name() : transportErrors.getOrDefault(d.name(), d.name() + " not started"));
                }
            }
            String detail = (up.isEmpty() ? "" : "served on " + String.join(", ", up))
                    + (failed.isEmpty() ? "" : (up.isEmpty() ? "" : "; ") + "error: " + String.join("; ", failed));
            out.add(new TunnelTypeStatus(t, !up.isEmpty(), detail));
        }
        return out;
    }

    private String tcpListenerName() {
        return "TCP " + config.tcpPort();
    }

    @Override
    public void close() {
        clear();
        preAuthTimer.shutdownNow();
        acceptor.shutdown();
        udp.close();
        router.close();
    }

    // ---------------------------------------------------------------- GatewayCore (protocol side)

    @Override
    public Optional<GatewaySnapshot> snapshot() {
        return current;
    }

    @Override
    public PreAuthBudget preAuth() {
        return preAuth;
    }

    @Override
    public Admission admit(AdmissionRequest request) {
        TunnelType type = request.tunnelType();
        X509Certificate leaf = request.clientChain().getFirst();
        Session session;
        synchronized (lock) {
            Optional<GatewaySnapshot> snap = current;
            if (snap.isEmpty() || !snap.get().tunnelTypes().contains(type)) {
                return refuse(request, RefusalReason.NOT_CONFIGURED, "unknown", "unknown",
                        "tunnel type " + type.armName() + " is not enabled on this gateway");
            }
            GatewaySnapshot s = snap.get();
            PolicyDecision d = CertificatePolicy.evaluate(request.clientChain(), s, config.clock().instant());
            if (d instanceof PolicyDecision.Rejected r) {
                return refuse(request, r.reason(), r.commonName(), r.thumbprint(), r.detail());
            }
            PolicyDecision.Accepted ok = (PolicyDecision.Accepted) d;
            int cap = s.limits().forType(type);
            // The cap is the gateway's: the sessions its other instances hold count too (issue 17).
            int elsewhere = s.limits().elsewhere(type);
            int live = sessions.countSharingLimitWith(type) + elsewhere;
            if (live >= cap) {
                return refuse(request, RefusalReason.LIMIT_REACHED, ok.commonName(), ok.thumbprint(),
                        "the SKU allows " + cap + " concurrent " + (type == TunnelType.SSTP ? "SSTP" : "IKEv2/OpenVPN")
                                + " connections and " + live + " are connected"
                                + (elsewhere > 0 ? " (" + elsewhere + " of them to the gateway's other instances)" : ""));
            }
            AddressPool pool = pools.get(type);
            Optional<Long> address = pool == null ? Optional.empty() : pool.lease(ok.thumbprint());
            if (address.isEmpty()) {
                return refuse(request, RefusalReason.POOL_EXHAUSTED, ok.commonName(), ok.thumbprint(),
                        "no free address in the " + type.armName() + " part of the client address pool "
                                + (pool == null ? "[]" : pool.describe()));
            }
            session = new Session(Session.newConnectionId(type), type, ok.thumbprint(), ok.commonName(),
                    request.clientChain(), request.publicAddress(), address.get(), plan.prefixLengthOf(type),
                    Ipv4.format(plan.gatewayAddress()), s.routes(), s.dnsServers(), config.clock().instant(),
                    request.endpoint(), this, totals);
            sessions.add(session);
        }
        // Authenticated: the connection or peer it came from no longer counts against the pre-authentication budget.
        preAuth.admitted(request.publicAddress());
        metrics.admission(type, "admitted");
        LOG.info("{} admitted: CN={} thumbprint {} from {} got {}", session.connectionId(), session.userName(),
                session.thumbprint(), request.publicAddress(), session.address());
        emit(SessionEvent.Kind.CONNECTED, session.info(), "connected");
        return new Admission.Admitted(session.current());
    }

    @Override
    public Admission readmit(SessionHandle previous, AdmissionRequest request) {
        if (!(previous instanceof Session.Handle old) || !old.ownedBy(this)) {
            throw new IllegalArgumentException("not a session handle of this data plane: " + previous);
        }
        Session session = old.session();
        Session.Handle fresh;
        synchronized (lock) {
            Optional<GatewaySnapshot> snap = current;
            TunnelType type = request.tunnelType();
            if (snap.isEmpty() || !snap.get().tunnelTypes().contains(type)) {
                return refuse(request, RefusalReason.NOT_CONFIGURED, session.userName(), session.thumbprint(),
                        "re-admission to " + session.connectionId() + ": tunnel type " + type.armName()
                                + " is not enabled on this gateway");
            }
            PolicyDecision d = CertificatePolicy.evaluate(request.clientChain(), snap.get(), config.clock().instant());
            if (d instanceof PolicyDecision.Rejected r) {
                return refuse(request, r.reason(), r.commonName(), r.thumbprint(),
                        "re-admission to " + session.connectionId() + ": " + r.detail());
            }
            PolicyDecision.Accepted ok = (PolicyDecision.Accepted) d;
            if (!ok.thumbprint().equals(session.thumbprint()) || type != session.tunnelType()) {
                return refuse(request, RefusalReason.NOT_SAME_CLIENT, ok.commonName(), ok.thumbprint(),
                        "re-admission to " + session.connectionId() + " (" + session.tunnelType().armName() + ", thumbprint "
                                + session.thumbprint() + ") by another client");
            }
            // Ended meanwhile (the old SA died first): no session to join; admitted afresh below.
            fresh = session.isClosed() ? null : session.takeOver(request.endpoint(), request.clientChain(), request.publicAddress());
        }
        if (fresh == null) {
            // A plain admission, which gives the certificate its previous address back while that is free.
            LOG.info("{} ended before its re-admission; admitting CN={} afresh", session.connectionId(), session.userName());
            return admit(request);
        }
        preAuth.admitted(request.publicAddress());
        metrics.admission(request.tunnelType(), "readmitted");
        LOG.info("{} re-admitted: CN={} thumbprint {} from {} keeps {}", session.connectionId(), session.userName(),
                session.thumbprint(), request.publicAddress(), session.address());
        return new Admission.Admitted(fresh);
    }

    private Admission refuse(AdmissionRequest request, RefusalReason reason, String cn, String thumbprint, String detail) {
        metrics.admission(request.tunnelType(), reason.name());
        String id = Session.newConnectionId(request.tunnelType());
        // Never key material: the CN and the thumbprint identify the certificate.
        LOG.warn("{} refused ({}): CN={} thumbprint {} from {}: {}", id, reason, cn, thumbprint, request.publicAddress(),
                detail);
        SessionInfo info = new SessionInfo(id, request.tunnelType(), cn, thumbprint, request.publicAddress(), "",
                config.clock().instant(), 0, 0, 0, 0);
        emit(SessionEvent.Kind.REFUSED, info, reason.name().toLowerCase(java.util.Locale.ROOT) + ": " + detail);
        return new Admission.Refused(reason, detail);
    }

    // ---------------------------------------------------------------- Session.Owner

    @Override
    public void forwardFromClient(Session session, ByteBuffer ipPacket) {
        router.routeFromClient(session, ipPacket);
    }

    @Override
    public void handleClosedByProtocol(Session.Handle handle, String reason) {
        Session session = handle.session();
        boolean superseded;
        synchronized (lock) {
            // Under the lock: a re-admission (which makes a new handle current) and this close see each other whole.
            if (!handle.markClosed() || session.isClosed()) {
                return; // closed already, or the session was ended by the core or through its newer handle
            }
            superseded = session.current() != handle;
            if (!superseded) {
                finishLocked(session);
            }
        }
        if (superseded) {
            LOG.info("{}: a superseded {} endpoint ended ({}); the session goes on", session.connectionId(),
                    session.tunnelType().armName(), reason);
            return;
        }
        LOG.info("{} ended by {}: {}", session.connectionId(), session.tunnelType().armName(), reason);
        emit(SessionEvent.Kind.DISCONNECTED, session.info(), reason);
        closeEndpoints(session, reason);
    }

    @Override
    public int tunnelMtu() {
        return Math.min(DataPlaneConfig.TUNNEL_MTU, config.tunMtu());
    }

    /** Ends a session from the core's side: frees it now, tells the protocol on a virtual thread. */
    private void endByCore(Session session, String reason) {
        boolean ended;
        synchronized (lock) {
            ended = finishLocked(session);
        }
        if (ended) {
            emit(SessionEvent.Kind.DISCONNECTED, session.info(), reason);
            closeEndpoints(session, reason);
        }
    }

    /** Tells every endpoint of an ended session that is still open, on a virtual thread each. */
    private static void closeEndpoints(Session session, String reason) {
        for (Session.Handle h : session.openHandles()) {
            if (!h.markClosed()) {
                continue;
            }
            // TunnelEndpoint.close may talk to the client; never under our lock, never on the caller's thread.
            Thread.ofVirtual().name("close-" + session.connectionId()).start(() -> {
                try {
                    h.endpoint().close(reason);
                } catch (RuntimeException e) {
                    LOG.warn("{}: endpoint close failed: {}", session.connectionId(), e.toString());
                }
            });
        }
    }

    /** Removes an ended session and frees its lease; true only the first time. Called with {@link #lock} held. */
    private boolean finishLocked(Session session) {
        if (!session.markClosed()) {
            return false;
        }
        sessions.remove(session);
        AddressPool p = pools.get(session.tunnelType());
        if (p != null) {
            p.release(session.addressValue());
        }
        return true;
    }

    private void emit(SessionEvent.Kind kind, SessionInfo info, String reason) {
        SessionEvent e = new SessionEvent(kind, config.clock().instant(), info, reason);
        for (SessionListener l : listeners) {
            try {
                l.onEvent(e);
            } catch (RuntimeException ex) {
                LOG.warn("session listener failed on {}: {}", kind, ex.toString());
            }
        }
    }

    /**
     * Uses a TUN device that the caller created and configured (address, route to the pool, forwarding), for
     * deployments and tests where the device lives in another network namespace than this process. Only with
     * {@code manageTun=false}; the core then never runs {@code ip} itself.
     */
    public void useExternalTun(io.p2sgw.dataplane.tun.TunDevice device) {
        if (config.manageTun()) {
            throw new IllegalStateException("this data plane manages its own TUN (manageTun=true)");
        }
        synchronized (lock) {
            router.attach(device);
            status = "running: external TUN " + device.name();
        }
    }

    /** The TCP port actually bound (tests bind port 0). */
    public int tcpPort() {
        return acceptor.localAddress().getPort();
    }
}
