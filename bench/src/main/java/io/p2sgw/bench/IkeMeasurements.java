package io.p2sgw.bench;

import io.p2sgw.lab.Cmd;
import io.p2sgw.lab.Lab;
import io.p2sgw.lab.StrongSwanClient;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The IKEv2 measurements, run the same way against either responder with the same stock strongSwan clients: iperf3
 * through one tunnel (lab's {@link StrongSwanClient}, the package's profile), idle-SA memory and rounds of parallel
 * full IKE handshakes (IKE_SA_INIT + IKE_AUTH with certificates + configuration payload + first CHILD SA) from load
 * charons that each hold many connections ({@link IkeProfiles#loadCharonConf}).
 */
final class IkeMeasurements implements AutoCloseable {
    private static final Duration INITIATE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TERMINATE_TIMEOUT = Duration.ofSeconds(10);
    /** Waits until the server holds no SA (p2sgw asks its core; strongSwan answers swanctl --stats). */
    private static final ServerDrain DRAIN = new ServerDrain(Duration.ofMillis(500), Duration.ofMillis(250), ServerDrain.TIMEOUT, "SAs",
            "every client had deleted its SA");
    private static final Duration IPERF_GAP = Duration.ofSeconds(1);
    private static final Duration IPERF_RETRY_PAUSE = Duration.ofSeconds(3);
    /** The gateway namespace's GatewaySubnet leg (Lab): every inner byte of a test crosses it once. */
    static final String VNET_LEG = "vnet0";
    private static final double BYTES_PER_GB = 1e9;

    private final Lab lab;
    private final Path clientDir;
    private final BenchOptions options;
    private final LogDir logs;
    private final Path packageDir;
    private final KeyAndChain tputCert;
    private final List<Charon> loadCharons = new ArrayList<>();
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    /** What the last failed {@code swanctl --initiate} said, for the notes. */
    private volatile String lastFailure = "";

    private IkeMeasurements(Lab lab, Path clientDir, BenchOptions options, Path logDir, Path packageDir, KeyAndChain tputCert) {
        this.lab = lab;
        this.clientDir = clientDir;
        this.options = options;
        this.logs = new LogDir(logDir);
        this.packageDir = packageDir;
        this.tputCert = tputCert;
    }

    /**
     * Lays out the throughput client's profile (the package's {@code strongSwan/} folder shape) and starts one load
     * charon per load namespace with its share of the load clients' connections; the clients' certificates and the
     * server CA are the ones {@link BenchMain} wrote to {@code clientDir}.
     */
    static IkeMeasurements start(Lab lab, Path clientDir, BenchOptions options, Path logDir) throws IOException {
        Path pkg = lab.newDirectory("ikev2-package");
        Files.createDirectories(pkg.resolve("x509ca"));
        Files.copy(clientDir.resolve(ClientProfile.CA_FILE), pkg.resolve("x509ca").resolve(IkeProfiles.SERVER_CA_FILE));
        Files.writeString(pkg.resolve("swanctl.conf"), IkeProfiles.clientSwanctl(List.of(IkeProfiles.CONNECTION), List.of("client.pem")));
        KeyAndChain tput = new KeyAndChain(Pem.readPrivateKey(Files.readString(clientDir.resolve("tput.key")), Optional.empty()),
                Pem.readCertificates(Files.readString(clientDir.resolve("tput.pem"))));
        IkeMeasurements m = new IkeMeasurements(lab, clientDir, options, logDir, pkg, tput);
        try {
            int clients = loadClients(options);
            for (int k = 0; k < Math.min(options.loadNamespaces(), clients); k++) {
                m.loadCharons.add(m.startLoadCharon(k, clients));
            }
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
        return m;
    }

    static int loadClients(BenchOptions options) {
        return Math.max(options.idleSessions(), options.parallel());
    }

    /** Load charon k (in lab client namespace 2 + k) holds the connections of load clients k, k + ns, k + 2 ns, ... */
    private Charon startLoadCharon(int k, int clients) throws IOException {
        Path dir = lab.newDirectory("ike-load" + k);
        for (String sub : List.of("x509", "x509ca", "private")) {
            Files.createDirectories(dir.resolve(sub));
        }
        Files.copy(clientDir.resolve(ClientProfile.CA_FILE), dir.resolve("x509ca").resolve(IkeProfiles.SERVER_CA_FILE));
        List<String> names = new ArrayList<>();
        List<String> certs = new ArrayList<>();
        for (int i = k; i < clients; i += options.loadNamespaces()) {
            String cert = "load" + i + ".pem";
            // One certificate per file for swanctl: the client's own, without the root.
            Files.writeString(dir.resolve("x509").resolve(cert),
                    Pem.certificatesToPem(List.of(Pem.readCertificates(Files.readString(clientDir.resolve(cert))).getFirst())));
            Path key = dir.resolve("private").resolve("load" + i + ".key");
            Files.copy(clientDir.resolve("load" + i + ".key"), key);
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            names.add(IkeProfiles.loadConnection(i));
            certs.add(cert);
        }
        Files.writeString(dir.resolve("swanctl.conf"), IkeProfiles.clientSwanctl(names, certs));
        return Charon.start(lab, lab.clientNamespace(2 + k), dir, IkeProfiles.loadCharonConf(dir), "ike-load" + k);
    }

    private Charon loadCharon(int i) {
        return loadCharons.get(i % options.loadNamespaces());
    }

    // ---------------------------------------------------------------- throughput

    void throughput(VpnServer server, IkeResult r) {
        String ns = lab.clientNamespace(1);
        StrongSwanClient c = StrongSwanClient.start(lab, 1, packageDir, tputCert);
        try (c) {
            Cmd.Result init = c.initiate(INITIATE_TIMEOUT);
            if (!init.ok() || !init.output().contains("initiate completed successfully")) {
                r.notes.add("throughput: the client did not connect: " + Format.lastLines(init.output(), 5));
                return;
            }
            r.negotiated = negotiated(c.listSas());
            r.notes.add("throughput client: virtual IP " + c.virtualAddress().orElse("none"));
            if (!Measurements.vmAnswersPings(lab, ns, r)) {
                return;
            }
            OptionalLong clientPid = charonPid(ns);
            List<IperfRun> up = iperfRuns(server, clientPid, ns, false, r, "client->VM");
            List<IperfRun> down = iperfRuns(server, clientPid, ns, true, r, "VM->client");
            r.uploadMbps = median(up, IperfRun::mbps);
            r.downloadMbps = median(down, IperfRun::mbps);
            r.uploadCpuSecondsPerGb = median(up, IperfRun::cpuSecondsPerGb);
            r.downloadCpuSecondsPerGb = median(down, IperfRun::cpuSecondsPerGb);
            r.uploadCpuPercentPerMbit = median(up, IperfRun::cpuPercentPerMbit);
            r.downloadCpuPercentPerMbit = median(down, IperfRun::cpuPercentPerMbit);
        } finally {
            logs.save("client-ikev2-" + fileLabel(r) + ".log", c.log());
        }
        DRAIN.await(server, r, "throughput");
    }

    /** One iperf3 test: goodput, and the server's CPU over the test against the bytes that crossed the gateway. */
    record IperfRun(double mbps, double serverCpuSeconds, long bytes, double wallSeconds) {
        double cpuSecondsPerGb() {
            return bytes > 0 ? serverCpuSeconds / (bytes / BYTES_PER_GB) : Double.NaN;
        }

        double cpuPercentPerMbit() {
            return mbps > 0 ? 100.0 * serverCpuSeconds / wallSeconds / mbps : Double.NaN;
        }
    }

    private static Optional<Double> median(List<IperfRun> runs, Function<IperfRun, Double> f) {
        return Stats.quantile(runs.stream().map(f).filter(v -> !v.isNaN()).toList(), 0.5);
    }

    private List<IperfRun> iperfRuns(VpnServer server, OptionalLong clientPid, String ns, boolean reverse, IkeResult r, String what) {
        List<IperfRun> runs = new ArrayList<>();
        for (int i = 0; i < options.iperfRepeats(); i++) {
            Measurements.sleep(IPERF_GAP);
            Optional<IperfRun> one = iperf(server, clientPid, ns, reverse, r, what);
            if (one.isEmpty()) {
                Measurements.sleep(IPERF_RETRY_PAUSE);
                one = iperf(server, clientPid, ns, reverse, r, what + " (retry)");
            }
            one.ifPresent(runs::add);
        }
        return runs;
    }

    private Optional<IperfRun> iperf(VpnServer server, OptionalLong clientPid, String ns, boolean reverse, IkeResult r, String what) {
        List<String> cmd = IperfResult.command(options.iperfSeconds(), reverse);
        String load = Measurements.loadAverage();
        OptionalLong bytes0 = vnetLegBytes();
        OptionalLong cpu0 = ProcStatus.cpuTicks(server.pid());
        OptionalLong clientCpu0 = clientPid.isPresent() ? ProcStatus.cpuTicks(clientPid.getAsLong()) : OptionalLong.empty();
        long t0 = System.nanoTime();
        Cmd.Result res = lab.exec(ns, Duration.ofSeconds(options.iperfSeconds() + BenchOptions.IPERF_OMIT_SECONDS + 30L), cmd);
        long wallNanos = System.nanoTime() - t0;
        OptionalLong cpu1 = ProcStatus.cpuTicks(server.pid());
        OptionalLong clientCpu1 = clientPid.isPresent() ? ProcStatus.cpuTicks(clientPid.getAsLong()) : OptionalLong.empty();
        OptionalLong bytes1 = vnetLegBytes();
        try {
            IperfResult ir = IperfResult.fromOutput(res.output());
            if (cpu0.isEmpty() || cpu1.isEmpty() || bytes0.isEmpty() || bytes1.isEmpty()) {
                throw new IllegalArgumentException("no server CPU or interface counters");
            }
            IperfRun run = new IperfRun(ir.mbitPerSecond(), (cpu1.getAsLong() - cpu0.getAsLong()) / (double) ProcStatus.USER_HZ,
                    bytes1.getAsLong() - bytes0.getAsLong(), wallNanos / 1e9);
            String clientCpu = clientCpu0.isPresent() && clientCpu1.isPresent()
                    ? ", client charon CPU " + Format.number(100.0 * (clientCpu1.getAsLong() - clientCpu0.getAsLong()) / ProcStatus.USER_HZ / run.wallSeconds()) + " %"
                    : "";
            r.notes.add("iperf3 " + what + ": " + Format.number(run.mbps()) + " Mbit/s, " + ir.retransmits() + " retransmits, server CPU "
                    + Format.number(100.0 * run.serverCpuSeconds() / run.wallSeconds()) + " % (" + Format.number(run.serverCpuSeconds()) + " s for "
                    + Format.number(run.bytes() / 1e6) + " MB through the gateway: " + Format.number(run.cpuSecondsPerGb()) + " s/GB)" + clientCpu
                    + ", load average before " + load);
            return Optional.of(run);
        } catch (IllegalArgumentException e) {
            r.notes.add("iperf3 " + what + " failed: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Bytes both ways on the gateway's VNet leg (sysfs of the gateway namespace). */
    private OptionalLong vnetLegBytes() {
        Cmd.Result res = lab.exec(lab.gatewayNamespace(), "cat", "/sys/class/net/" + VNET_LEG + "/statistics/rx_bytes",
                "/sys/class/net/" + VNET_LEG + "/statistics/tx_bytes");
        return res.ok() ? sumOfLines(res.output()) : OptionalLong.empty();
    }

    static OptionalLong sumOfLines(String text) {
        long sum = 0;
        int n = 0;
        for (String line : text.strip().split("\\R")) {
            try {
                sum += Long.parseLong(line.strip());
                n++;
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }
        return n == 2 ? OptionalLong.of(sum) : OptionalLong.empty();
    }

    /** The pid of the charon in a client namespace (the throughput client), for its CPU use. */
    private OptionalLong charonPid(String ns) {
        Cmd.Result res = lab.exec(ns, "ip", "netns", "pids", ns);
        for (String line : res.output().lines().toList()) {
            try {
                long pid = Long.parseLong(line.strip());
                String comm = Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
                if (comm.startsWith("charon")) {
                    return OptionalLong.of(pid);
                }
            } catch (NumberFormatException | IOException e) {
                // not a pid, or gone
            }
        }
        return OptionalLong.empty();
    }

    /** The IKE and CHILD SA lines of {@code swanctl --list-sas} that name the algorithms. */
    static String negotiated(String listSas) {
        List<String> lines = listSas.lines().map(String::strip)
                .filter(l -> l.contains("AES_") || l.contains("ECP_") || l.contains("MODP_") || l.contains("CURVE_")).toList();
        return String.join("; ", lines);
    }

    // ---------------------------------------------------------------- idle-SA memory

    void idleMemory(VpnServer server, IkeResult r) {
        int k = options.idleSessions();
        IdleMemory idle = IdleMemory.sampleBefore(server, DRAIN, r);
        List<Integer> up = new ArrayList<>();
        try {
            for (int from = 0; from < k; from += options.parallel()) {
                List<Integer> batch = new ArrayList<>();
                for (int i = from; i < Math.min(k, from + options.parallel()); i++) {
                    batch.add(i);
                }
                List<Optional<Double>> res = initiateAll(batch);
                for (int j = 0; j < batch.size(); j++) {
                    if (res.get(j).isPresent()) {
                        up.add(batch.get(j));
                    }
                }
            }
            int connected = up.size();
            if (connected < k) {
                r.notes.add("idle: " + (k - connected) + " of " + k + " clients did not connect; last failure: " + lastFailure);
            }
            idle.sampleAfter(connected, "SA", "", logs, "heap-growth-ikev2-" + fileLabel(r) + ".txt", r);
        } finally {
            terminateAll(up);
        }
        idle.afterTheyLeft(DRAIN, r);
    }

    // ---------------------------------------------------------------- handshakes

    /**
     * Warm-up rounds (not counted), then measured rounds: N load clients initiate at the same moment; a round lasts
     * from the start to the last {@code swanctl --initiate} reporting success (CHILD SA up). handshakes/s =
     * successful handshakes / sum of round durations. Every SA is deleted after its round.
     */
    void handshakes(VpnServer server, IkeResult r) {
        r.handshakes = HandshakeRounds.run(server, options.warmupRounds(), options.rounds(), measured -> round(r, measured), DRAIN, r);
    }

    /**
     * The CPU cost here is the server's (measured from /proc over the round); the round's wall time includes the
     * clients' RSA signing and swanctl's start on the same CPUs, equally for both servers.
     */
    private HandshakeRounds.HandshakeRound round(IkeResult r, boolean record) {
        List<Integer> clients = new ArrayList<>();
        for (int i = 0; i < options.parallel(); i++) {
            clients.add(i);
        }
        long t0 = System.nanoTime();
        List<Optional<Double>> res = initiateAll(clients);
        List<Integer> up = new ArrayList<>();
        List<Double> latencies = new ArrayList<>();
        double lastMs = 0;
        int failures = 0;
        for (int j = 0; j < clients.size(); j++) {
            if (res.get(j).isPresent()) {
                up.add(clients.get(j));
                latencies.add(res.get(j).get());
                lastMs = Math.max(lastMs, res.get(j).get());
            } else {
                failures++;
            }
        }
        if (failures > 0 && record) {
            r.notes.add("handshakes: " + failures + " of " + clients.size() + " clients did not connect in a round; last failure: " + lastFailure);
        }
        long nanos = (long) (lastMs * 1e6);
        terminateAll(up);
        return new HandshakeRounds.HandshakeRound(nanos > 0 ? nanos : System.nanoTime() - t0, latencies, failures);
    }

    /** Starts {@code swanctl --initiate} for every client at once; each one's time to success in ms, or empty. */
    private List<Optional<Double>> initiateAll(List<Integer> clients) {
        long t0 = System.nanoTime();
        List<Future<Optional<Double>>> fs = new ArrayList<>();
        for (int i : clients) {
            fs.add(pool.submit(() -> {
                Optional<String> failure = loadCharon(i).initiate(IkeProfiles.loadConnection(i), INITIATE_TIMEOUT);
                long took = System.nanoTime() - t0;
                failure.ifPresent(f -> lastFailure = "client " + i + ": " + f);
                return failure.isEmpty() ? Optional.of(took / 1e6) : Optional.<Double>empty();
            }));
        }
        List<Optional<Double>> out = new ArrayList<>();
        for (Future<Optional<Double>> f : fs) {
            try {
                out.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.add(Optional.empty());
            } catch (java.util.concurrent.ExecutionException e) {
                out.add(Optional.empty());
            }
        }
        return out;
    }

    /** Deletes the clients' IKE SAs (DELETE to the server), all at once. */
    private void terminateAll(List<Integer> clients) {
        List<Future<?>> fs = new ArrayList<>();
        for (int i : clients) {
            fs.add(pool.submit(() -> loadCharon(i).terminate(IkeProfiles.loadConnection(i), TERMINATE_TIMEOUT)));
        }
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException e) {
                // the server drain check reports what is left
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    static String fileLabel(IkeResult r) {
        return r.server.replace(' ', '-');
    }

    @Override
    public void close() {
        for (int k = 0; k < loadCharons.size(); k++) {
            try {
                logs.save("ike-load" + k + ".log", Files.readString(loadCharons.get(k).log()));
            } catch (IOException e) {
                // no log to keep
            }
        }
        loadCharons.forEach(Charon::close);
        pool.shutdownNow();
    }
}
