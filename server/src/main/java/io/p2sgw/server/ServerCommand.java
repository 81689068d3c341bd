package io.p2sgw.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.p2sgw.api.auth.AdminTokenConflictException;
import io.p2sgw.control.instance.SharedStateConflictException;
import io.p2sgw.control.store.StoreInUseException;
import io.p2sgw.dataplane.core.DataPlaneConfig;
import io.p2sgw.dataplane.preauth.PreAuthLimits;
import io.p2sgw.ikev2.server.IkeV2ServerConfig;
import io.p2sgw.openvpn.server.OpenVpnServerConfig;
import io.p2sgw.tls.CryptoProviders;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code p2sgw server}: runs the gateway (API, portal, data plane) until SIGINT/SIGTERM. */
@Command(name = "server", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Run the gateway: the ARM-shaped REST API and portal over HTTPS, and the VPN data plane",
            "(OpenVPN on TCP 443 and UDP 1194, a TUN device for the client pool).",
            "",
            "First start creates the data directory with the store (SQLite), the gateway CA and server",
            "certificate (pki/), and an admin API token (admin-token, mode 0600). The served gateway is",
            "--gateway, else the oldest gateway with a point-to-site configuration; API changes apply at once.",
            "Needs root (or CAP_NET_ADMIN + CAP_NET_BIND_SERVICE) for the TUN device and port 443."})
