package io.p2sgw.lab.instances;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.p2sgw.cli.arm.ArmClient;
import io.p2sgw.lab.GatewayServer;
import io.p2sgw.lab.Lab;
import io.p2sgw.lab.LabException;
import io.p2sgw.lab.LabPostgres;
import io.p2sgw.lab.OpenVpnClient;
import io.p2sgw.lab.demo.SeedWalkthrough;
import io.p2sgw.pki.CertificateIssuer;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.KeyType;
import io.p2sgw.pki.Pem;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Issue 17 in the lab: one gateway served by two real p2sgw processes on one PostgreSQL. Instance {@code a} (slot 0)
 * runs in the seed's gateway namespace at 198.51.100.4, instance {@code b} (slot 1) in a second gateway namespace at
 * 198.51.100.5; both are given {@code --database-url} of a {@link LabPostgres} and the same {@code --server-name}, so
 * one client profile names both. The seed's network and an active-active gateway with point-to-site are written
 * through a's API; the VNet routes each instance's half of the pool to it ({@link #HALF} 0 and 1), as Azure's platform
 * does. Used by the interop test, {@code p2sgw demo --instances 2} and the instances benchmark.
 */
public final class TwoInstanceGateway implements AutoCloseable {
    /** The name both instances' certificates carry; the profile's first {@code remote} (the lab maps it to a). */
    public static final String SERVER_NAME = "vpn.p2sgw.lab";
    public static final List<String> NAMES = List.of("a", "b");
    /** Each slot's half of 172.16.201.0/24 (PoolPlan: slot 0 the lower half). */
    public static final List<String> HALF = List.of("172.16.201.0/25", "172.16.201.128/25");
    /**
     * Each slot's SSTP slice when SSTP is combined with another tunnel type: the upper half of the slot's half
     * (PoolPlan, azure-p2s.md §2.1).
     */
    public static final List<String> SSTP_SLICE = List.of("172.16.201.64/26", "172.16.201.192/26");
    public static final Duration API_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern REMOTE_LINE = Pattern.compile("^remote\\s+(\\S+).*$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Lab lab;
    private final LabPostgres postgres;
    private final Path java;
    private final Path jar;
    private final Consumer<String> step;
    private final GatewayServer[] servers = new GatewayServer[2];
    private final SeedWalkthrough[] walks = new SeedWalkthrough[2];
    private final ArmClient[] arms = new ArmClient[2];
    private String token;
    private final CertificateIssuer issuer = CertificateIssuer.withSystemClock();
    private KeyAndChain root;
    private String template;
    private Path packageZip;

    private TwoInstanceGateway(Lab lab, LabPostgres postgres, Path java, Path jar, Consumer<String> step) {
        this.lab = lab;
        this.postgres = postgres;
        this.java = java;
        this.jar = jar;
        this.step = step;
    }

    /**
     * Builds the lab with {@code clients} client namespaces and the second gateway namespace, starts PostgreSQL and
     * both instances, configures the active-active gateway through a and downloads the client package through it.
     * On any failure everything started so far is removed before the exception propagates.
     */
    public static TwoInstanceGateway start(int clients, Path java, Path jar, Consumer<String> step) {
        return start(clients, ActiveActiveSetup.DEFAULT_PROTOCOLS, java, jar, step);
    }

    /** The same with the given vpnClientProtocols on the gateway (e.g. OpenVPN and IkeV2). */
    public static TwoInstanceGateway start(int clients, List<String> protocols, Path java, Path jar,
                                           Consumer<String> step) {
        step.accept("build the lab: VNet (VM 10.1.0.4), gateway namespaces for a (198.51.100.4) and b (198.51.100.5), "
                + clients + " client namespace(s)");
        Lab lab = Lab.start(Lab.Options.seed(clients));
        LabPostgres pg = null;
        try {
            lab.addGatewayInstance(1);
            lab.routePool(HALF.get(1), 1); // the lower half and the rest of the /24 stay routed to a
            step.accept("start PostgreSQL 15 in the internet namespace at " + Lab.INTERNET_SERVICE_ADDRESS + ":" + LabPostgres.PORT);
            pg = LabPostgres.start(lab);
            TwoInstanceGateway t = new TwoInstanceGateway(lab, pg, java, jar, step);
            t.startBoth(protocols);
            return t;
        } catch (RuntimeException | Error e) {
            if (pg != null) {
                pg.close();
            }
            lab.close();
            throw e;
        }
    }

    private void startBoth(List<String> protocols) {
        for (int k = 0; k < 2; k++) {
            startInstance(k);
        }
        SeedWalkthrough a = walks[0];
        a.createNetwork();
        ActiveActiveSetup aa = new ActiveActiveSetup(arms[0], step);
        aa.createGateway();
        step.accept("make the root and client certificates (RSA 2048, as New-SelfSignedCertificate does)");
        root = issuer.createRoot(SeedWalkthrough.ROOT_CERT_NAME, KeyType.RSA2048, CertificateIssuer.DEFAULT_ROOT_VALIDITY);
        aa.configurePointToSite(root.certificate(), protocols);
        packageZip = lab.newDirectory("package").resolve(SeedWalkthrough.GATEWAY + ".zip");
        template = a.downloadProfileTemplate(packageZip);
        List<String> remotes = template.lines().filter(l -> REMOTE_LINE.matcher(l).matches()).toList();
        step.accept("  the package's OpenVPN profile lists: " + String.join("; ", remotes));
    }

    /** Starts (or restarts, with the same data directory and name) instance k and waits for its API. */
    public GatewayServer startInstance(int k) {
        String name = NAMES.get(k);
        Path data = lab.newDirectory("gateway-" + name);
        step.accept("start instance " + name + ": ip netns exec " + lab.gatewayNamespace(k) + " java -jar "
                + jar.getFileName() + " server --public-address " + Lab.gatewayPublicAddress(k) + " --instance-name " + name
                + " --server-name " + SERVER_NAME + " --database-url " + postgres.jdbcUrl());
        GatewayServer s = GatewayServer.startInstance(lab, k, name, java, jar, data,
                List.of("--database-url", postgres.jdbcUrl(), "--server-name", SERVER_NAME));
        boolean up = token == null ? s.awaitApi(API_TIMEOUT) : s.awaitApiPort(API_TIMEOUT);
        if (!up) {
            throw new LabException("instance " + name + "'s API did not come up; its log:\n" + s.process().tail(40)
                    + "\nPostgreSQL log:\n" + postgres.log());
        }
        if (token == null) {
            token = s.adminToken().orElseThrow(() -> new LabException("instance a wrote no admin token"));
        }
        servers[k] = s;
        arms[k] = new ArmClient(s.clientSettings(token), new PrintWriter(Writer.nullWriter()));
        walks[k] = new SeedWalkthrough(arms[k], step);
        return s;
    }

    /** The client package downloaded through a at start (every client type's profile, each naming both instances). */
    public Path packageZip() {
        return packageZip;
    }

    public Lab lab() {
        return lab;
    }

    public LabPostgres postgres() {
        return postgres;
    }

    public GatewayServer server(int k) {
        return servers[k];
    }

    /** The seed walkthrough's calls (health, revoke, package) through instance k's API. */
    public SeedWalkthrough through(int k) {
        return walks[k];
    }

    public ArmClient arm(int k) {
        return arms[k];
    }

    public KeyAndChain clientCertificate(String cn) {
        return issuer.createClient(root, cn, KeyType.RSA2048, CertificateIssuer.DEFAULT_CLIENT_VALIDITY);
    }

    /**
     * Client i's profile from the package with {@code cert} filled in and instance k's address tried first: a client
     * "connected to instance k". The other instance stays in the list, which is what moves a client over when k is
     * lost.
     */
    public Path profile(int client, KeyAndChain cert, int k) {
        Path p = walks[0].fillProfile(template, cert, lab.newDirectory("client" + client).resolve("vpnconfig.ovpn"));
        try {
            Files.writeString(p, preferRemote(Files.readString(p, StandardCharsets.UTF_8), Lab.gatewayPublicAddress(k)),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LabException("cannot rewrite " + p + ": " + e.getMessage(), e);
        }
        return p;
    }

    /** Starts the stock openvpn client in client namespace i with {@link #profile} for instance k. */
    public OpenVpnClient connect(int client, KeyAndChain cert, int k) {
        return lab.startOpenVpn(client, profile(client, cert, k), List.of());
    }

    /**
     * The profile with its {@code remote} lines reordered: those naming {@code address} first, each distinct line once
     * (the lab's profile names a twice, by the server name mapped to its address and by its address); the other
     * lines stay where they are.
     */
    public static String preferRemote(String profile, String address) {
        List<String> lines = profile.lines().toList();
        Set<String> preferred = new LinkedHashSet<>();
        Set<String> others = new LinkedHashSet<>();
        int first = -1;
        List<String> rest = new ArrayList<>();
        for (String line : lines) {
            var m = REMOTE_LINE.matcher(line.strip());
            if (m.matches()) {
                if (first < 0) {
                    first = rest.size();
                }
                (m.group(1).equals(address) ? preferred : others).add(line.strip());
            } else {
                rest.add(line);
            }
        }
        if (first < 0) {
            return profile;
        }
        List<String> remotes = new ArrayList<>(preferred);
        others.stream().filter(o -> !preferred.contains(o)).forEach(remotes::add);
        rest.addAll(first, remotes);
        return String.join("\n", rest) + (profile.endsWith("\n") ? "\n" : "");
    }

    /** Whether a dotted IPv4 address lies in slot k's half of the pool ({@link #HALF}). */
    public static boolean inHalf(String address, int k) {
        return inPrefix(address, HALF.get(k));
    }

    /** Whether a dotted IPv4 address lies in slot k's SSTP slice ({@link #SSTP_SLICE}). */
    public static boolean inSstpSlice(String address, int k) {
        return inPrefix(address, SSTP_SLICE.get(k));
    }

    private static boolean inPrefix(String address, String cidr) {
        String[] prefix = cidr.split("/");
        long mask = (0xFFFFFFFFL << (32 - Integer.parseInt(prefix[1]))) & 0xFFFFFFFFL;
        return ipv4(address).map(a -> (a & mask) == ipv4(prefix[0]).orElseThrow()).orElse(false);
    }

    private static Optional<Long> ipv4(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        long v = 0;
        for (String p : parts) {
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > 255) {
                return Optional.empty();
            }
            v = (v << 8) | Integer.parseInt(p);
        }
        return Optional.of(v);
    }

    /** The OpenVPN profile in a downloaded client package (bounded: entries and size as SeedWalkthrough reads it). */
    public static String packageProfile(byte[] zip) {
        try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            java.util.zip.ZipEntry e;
            for (int n = 0; (e = in.getNextEntry()) != null && n < SeedWalkthrough.MAX_ZIP_ENTRIES; n++) {
                if (e.getName().equalsIgnoreCase(SeedWalkthrough.PROFILE_ENTRY)) {
                    byte[] b = in.readNBytes(SeedWalkthrough.MAX_PROFILE_BYTES + 1);
                    if (b.length > SeedWalkthrough.MAX_PROFILE_BYTES) {
                        throw new LabException(SeedWalkthrough.PROFILE_ENTRY + " is too large");
                    }
                    return new String(b, StandardCharsets.UTF_8);
                }
            }
        } catch (IOException ex) {
            throw new LabException("the client package is not a readable zip: " + ex.getMessage(), ex);
        }
        throw new LabException("the client package has no " + SeedWalkthrough.PROFILE_ENTRY);
    }

    /** The live sessions as instance k's health API lists them (every instance's, azure-p2s.md §6.1). */
    public List<JsonNode> health(int k) {
        return walks[k].connectionHealth();
    }

    /**
     * Revokes a client certificate through instance k with one call: PUT of the gateway's
     * {@code vpnClientRevokedCertificates/{name}} child resource (azure-p2s.md §2.4), not waiting for the operation, so
     * a caller timing "from the API call" times the write and what follows it, not the client's polling.
     */
    public void revoke(int k, String name, String thumbprint) {
        var body = JSON.createObjectNode();
        body.putObject("properties").put("thumbprint", thumbprint);
        arms[k].put(walks[k].gatewayPath() + "/vpnClientRevokedCertificates/" + name, body, true);
    }

    /**
     * As {@link #revoke}, but returns only when the write's long-running operation has completed, as an ARM client
     * does before its next write to the gateway (else that write gets 409 AnotherOperationInProgress).
     */
    public void revokeAndWait(int k, String name, String thumbprint) {
        var body = JSON.createObjectNode();
        body.putObject("properties").put("thumbprint", thumbprint);
        arms[k].put(walks[k].gatewayPath() + "/vpnClientRevokedCertificates/" + name, body, false);
    }

    /** disconnectVirtualNetworkGatewayVpnConnections through instance k. */
    public void disconnect(int k, String vpnConnectionId) {
        var body = JSON.createObjectNode();
        body.putArray("vpnConnectionIds").add(vpnConnectionId);
        arms[k].post(walks[k].gatewayPath() + "/disconnectVirtualNetworkGatewayVpnConnections", body, false);
    }

    /** {@code kill -9} of instance k; the VNet then routes the whole pool to the other, as Azure moves it to the survivor. */
    public void kill(int k) {
        servers[k].kill();
        lab.routePool(Lab.CLIENT_POOL, 1 - k);
    }

    /** Restarts instance k after {@link #kill}; the VNet routes its half to it again once its API is up. */
    public GatewayServer restart(int k) {
        GatewayServer s = startInstance(k);
        lab.routePool(k == 0 ? Lab.CLIENT_POOL : HALF.get(1), k);
        return s;
    }

    // ---------------------------------------------------------------- raw API calls across instances

    /**
     * Starts generatevpnclientpackage through instance {@code from} without waiting and returns the operation's
     * {@code Location} with instance {@code to}'s address in place of {@code from}'s: the poll any instance answers.
     */
    public URI startPackageOperation(int from, int to) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(arms[from].uri(walks[from].gatewayPath() + "/generatevpnclientpackage"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"processorArchitecture\":\"Amd64\",\"authenticationMethod\":\"EAPTLS\"}")));
        if (r.statusCode() != 202) {
            throw new LabException("generatevpnclientpackage through " + NAMES.get(from) + ": " + r.statusCode() + " " + r.body());
        }
        String location = r.headers().firstValue("Location")
                .orElseThrow(() -> new LabException("generatevpnclientpackage answered 202 without Location"));
        return onInstance(URI.create(location), to);
    }

    /** GET of an absolute API URL with the admin token: status and body. */
    public HttpResponse<String> get(URI uri) {
        return send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).GET());
    }

    /** A URL of one instance's API (a Location, a package link) pointed at instance k's address instead. */
    public static URI onInstance(URI uri, int k) {
        return URI.create(uri.getScheme() + "://" + Lab.gatewayPublicAddress(k) + ":" + uri.getPort() + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try (HttpClient http = HttpClient.newBuilder().sslContext(sslContext()).connectTimeout(Duration.ofSeconds(10)).build()) {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new LabException("API call failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        }
    }

    private SSLContext sslContext() {
        try {
            Path ca = servers[0].caFile().orElseThrow(() -> new LabException("instance a has no CA file"));
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int n = 0;
            for (X509Certificate c : Pem.readCertificates(Files.readString(ca, StandardCharsets.UTF_8))) {
                trust.setCertificateEntry("ca" + n++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new LabException("cannot trust the gateway CA: " + e.getMessage(), e);
        }
    }

    /** The lines of instance k's current log that contain {@code text}. */
    public List<String> logLines(int k, String text) {
        return servers[k].process().logText().lines().filter(l -> l.contains(text)).toList();
    }

    /** Whether instance k logged that it serves the whole pool of the active-active gateway alone. */
    public boolean servesWholePoolAlone(int k) {
        return !logLines(k, "this is its only instance").isEmpty();
    }

    public Optional<String> token() {
        return Optional.ofNullable(token);
    }

    /** Stops PostgreSQL and removes the lab (its processes, namespaces and links), also after a failure. */
    @Override
    public void close() {
        try {
            for (GatewayServer s : servers) {
                if (s != null) {
                    s.close(); // before the store goes, so they unregister cleanly
                }
            }
            postgres.close();
        } finally {
            lab.close();
        }
    }
}
