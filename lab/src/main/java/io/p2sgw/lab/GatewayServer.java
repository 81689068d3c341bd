package io.p2sgw.lab;

import io.p2sgw.cli.arm.ClientSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The p2sgw server running in the lab's gateway namespace: {@code ip netns exec <gw> java -jar p2sgw.jar server
 * --data-dir D --api-listen 0.0.0.0:8443 --public-address 198.51.100.4}. The API is reached from the host over
 * the host leg at {@code https://198.51.100.4:8443} with the bearer token in {@code D/admin-token} and the CA in
 * {@code D/pki/}.
 */
public final class GatewayServer implements AutoCloseable {
    public static final int API_PORT = 8443;

    /**
     * The JVM options {@code ./p2sgw} starts the gateway with (keep the two in step; {@code GatewayJvmOptionsTest}
     * checks it). The bench's gateway JVM uses them too, so what is measured is what the launcher runs.
     * <ul>
     *   <li>{@code --enable-native-access}: the TUN device and the non-blocking socket writes go through FFM.</li>
     *   <li>{@code -XX:CompileThresholdScaling=0.05}: the JIT compiles a method after a twentieth of the usual
     *       calls. A handshake runs hundreds of JSSE methods about once each, so with the default thresholds C2 is
     *       still compiling them thousands of handshakes later, and that compiling was about half of the gateway's
     *       CPU in a steady-state profile. In an A/B pair of bench/run (60 warm-up rounds of 20 clients, then 30
     *       measured, OpenVPN-TCP) server CPU per handshake was 6.2 ms at 0.2 and 4.1 ms at 0.05, handshakes/s 30.8
     *       and 34.8; iperf3 throughput did not change beyond the run-to-run noise in two more pairs.</li>
     * </ul>
     */
    public static final List<String> JVM_OPTIONS = List.of("--enable-native-access=ALL-UNNAMED", "-XX:CompileThresholdScaling=0.05");
    private static final Duration POLL = Duration.ofMillis(250);

    private static final java.util.concurrent.atomic.AtomicInteger STARTS = new java.util.concurrent.atomic.AtomicInteger();

    private final BackgroundProcess process;
    private final Path dataDir;
    private final String publicAddress;

    private GatewayServer(BackgroundProcess process, Path dataDir) {
        this(process, dataDir, Lab.GATEWAY_PUBLIC_ADDRESS);
    }

    private GatewayServer(BackgroundProcess process, Path dataDir, String publicAddress) {
        this.process = process;
        this.dataDir = dataDir;
        this.publicAddress = publicAddress;
    }

    /** Starts the server; call {@link #awaitApi} before talking to it. */
    public static GatewayServer start(Lab lab, Path java, Path jar, Path dataDir, List<String> extraArgs) {
        List<String> cmd = new ArrayList<>(List.of(java.toString()));
        cmd.addAll(JVM_OPTIONS); // as ./p2sgw runs it
        cmd.addAll(List.of("-jar", jar.toString(), "server", "--data-dir", dataDir.toString(), "--api-listen", "0.0.0.0:" + API_PORT,
                "--public-address", Lab.GATEWAY_PUBLIC_ADDRESS));
        cmd.addAll(extraArgs);
        return new GatewayServer(lab.background(lab.gatewayNamespace(), "p2sgw-server", cmd), dataDir);
    }

    /**
     * Starts gateway instance {@code k} of several sharing one store (issue 17) in the lab's namespace for it
     * ({@link Lab#addGatewayInstance}), with its public address, {@code --instance-name name} and the caller's other
     * arguments (at least {@code --database-url}). Each start has its own log, so a restarted instance's log does not
     * hold its previous run's lines. Only the instance that made the store's admin token has it in its data
     * directory: wait for the others with {@link #awaitApiPort}.
     */
    public static GatewayServer startInstance(Lab lab, int k, String name, Path java, Path jar, Path dataDir,
                                              List<String> extraArgs) {
        String address = Lab.gatewayPublicAddress(k);
        List<String> cmd = new ArrayList<>(List.of(java.toString()));
        cmd.addAll(JVM_OPTIONS);
        cmd.addAll(List.of("-jar", jar.toString(), "server", "--data-dir", dataDir.toString(), "--api-listen", "0.0.0.0:" + API_PORT,
                "--public-address", address, "--instance-name", name));
        cmd.addAll(extraArgs);
        String logName = "p2sgw-server-" + name + "-" + STARTS.incrementAndGet();
        return new GatewayServer(lab.background(lab.gatewayNamespace(k), logName, cmd), dataDir, address);
    }

    /** The address its API and VPN listeners are on. */
    public String publicAddress() {
        return publicAddress;
    }

    /** The API's base URI as reached from the host. */
    public URI apiUri() {
        return URI.create("https://" + publicAddress + ":" + API_PORT);
    }

    /** Waits until the API accepts TCP (an instance without the admin token file); false on timeout or exit. */
    public boolean awaitApiPort(Duration timeout) {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            if (!process.isAlive()) {
                return false;
            }
            if (Files.isRegularFile(dataDir.resolve("pki").resolve("ca.pem")) && portOpen(publicAddress)) {
                return true;
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** How the CLI's ARM client reaches this server with a token from elsewhere (another instance's). */
    public ClientSettings clientSettings(String token) {
        return new ClientSettings(apiUri(), token, caFile(), ClientSettings.DEFAULT_SUBSCRIPTION);
    }

    /** The admin token in the data directory, when this server made the store's. */
    public Optional<String> adminToken() {
        try {
            Path f = dataDir.resolve("admin-token");
            return Files.isRegularFile(f) ? Optional.of(Files.readString(f, StandardCharsets.UTF_8).strip()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code kill -9}: the instance is lost, as a crashed host loses it (no unregistering, no goodbye to clients). */
    public void kill() {
        process.killNow();
    }

    /** The java launcher running this JVM. */
    public static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** The jar this class was loaded from, when it runs from a jar ({@code p2sgw.jar}). */
    public static Optional<Path> currentJar() {
        try {
            Path p = Path.of(GatewayServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return p.toString().endsWith(".jar") ? Optional.of(p) : Optional.empty();
        } catch (java.net.URISyntaxException | SecurityException | NullPointerException e) {
            return Optional.empty();
        }
    }

    public BackgroundProcess process() {
        return process;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Waits until the server wrote its admin token and accepts TCP on the API port; false on timeout or exit. */
    public boolean awaitApi(Duration timeout) {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            if (!process.isAlive()) {
                return false;
            }
            if (Files.isRegularFile(dataDir.resolve("admin-token")) && portOpen(publicAddress)) {
                return true;
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private static boolean portOpen(String address) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, API_PORT), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** How the CLI's ARM client reaches this server from the host. */
    public ClientSettings clientSettings() {
        try {
            String token = Files.readString(dataDir.resolve("admin-token"), StandardCharsets.UTF_8).strip();
            return new ClientSettings(apiUri(), token,
                    caFile(), ClientSettings.DEFAULT_SUBSCRIPTION);
        } catch (IOException e) {
            throw new LabException("cannot read " + dataDir.resolve("admin-token") + ": " + e.getMessage(), e);
        }
    }

    /**
     * The CA certificate that signed the API's server certificate: a PEM file in {@code <data-dir>/pki/} whose
     * name says "ca" (ca.pem, ca.crt, gateway-ca.pem ...), else the only certificate file there.
     */
    public Optional<Path> caFile() {
        Path pki = dataDir.resolve("pki");
        if (!Files.isDirectory(pki)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(pki)) {
            List<Path> certs = files.filter(p -> p.getFileName().toString().matches("(?i).*\\.(pem|crt|cer)$"))
                    .filter(p -> !p.getFileName().toString().toLowerCase().contains("key")).sorted().toList();
            return certs.stream().filter(p -> p.getFileName().toString().toLowerCase().contains("ca")).findFirst()
                    .or(() -> certs.size() == 1 ? Optional.of(certs.getFirst()) : Optional.empty());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