public final class ServerCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:P2SGW_DATA_DIR:-./data}",
            description = "Store, PKI and admin token. Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(names = "--api-listen", paramLabel = "HOST:PORT", defaultValue = "0.0.0.0:8443",
            description = "Address of the HTTPS API and portal. Default: ${DEFAULT-VALUE}.")
    String apiListen;

    @Option(names = "--public-address", paramLabel = "IP",
            description = "Address VPN listeners bind to and client packages point at. Default: the first global IPv4"
                    + " address of this host (0.0.0.0 is bound when not given).")
    String publicAddress;

    @Option(names = "--server-name", paramLabel = "NAME",
            description = "Name clients connect to (server certificate DNS name). Default: the public address.")
    String serverName;

    @Option(names = "--database-url", paramLabel = "JDBC-URL",
            description = "jdbc:postgresql://host/db?user=..&password=.. for a shared store. Default: SQLite in the data dir.")
    String databaseUrl;

    @Option(names = "--instance-name", paramLabel = "NAME",
            description = "This instance's stable name among the instances sharing a PostgreSQL store (its slice of an"
                    + " active-active pool stays with the name across restarts). Default: the public address.")
    String instanceName;

    @Option(names = "--gateway", paramLabel = "ARM-ID",
            description = "The gateway this host serves (its ARM id). Default: the oldest with a P2S configuration.")
    String gateway;

    @Option(names = "--tcp-port", paramLabel = "PORT", defaultValue = "" + DataPlaneConfig.DEFAULT_TCP_PORT,
            description = "Shared TLS port of the stream protocols (OpenVPN TCP, later SSTP). Default: ${DEFAULT-VALUE}.")
    int tcpPort;

    @Option(names = "--openvpn-udp-port", paramLabel = "PORT", defaultValue = "" + OpenVpnServerConfig.DEFAULT_UDP_PORT,
            description = "OpenVPN UDP port. Default: ${DEFAULT-VALUE}.")
    int udpPort;

    @Option(names = "--ike-port", paramLabel = "PORT", defaultValue = "" + IkeV2ServerConfig.DEFAULT_IKE_PORT,
            description = "IKEv2 UDP port (IKE_SA_INIT). Default: ${DEFAULT-VALUE}.")
    int ikePort;

    @Option(names = "--ike-nat-port", paramLabel = "PORT", defaultValue = "" + IkeV2ServerConfig.DEFAULT_NAT_T_PORT,
            description = "IKEv2 NAT-traversal UDP port (IKE after IKE_SA_INIT, and ESP-in-UDP). Default: ${DEFAULT-VALUE}.")
    int ikeNatPort;

    @Option(names = "--ike-dpd-idle", paramLabel = "SECONDS", defaultValue = "30",
            description = "IKEv2 dead peer detection: a liveness check after this many silent seconds; a client that"
                    + " does not answer it within about 46 s more is gone and its address freed. Default: ${DEFAULT-VALUE}.")
    long ikeDpdIdleSeconds;

    @Option(names = "--ike-child-lifetime", paramLabel = "SECONDS", defaultValue = "7200",
            description = {"IKEv2 CHILD SA lifetime: the gateway rekeys a CHILD SA the client has not rekeyed at 80-90 %",
                "of it and ends the IKE SA at 100 % if no rekey succeeded (RFC 7296 2.8). 0: no lifetime (a rekey only",
                "before the ESP sequence numbers run out). At least 10. Default: ${DEFAULT-VALUE}."})
    long ikeChildLifetimeSeconds;

    @Option(names = "--ike-legacy-dh-groups", paramLabel = "true|false", defaultValue = "true", arity = "1",
            description = {"Accept the legacy IKEv2 DH group MODP-1024 (group 2), as Azure does: Windows' built-in client",
                "offers only MODP-1024 unless the client package's script configures strong parameters. false refuses",
                "it (NO_PROPOSAL_CHOSEN) when every Windows client runs the script. Default: ${DEFAULT-VALUE}."})
    boolean ikeLegacyDhGroups;

    @Option(names = "--eap-tls-require-extended-master-secret", paramLabel = "true|false", defaultValue = "false",
            arity = "1", description = {"EAP-TLS (IKEv2's Windows and strongSwan eap-tls clients, SSTP): refuse a TLS 1.2",
                "client that offers no extended master secret (RFC 7627 §5.4) instead of keying it the RFC 5216 way.",
                "strongSwan 5.9's eap-tls (Azure's Linux set-up, leftauth=eap-tls) is such a client. Default: ${DEFAULT-VALUE}."})
    boolean eapTlsRequireExtendedMasterSecret;

    @Option(names = "--sstp-hello-interval", paramLabel = "SECONDS", defaultValue = "60",
            description = {"SSTP Hello timer ([MS-SSTP] 3.3.2.1): after this many silent seconds an ECHO_REQUEST; a client",
                "that stays silent as long again is dropped and its address freed. Default: ${DEFAULT-VALUE}."})
    long sstpHelloIntervalSeconds;

    @Option(names = "--tun", paramLabel = "NAME", defaultValue = DataPlaneConfig.DEFAULT_TUN_NAME,
            description = "TUN device name. Default: ${DEFAULT-VALUE}.")
    String tunName;

    @Option(names = "--no-tun", description = "Run without a TUN device (no root needed; VPN clients connect but packets"
            + " to the VNet are dropped). For trying the API and portal.")
    boolean noTun;

    @Option(names = "--preauth-deadline", paramLabel = "SECONDS",
            defaultValue = "" + PreAuthLimits.DEFAULT_DEADLINE_SECONDS,
            description = {"How long a client may take from TCP accept (or the UDP datagram that started its handshake)",
                "to authentication, whatever it sends meanwhile; then it is closed. Default: ${DEFAULT-VALUE}."})
    long preAuthDeadlineSeconds;

    @Option(names = "--preauth-per-source", paramLabel = "N", defaultValue = "" + PreAuthLimits.DEFAULT_PER_SOURCE,
            description = "Unauthenticated connections or handshakes one source address may hold. Default: ${DEFAULT-VALUE}.")
    int preAuthPerSource;

    @Option(names = "--preauth-total", paramLabel = "N", defaultValue = "" + PreAuthLimits.DEFAULT_TOTAL,
            description = "Unauthenticated connections or handshakes the gateway holds in all. Default: ${DEFAULT-VALUE}.")
    int preAuthTotal;

    @Option(names = "--crypto", paramLabel = "PROVIDER", defaultValue = "${sys:p2sgw.crypto:-fast}",
            description = {"Cryptography under TLS and the data channel: fast = AWS-LC (Amazon Corretto Crypto Provider,",
                "bundled for Linux x86-64; elsewhere a warning and the JDK's) for RSA, AES-GCM, HMAC and SHA, and",
                "Bouncy Castle for X25519; jdk = the JDK's providers only. Default: ${DEFAULT-VALUE}."})
    String crypto;

    @Option(names = "--package-ttl", paramLabel = "MINUTES", defaultValue = "60",
            description = "How long a client package download link works without a token. Default: ${DEFAULT-VALUE}.")
    long packageTtlMinutes;

    @Option(names = "--new-admin-token", description = "Make a new admin token in the data directory even though the"
            + " store has one (e.g. the admin-token file was lost); the old admin token stops working.")
    boolean newAdminToken;

    @Override
    public Integer call() throws Exception {
        InetSocketAddress listen = parseListen(apiListen);
        CryptoProviders.Choice cryptoChoice;
        try {
            cryptoChoice = CryptoProviders.Choice.parse(crypto);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--crypto must be fast or jdk (got '" + crypto + "')");
        }
        // Before anything touches JSSE (CryptoProviders says why).
        CryptoProviders.use(cryptoChoice);
        P2sgwServer.Builder b = P2sgwServer.builder()
                .dataDir(dataDir.toAbsolutePath().normalize())
                .apiListen(listen)
                .databaseUrl(databaseUrl)
                .publicAddress(publicAddress)
                .serverName(serverName)
                .instanceName(instanceName)
                .gateway(gateway)
                .tcpPort(tcpPort)
                .openVpnUdpPort(udpPort)
                .packageTtl(Duration.ofMinutes(packageTtlMinutes))
                .newAdminToken(newAdminToken);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        InetAddress bind = publicAddress == null ? InetAddress.getByName("0.0.0.0") : InetAddress.getByName(publicAddress);
        PreAuthLimits preAuth;
        try {
            preAuth = new PreAuthLimits(java.time.Duration.ofSeconds(preAuthDeadlineSeconds), preAuthPerSource, preAuthTotal);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--preauth-*: " + e.getMessage());
        }
        DataPlanes.Options o = dataPlaneOptions(bind, preAuth);
        b.metrics(registry).dataPlaneFactory(identity -> DataPlanes.create(identity, o, registry));
        if (sstpHelloIntervalSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--sstp-hello-interval must be at least 1 second");
        }
        if (ikeDpdIdleSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--ike-dpd-idle must be at least 1 second");
        }
        if (ikeChildLifetimeSeconds != 0
                && ikeChildLifetimeSeconds < io.p2sgw.ikev2.engine.ChildLifetime.MINIMUM.toSeconds()) {
            throw new ParameterException(spec.commandLine(), "--ike-child-lifetime must be 0 or at least "
                    + io.p2sgw.ikev2.engine.ChildLifetime.MINIMUM.toSeconds() + " seconds");
        }
        if (packageTtlMinutes <= 0) {
            throw new ParameterException(spec.commandLine(), "--package-ttl must be at least 1 minute");
        }
        P2sgwServer server = b.build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "p2sgw-shutdown"));
        try {
            server.start();
        } catch (StoreInUseException | AdminTokenConflictException | SharedStateConflictException e) {
            // Not a fault: the operator has something to do, which the message says.
            spec.commandLine().getErr().println("p2sgw server: not started: " + e.getMessage());
            return 1;
        }
        spec.commandLine().getOut().printf("p2sgw is running. Portal: %s/portal/  admin token: %s%n", server.apiBaseUri(),
                server.heldAdminToken().isPresent() ? dataDir.toAbsolutePath().normalize().resolve("admin-token")
                        : "in the data directory of the instance that set up the store");
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }

    /** What the data plane is built with, from the options (a seam for the option-parsing tests). */
    DataPlanes.Options dataPlaneOptions(InetAddress bind, PreAuthLimits preAuth) {
        return new DataPlanes.Options(bind, tcpPort, udpPort, ikePort, ikeNatPort,
                java.time.Duration.ofSeconds(ikeDpdIdleSeconds), ikeLegacyDhGroups,
                java.time.Duration.ofSeconds(Math.max(0, ikeChildLifetimeSeconds)), !eapTlsRequireExtendedMasterSecret,
                java.time.Duration.ofSeconds(sstpHelloIntervalSeconds), tunName, !noTun, preAuth);
    }

    private InetSocketAddress parseListen(String s) throws UnknownHostException {
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new ParameterException(spec.commandLine(), "--api-listen must be HOST:PORT, e.g. 0.0.0.0:8443 (got '" + s + "')");
        }
        String host = s.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "--api-listen port must be a number (got '" + s + "')");
        }
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--api-listen port must be 0..65535");
        }
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

}
