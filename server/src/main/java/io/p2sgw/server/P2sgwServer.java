package io.p2sgw.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.p2sgw.api.ApiServer;
import io.p2sgw.api.arm.ApiSettings;
import io.p2sgw.api.arm.ListPages;
import io.p2sgw.api.auth.TokenService;
import io.p2sgw.api.packages.PackageDownloads;
import io.p2sgw.control.clientpackage.ServedEndpoints;
import io.p2sgw.control.instance.InstanceRegistry;
import io.p2sgw.control.instance.SharedGatewayCa;
import io.p2sgw.control.instance.SharedSessions;
import io.p2sgw.control.instance.StoreChangeWatcher;
import io.p2sgw.control.clientpackage.ZipClientPackageBuilder;
import io.p2sgw.control.service.NetworkService;
import io.p2sgw.control.snapshot.GatewayPublisher;
import io.p2sgw.control.store.Database;
import io.p2sgw.control.store.GatewayCaRepository;
import io.p2sgw.control.store.TokenRepository;
import io.p2sgw.dataplane.api.DataPlane;
import io.p2sgw.dataplane.api.SessionEvent;
import io.p2sgw.pki.GatewayCa;
import io.p2sgw.pki.Pem;
import io.p2sgw.pki.ServerIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One p2sgw host: the store, the control plane, the API with its portal, and the data plane, wired so that
 * every committed write is compiled into a snapshot and applied to the data plane at once (DESIGN.md "Two
 * planes"). The served gateway is {@code --gateway} when given, else the oldest gateway with a point-to-site
 * configuration.
 */
public final class P2sgwServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(P2sgwServer.class);
    /** The PEM of the CA that issued the server certificate: what API clients and VPN clients trust. */
    public static final String CA_FILE = "pki/ca.pem";

    private final Builder cfg;
    private Database database;
    private NetworkService network;
    private DataPlane dataPlane;
    private GatewayPublisher publisher;
    private InstanceRegistry instances;
    private ScheduledExecutorService background;
    private StoreChangeWatcher watcher;
    private volatile SharedSessions sharedSessions;
    private ApiServer api;
    private ServerIdentity identity;
    private Optional<String> adminToken = Optional.empty();
    private URI apiBaseUri;
    private boolean started;

    private P2sgwServer(Builder cfg) {
        this.cfg = cfg;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts everything; on failure, whatever was started is closed again. */
    public synchronized P2sgwServer start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        try {
            createPrivateDirectory(cfg.dataDir);
            String url = cfg.databaseUrl.orElse(Database.sqliteUrl(cfg.dataDir));
            database = Database.openForServer(url, null, null);
            LOG.info("store: {}", database.describe());
            instances = new InstanceRegistry(database, Clock.systemUTC(), cfg.instanceName(), cfg.publicAddress(),
                    InstanceRegistry.LAPSE, database.isSqlite());
            instances.register();
            background = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "p2sgw-instance");
                t.setDaemon(true);
                return t;
            });
            long beat = InstanceRegistry.HEARTBEAT_INTERVAL.toMillis();
            background.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
            network = new NetworkService(database);
            TokenService tokens = new TokenService(new TokenRepository(database), new SecureRandom());
            adminToken = tokens.bootstrapAdmin(cfg.dataDir, cfg.newAdminToken);
            if (adminToken.isEmpty()) {
                LOG.info("the store's admin token was made by another instance; this data directory has no copy of it"
                        + " (copy that instance's {} here if you need it)", TokenService.ADMIN_TOKEN_FILE);
            }
            GatewayCa pki = new GatewayCa(Clock.systemUTC(), new SecureRandom());
            SharedGatewayCa.shareThroughStore(new GatewayCaRepository(database), pki, cfg.dataDir.resolve("pki"),
                    cfg.serverName(), cfg.instanceName());
            identity = pki.load(cfg.dataDir.resolve("pki"), cfg.serverName(), certificateAddresses());
            writeCaFile();
            LOG.info("server certificate for {} issued by {}", cfg.serverName(),
                    identity.caCertificate().getSubjectX500Principal().getName());
            dataPlane = cfg.dataPlane.isPresent() ? cfg.dataPlane.get() : cfg.dataPlaneFactory.apply(identity);
            dataPlane.addListener(P2sgwServer::logSessionEvent);
            // The SKU's caps count every instance's sessions (issue 17): the others' come from their session reports.
            publisher = new GatewayPublisher(network, dataPlane, cfg.gateway, cfg.serverName(), instances::current,
                    (gatewayId, sku) -> {
                        SharedSessions shared = sharedSessions;
                        return shared == null ? sku : shared.withSessionsElsewhere(gatewayId, sku);
                    });
            network.addChangeListener(publisher::refresh);
            instances.addListener(m -> publisher.refresh());
            if (database.isPostgresql()) {
                sharedSessions = new SharedSessions(database, instances.name(), dataPlane, publisher::servedGatewayId,
                        Clock.systemUTC(), InstanceRegistry.LAPSE);
                // A registration after a lapse (this instance was too slow) clears its report: write all of it again.
                instances.addRegistrationListener(sharedSessions::forgetReported);
                // Writes through the other instances (issue 17): their instance changes, their desired state, and the
                // disconnects they ask of this one.
                watcher = StoreChangeWatcher.start(database, cfg.storeCheckInterval, () -> {
                    instances.look();
                    publisher.refresh();
                    sharedSessions.actOnDisconnectRequests();
                });
            }
            network.finishAllProvisioning();
            publisher.refresh();
            LOG.info("data plane: {}; serving {}", dataPlane.status(), publisher.servedGatewayId().orElse("no gateway yet"
                    + " (the oldest gateway with a point-to-site configuration will be served)"));
            PrometheusMeterRegistry registry = cfg.metrics.orElseGet(() -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
            api = ApiServer.builder()
                    .listen(cfg.apiListen)
                    .identity(identity)
                    .network(network)
                    .store(database)
                    .sharedSessions(sharedSessions)
                    .otherInstanceAddresses(() -> instances.current().live().stream()
                            .filter(r -> !r.name().equals(cfg.instanceName())).map(r -> r.publicAddress()).toList())
                    .tokens(tokens)
                    .dataPlane(dataPlane)
                    .servedGatewayId(publisher::servedGatewayId)
                    .settings(new ApiSettings(cfg.served(), identity.caCertificate(), cfg.provisioningDelay,
                            cfg.listPageSize))
                    .downloads(new PackageDownloads(Clock.systemUTC(), cfg.packageTtl, new SecureRandom(), database))
                    .packageBuilder(new ZipClientPackageBuilder())
                    .metrics(registry)
                    .version(Version.current())
                    .build()
                    .start();
            String host = cfg.apiListen.getAddress() == null || cfg.apiListen.getAddress().isAnyLocalAddress()
                    ? cfg.publicAddress() : cfg.apiListen.getHostString();
            apiBaseUri = URI.create("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + api.port());
            LOG.info("ready: API and portal at {} (admin token {})", apiBaseUri + "/portal/", adminToken.isPresent()
                    ? "in " + cfg.dataDir.resolve(TokenService.ADMIN_TOKEN_FILE) : "held by the instance that made it");
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void heartbeat() {
        try {
            instances.heartbeat();
            SharedSessions shared = sharedSessions;
            if (shared != null) {
                shared.report();
                // The other instances' latest reports, into this instance's connection caps.
                publisher.refresh();
            }
        } catch (RuntimeException e) {
            // The store is unreachable: keep serving what was applied; the next heartbeat tries again.
            LOG.warn("instance heartbeat failed: {}", e.toString());
        }
    }

    private static void logSessionEvent(SessionEvent e) {
        var s = e.session();
        switch (e.kind()) {
            case CONNECTED -> LOG.info("session {} connected: {} (thumbprint {}) from {} got {}", s.vpnConnectionId(),
                    s.userName(), s.thumbprint(), s.publicAddress(), s.privateAddress());
            case DISCONNECTED -> LOG.info("session {} of {} ended: {}", s.vpnConnectionId(), s.userName(), e.reason());
            case REFUSED -> LOG.info("client {} refused: {}", s == null ? "?" : s.publicAddress(), e.reason());
        }
    }

    /** IP SANs of the server certificate: the public address, the API address, and loopback for local tools. */
    private List<String> certificateAddresses() {
        List<String> ips = new ArrayList<>();
        if (isIpLiteral(cfg.publicAddress())) {
            ips.add(cfg.publicAddress());
        }
        InetAddress listen = cfg.apiListen.getAddress();
        if (listen != null && !listen.isAnyLocalAddress()) {
            ips.add(listen.getHostAddress());
        }
        ips.add("127.0.0.1");
        return ips.stream().distinct().toList();
    }

    static boolean isIpLiteral(String s) {
        return s.matches("\\d{1,3}(\\.\\d{1,3}){3}") || s.contains(":");
    }

    private void writeCaFile() {
        Path f = cfg.dataDir.resolve(CA_FILE);
        try {
            String pem = Pem.certificatesToPem(List.of(identity.caCertificate()));
            if (!Files.exists(f) || !Files.readString(f, StandardCharsets.UTF_8).equals(pem)) {
                Files.writeString(f, pem, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + f, e);
        }
    }

    private static void createPrivateDirectory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** {@code https://host:port}, without a trailing slash (like ARM's endpoint). */
    public URI apiBaseUri() {
        return apiBaseUri;
    }

    /**
     * The store's admin token, when this instance's data directory holds it.
     *
     * @throws IllegalStateException when another instance made the store's admin token ({@link #heldAdminToken()})
     */
    public String adminToken() {
        return adminToken.orElseThrow(() -> new IllegalStateException("this instance joined a store whose admin token"
                + " another instance made"));
    }

    /** The store's admin token if this instance's data directory holds it; empty on an instance that joined a store. */
    public Optional<String> heldAdminToken() {
        return adminToken;
    }

    public X509Certificate caCertificate() {
        return identity.caCertificate();
    }

    public Path caFile() {
        return cfg.dataDir.resolve(CA_FILE);
    }

    public DataPlane dataPlane() {
        return dataPlane;
    }

    public Optional<String> servedGatewayId() {
        return publisher == null ? Optional.empty() : publisher.servedGatewayId();
    }

    @Override
    public synchronized void close() {
        // First what could apply a snapshot to a data plane being closed.
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
        if (background != null) {
            background.shutdownNow();
            background = null;
        }
        if (api != null) {
            try {
                api.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the API: {}", e.toString());
            }
            api = null;
        }
        if (dataPlane != null && cfg.dataPlane.isEmpty()) {
            try {
                dataPlane.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the data plane: {}", e.toString());
            }
        }
        dataPlane = null;
        if (instances != null) {
            try {
                instances.unregister();
            } catch (RuntimeException e) {
                LOG.warn("unregistering the instance (the others remove it once its heartbeat lapses): {}", e.toString());
            }
            instances = null;
        }
        if (database != null) {
            try {
                database.close();
            } catch (RuntimeException e) {
                LOG.warn("releasing the store: {}", e.toString());
            }
            database = null;
        }
    }

    /** Settings; everything has a default except the data directory. */
    public static final class Builder {
        private Path dataDir;
        private InetSocketAddress apiListen = new InetSocketAddress("0.0.0.0", 8443);
        private Optional<String> databaseUrl = Optional.empty();
        private Optional<String> publicAddress = Optional.empty();
        private Optional<String> serverName = Optional.empty();
        private Optional<String> instanceName = Optional.empty();
        private Optional<String> gateway = Optional.empty();
        private int tcpPort = ServedEndpoints.DEFAULT_TCP_PORT;
        private int openVpnUdpPort = ServedEndpoints.DEFAULT_OPENVPN_UDP_PORT;
        private Duration packageTtl = PackageDownloads.DEFAULT_TTL;
        private Duration provisioningDelay = ApiSettings.DEFAULT_PROVISIONING_DELAY;
        private int listPageSize = ListPages.DEFAULT_PAGE_SIZE;
        private Optional<DataPlane> dataPlane = Optional.empty();
        private Function<ServerIdentity, DataPlane> dataPlaneFactory;
        private Optional<PrometheusMeterRegistry> metrics = Optional.empty();
        private boolean newAdminToken;
        private Duration storeCheckInterval = StoreChangeWatcher.VERSION_CHECK_INTERVAL;

        public Builder dataDir(Path p) { this.dataDir = p; return this; }
        public Builder apiListen(InetSocketAddress a) { this.apiListen = a; return this; }
        public Builder databaseUrl(String url) { this.databaseUrl = Optional.ofNullable(url); return this; }
        public Builder publicAddress(String a) { this.publicAddress = Optional.ofNullable(a); return this; }
        public Builder serverName(String n) { this.serverName = Optional.ofNullable(n); return this; }
        /** This instance's stable name among those sharing the store (issue 17). Default: the public address. */
        public Builder instanceName(String n) { this.instanceName = Optional.ofNullable(n); return this; }
        public Builder gateway(String id) { this.gateway = Optional.ofNullable(id); return this; }
        /** The data plane's shared TLS port ({@code --tcp-port}); client packages name it. */
        public Builder tcpPort(int port) { this.tcpPort = port; return this; }
        /** OpenVPN's UDP port ({@code --openvpn-udp-port}); client packages name it. */
        public Builder openVpnUdpPort(int port) { this.openVpnUdpPort = port; return this; }
        public Builder packageTtl(Duration d) { this.packageTtl = d; return this; }
        public Builder provisioningDelay(Duration d) { this.provisioningDelay = d; return this; }
        /** The most items a page of an ARM list holds before its {@code nextLink}. */
        public Builder listPageSize(int n) { this.listPageSize = n; return this; }
        /** A data plane owned by the caller (tests); it is not closed with the server. */
        public Builder dataPlane(DataPlane d) { this.dataPlane = Optional.of(d); return this; }
        /** Builds the data plane once the server identity exists; closed with the server. */
        public Builder dataPlaneFactory(Function<ServerIdentity, DataPlane> f) { this.dataPlaneFactory = f; return this; }
        public Builder metrics(PrometheusMeterRegistry r) { this.metrics = Optional.ofNullable(r); return this; }
        /** Replace the store's admin token with a new one in this data directory (the old one stops working). */
        public Builder newAdminToken(boolean b) { this.newAdminToken = b; return this; }
        /**
         * How often an instance on a PostgreSQL store compares the store's change counter, in case it missed a
         * notification (tests make it long to show that notifications alone suffice).
         */
        public Builder storeCheckInterval(Duration d) { this.storeCheckInterval = d; return this; }

        String publicAddress() {
            return publicAddress.orElseGet(PublicAddress::guess);
        }

        String serverName() {
            return serverName.orElseGet(this::publicAddress);
        }

        String instanceName() {
            return instanceName.orElseGet(this::publicAddress);
        }

        /** What client packages point at: the server name, address and ports the data plane serves. */
        ServedEndpoints served() {
            return new ServedEndpoints(serverName(), publicAddress(), tcpPort, openVpnUdpPort);
        }

        public P2sgwServer build() {
            Objects.requireNonNull(dataDir, "dataDir");
            if (dataPlane.isEmpty() && dataPlaneFactory == null) {
                throw new IllegalStateException("a data plane or a data plane factory is required");
            }
            publicAddress = Optional.of(publicAddress());
            served(); // checks the ports before anything starts
            return new P2sgwServer(this);
        }
    }
}
