package io.p2sgw.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.p2sgw.api.arm.ApiSettings;
import io.p2sgw.api.arm.ArmRoutes;
import io.p2sgw.api.arm.GatewayActions;
import io.p2sgw.api.arm.GatewayWrites;
import io.p2sgw.api.arm.Operations;
import io.p2sgw.control.instance.SharedSessions;
import io.p2sgw.control.store.Database;
import io.p2sgw.api.auth.BearerAuth;
import io.p2sgw.api.auth.TokenService;
import io.p2sgw.api.http.ArmErrorHandler;
import io.p2sgw.api.http.CloudErrors;
import io.p2sgw.api.packages.PackageDownloads;
import io.p2sgw.api.packages.PackageRoutes;
import io.p2sgw.api.portal.PortalAssets;
import io.p2sgw.api.provider.ProviderRoutes;
import io.p2sgw.control.ArmException;
import io.p2sgw.control.clientpackage.ClientPackageBuilder;
import io.p2sgw.control.service.NetworkService;
import io.p2sgw.dataplane.api.DataPlane;
import io.p2sgw.pki.ServerIdentity;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS server of the control plane: the ARM-shaped API, p2sgw's own provider, package downloads,
 * Prometheus metrics and the portal, all on one listener (default 8443) with the gateway's server
 * certificate. Every API path needs a bearer token; downloads carry their own token; the portal is public
 * static files.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    private final Javalin app;
    private final ScheduledExecutorService provisioning;
    private final InetSocketAddress listen;

    private ApiServer(Builder b) {
        this.listen = b.listen;
        this.provisioning = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "p2sgw-provisioning");
            t.setDaemon(true);
            return t;
        });
        Operations operations = new Operations(b.clock, b.store);
        BearerAuth auth = new BearerAuth(b.tokens);
        GatewayWrites writes = new GatewayWrites(b.network, operations, b.settings, provisioning);
        GatewayActions actions = new GatewayActions(b.network, b.dataPlane, b.servedGatewayId, operations, writes,
                b.downloads, b.packageBuilder, b.settings, b.clock, b.sharedSessions, b.otherInstanceAddresses);
        ArmRoutes arm = new ArmRoutes(b.network, operations, actions, writes, b.settings);
        ProviderRoutes provider = new ProviderRoutes(b.tokens, b.dataPlane, b.servedGatewayId, b.version, b.settings.served());
        SslContextFactory.Server ssl = sslContext(b.identity);

        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.maxRequestSize = io.p2sgw.api.http.Json.MAX_BODY_BYTES;
            // /portal and /portal/ differ: the portal's relative asset URLs need the slash.
            cfg.router.ignoreTrailingSlashes = false;
            cfg.router.treatMultipleSlashesAsSingleSlash = true;
            // Requests Jetty refuses before routing (431, 400) and errors the servlet layer sends get ARM bodies too.
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new ArmErrorHandler()));
            cfg.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new ArmErrorHandler()));
            cfg.jetty.addConnector((server, httpConfig) -> {
                HttpConfiguration https = new HttpConfiguration(httpConfig);
                // Clients reach us by IP as often as by name; the certificate carries both, so no SNI host check.
                https.addCustomizer(new SecureRequestCustomizer(false));
                ServerConnector c = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                        new HttpConnectionFactory(https));
                c.setHost(listen.getHostString());
                c.setPort(listen.getPort());
                return c;
            });
        });
        app.before("/subscriptions/*", auth::authenticate);
        app.before("/providers/*", auth::authenticate);
        app.before("/metrics", auth::authenticate);
        app.exception(ArmException.class, (e, ctx) -> CloudErrors.write(ctx, e));
        app.exception(HttpResponseException.class, (e, ctx) ->
                CloudErrors.write(ctx, e.getStatus(), CloudErrors.codeForStatus(e.getStatus()), e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            CloudErrors.write(ctx, 500, "InternalServerError", "The request failed inside p2sgw; the server log has the details.");
        });
        app.error(404, ctx -> {
            if (ctx.resultInputStream() == null) {
                CloudErrors.write(ctx, 404, "NotFound", "No p2sgw API at '" + ctx.path() + "'.");
            }
        });
        arm.register(app);
        provider.register(app);
        new PackageRoutes(b.downloads).register(app);
        new PortalAssets().register(app);
        app.get("/metrics", ctx -> metrics(ctx, b.metrics));
        app.get("/healthz", ctx -> ctx.result("ok"));
    }

    private static void metrics(Context ctx, Optional<PrometheusMeterRegistry> registry) {
        if (registry.isEmpty()) {
            throw ArmException.notFound("MetricsDisabled", "This server runs without a Prometheus registry.");
        }
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
        ctx.result(registry.get().scrape());
    }

    private static SslContextFactory.Server sslContext(ServerIdentity identity) {
        try {
            byte[] pw = new byte[18];
            new SecureRandom().nextBytes(pw);
            char[] password = Base64.getEncoder().encodeToString(pw).toCharArray();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("p2sgw", identity.privateKey(), password, identity.chain().toArray(new Certificate[0]));
            SslContextFactory.Server f = new SslContextFactory.Server();
            f.setKeyStore(ks);
            f.setKeyStorePassword(new String(password));
            f.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            return f;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot set up the API's TLS identity: " + e.getMessage(), e);
        }
    }

    public ApiServer start() {
        app.start();
        LOG.info("API listening on https://{}:{}/ (portal at /portal/)", listen.getHostString(), port());
        return this;
    }

    /** The bound port (tests listen on port 0). */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
        provisioning.shutdownNow();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** All collaborators are required except metrics. */
    public static final class Builder {
        private InetSocketAddress listen;
        private ServerIdentity identity;
        private NetworkService network;
        private Database store;
        private Optional<SharedSessions> sharedSessions = Optional.empty();
        private Supplier<List<String>> otherInstanceAddresses = List::of;
        private TokenService tokens;
        private DataPlane dataPlane;
        private Supplier<Optional<String>> servedGatewayId;
        private ApiSettings settings;
        private PackageDownloads downloads;
        private ClientPackageBuilder packageBuilder;
        private Optional<PrometheusMeterRegistry> metrics = Optional.empty();
        private Clock clock = Clock.systemUTC();
        private String version = "dev";

        public Builder listen(InetSocketAddress a) { this.listen = a; return this; }
        public Builder identity(ServerIdentity i) { this.identity = i; return this; }
        public Builder network(NetworkService n) { this.network = n; return this; }
        /** The store that long-running operations are kept in (shared by the instances of a PostgreSQL store). */
        public Builder store(Database d) { this.store = d; return this; }
        /** Every instance's sessions, for an instance that shares its store with others (issue 17). */
        public Builder sharedSessions(SharedSessions s) { this.sharedSessions = Optional.ofNullable(s); return this; }
        /** The public addresses of the gateway's other live instances, which client packages list after this one's. */
        public Builder otherInstanceAddresses(Supplier<List<String>> s) { this.otherInstanceAddresses = s; return this; }
        public Builder tokens(TokenService t) { this.tokens = t; return this; }
        public Builder dataPlane(DataPlane d) { this.dataPlane = d; return this; }
        public Builder servedGatewayId(Supplier<Optional<String>> s) { this.servedGatewayId = s; return this; }
        public Builder settings(ApiSettings s) { this.settings = s; return this; }
        public Builder downloads(PackageDownloads d) { this.downloads = d; return this; }
        public Builder packageBuilder(ClientPackageBuilder p) { this.packageBuilder = p; return this; }
        public Builder metrics(PrometheusMeterRegistry r) { this.metrics = Optional.ofNullable(r); return this; }
        public Builder clock(Clock c) { this.clock = c; return this; }
        public Builder version(String v) { this.version = v; return this; }

        public ApiServer build() {
            Objects.requireNonNull(listen, "listen");
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(tokens, "tokens");
            Objects.requireNonNull(dataPlane, "dataPlane");
            Objects.requireNonNull(servedGatewayId, "servedGatewayId");
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(downloads, "downloads");
            Objects.requireNonNull(packageBuilder, "packageBuilder");
            return new ApiServer(this);
        }
    }
}
