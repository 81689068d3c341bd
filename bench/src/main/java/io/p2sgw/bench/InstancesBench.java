package io.p2sgw.bench;

import io.p2sgw.lab.GatewayServer;
import io.p2sgw.lab.Lab;
import io.p2sgw.lab.LabPostgres;
import io.p2sgw.lab.OpenVpnClient;
import io.p2sgw.lab.instances.TwoInstanceGateway;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The instances benchmark of issue 17 ({@code bench/run --measure=instances}): two p2sgw instances on one PostgreSQL
 * in the lab ({@link TwoInstanceGateway}), then
 * <ol>
 *   <li>the time from the revocation API call on instance a to the end of the session held by instance b, over
 *       {@code --revocations} revocations (each a fresh client certificate connected to b): min, median, p95, max. The
 *       end is seen by polling b's health API, so the figure includes one poll's latency;</li>
 *   <li>the reconnect storm: {@code --clients} stock openvpn clients connected to a, {@code kill -9} of a, and the
 *       time until every one of them has its tunnel up again on b.</li>
 * </ol>
 * Writes {@code --out} (default bench/RESULTS-instances.md). Needs root and PostgreSQL 15.
 */
public final class InstancesBench {
    /** b's half of the /24 pool has 125 client addresses; the storm must fit there (and in the lab). */
    static final int MAX_STORM_CLIENTS = 120;
    private static final Duration CONNECT = Duration.ofSeconds(120);
    private static final Duration STORM_BOUND = Duration.ofMinutes(5);

    private InstancesBench() {}

    /** Options: --revocations=50 --clients=100 --out=bench/RESULTS-instances.md. */
    record Options(int revocations, int clients, Path out) {
        static Options parse(List<String> args) {
            int revocations = 50;
            int clients = 100;
            Path out = Path.of("bench/RESULTS-instances.md");
            for (String a : args) {
                String[] kv = a.replaceFirst("^--", "").split("=", 2);
                String v = kv.length == 2 ? kv[1] : "";
                switch (kv[0]) {
                    case "measure" -> { } // the mode switch that brought us here
                    case "revocations" -> revocations = Integer.parseInt(v);
                    case "clients" -> clients = Integer.parseInt(v);
                    case "out" -> out = Path.of(v);
                    default -> throw new IllegalArgumentException("unknown option for --measure=instances: " + a
                            + " (--revocations=N --clients=N --out=FILE)");
                }
            }
            if (revocations < 1 || revocations > 500) {
                throw new IllegalArgumentException("--revocations must be 1..500");
            }
            if (clients < 1 || clients > MAX_STORM_CLIENTS) {
                throw new IllegalArgumentException("--clients must be 1.." + MAX_STORM_CLIENTS);
            }
            return new Options(revocations, clients, out);
        }
    }

    /** Whether these arguments ask for this mode ({@code --measure=instances}). */
    static boolean wanted(String[] args) {
        return List.of(args).contains("--measure=instances");
    }

    public static void main(String[] args) throws IOException {
        Options o;
        try {
            o = Options.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        Optional<String> why = Lab.whyUnavailable().or(LabPostgres::whyUnavailable);
        if (why.isPresent()) {
            System.err.println("bench: " + why.get());
            System.exit(2);
        }
        // The gateway's own jar: bench/run builds it (server/target/p2sgw.jar). The jar this class came from is one
        // only when the bench runs from p2sgw.jar itself; from bench/run's classpath it is the lab module's jar.
        Path jar = Optional.of(Path.of(System.getProperty("p2sgw.jar", "server/target/p2sgw.jar")))
                .filter(Files::isRegularFile)
                .or(() -> GatewayServer.currentJar().filter(p -> p.getFileName().toString().equals("p2sgw.jar")))
                .orElseThrow(() -> new IllegalStateException("no p2sgw.jar: build the server module"));
        Instant started = Instant.now();
        TwoInstanceGateway gw = TwoInstanceGateway.start(1 + o.clients(), GatewayServer.currentJava(), jar, s -> log(s));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(gw), "bench-instances-teardown"));
        List<Double> revocationMs = new ArrayList<>();
        Storm storm;
        try {
            String idFile = System.getenv("P2SGW_BENCH_LAB_ID_FILE");
            if (idFile != null && !idFile.isBlank()) {
                Files.writeString(Path.of(idFile), gw.lab().runId() + "\n"); // bench/run's cleanup finds the lab by it
            }
            revocationMs = revocations(gw, o.revocations());
            storm = storm(gw, o.clients());
        } finally {
            closeQuietly(gw);
        }
        String md = markdown(o, revocationMs, storm, started, Duration.between(started, Instant.now()), MachineFacts.collect());
        System.out.println();
        System.out.print(md);
        if (o.out().getParent() != null) {
            Files.createDirectories(o.out().getParent());
        }
        Files.writeString(o.out(), md);
        log("wrote " + o.out().toAbsolutePath());
    }

    /** Client namespace 1, a fresh certificate each time, connected to b; the revocation goes through a. */
    static List<Double> revocations(TwoInstanceGateway gw, int n) {
        List<Double> ms = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String user = "rev" + i;
            KeyAndChain cert = gw.clientCertificate(user);
            OpenVpnClient c = gw.connect(1, cert, 1);
            try {
                if (!c.awaitConnected(CONNECT) || !await(() -> present(gw, 1, user), CONNECT)) {
                    log("revocation " + i + ": the client did not come up on b; skipped:\n" + c.process().tail(10));
                    continue;
                }
                long start = System.nanoTime();
                // The write's operation is followed to its end beside the measurement (as an ARM client does before
                // its next write; else the next revocation gets 409 AnotherOperationInProgress), and joined after it.
                java.util.concurrent.CompletableFuture<Void> write = java.util.concurrent.CompletableFuture.runAsync(
                        () -> gw.revokeAndWait(0, user, Certificates.thumbprint(cert.certificate())));
                if (await(() -> !present(gw, 1, user), CONNECT)) {
                    double d = (System.nanoTime() - start) / 1e6;
                    ms.add(d);
                    log(String.format("revocation %d/%d: session on b ended %.1f ms after the call on a", i, n, d));
                } else {
                    log("revocation " + i + ": the session on b did not end within " + CONNECT);
                }
                write.join();
            } finally {
                c.close();
            }
        }
        return ms;
    }

    private static boolean present(TwoInstanceGateway gw, int k, String user) {
        return gw.health(k).stream().anyMatch(s -> s.path("vpnUserName").asText().equals(user));
    }

    /** What the storm measured. */
    record Storm(int clients, int connectedBefore, int back, double allBackMs, double medianBackMs, int inBsHalf, String note) {}

    static Storm storm(TwoInstanceGateway gw, int n) {
        log("storm: connecting " + n + " clients to a");
        List<OpenVpnClient> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clients.add(gw.connect(2 + i, gw.clientCertificate("storm" + i), 0));
        }
        int up = 0;
        for (OpenVpnClient c : clients) {
            up += c.awaitConnected(CONNECT) ? 1 : 0;
        }
        log("storm: " + up + " of " + n + " connected to a; kill -9 of a");
        long killed = System.nanoTime();
        gw.kill(0);
        double[] backAt = new double[n];
        java.util.Arrays.fill(backAt, -1);
        int back = 0;
        long end = killed + STORM_BOUND.toNanos();
        while (back < up && System.nanoTime() < end) {
            for (int i = 0; i < n; i++) {
                if (backAt[i] < 0 && clients.get(i).timesConnected() >= 2) {
                    backAt[i] = (System.nanoTime() - killed) / 1e6;
                    back++;
                }
            }
            sleepMs(50);
        }
        List<Double> times = new ArrayList<>();
        int inHalf = 0;
        for (int i = 0; i < n; i++) {
            if (backAt[i] >= 0) {
                times.add(backAt[i]);
                inHalf += clients.get(i).lastTunnelAddress().filter(a -> TwoInstanceGateway.inHalf(a, 1)).isPresent() ? 1 : 0;
            }
        }
        double all = times.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        String note = back < up ? (up - back) + " did not come back within " + STORM_BOUND : "";
        log(String.format("storm: %d of %d back on b, the last %.0f ms after the kill", back, up, all));
        clients.forEach(OpenVpnClient::close);
        return new Storm(n, up, back, all, Stats.quantile(times, 0.5).orElse(Double.NaN), inHalf, note);
    }

    static String markdown(Options o, List<Double> rev, Storm s, Instant started, Duration took, MachineFacts m) {
        StringBuilder b = new StringBuilder();
        b.append("# p2sgw: two instances on one PostgreSQL (issue 17)\n\n");
        b.append("Run ").append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(started))
                .append(", ").append(took.toMinutes()).append(" min, by `bench/run --measure=instances --revocations=")
                .append(o.revocations()).append(" --clients=").append(o.clients()).append("`.\n");
        b.append("Machine: ").append(m.cpu()).append(", ").append(m.cpus()).append(" CPUs (shared with other work), ")
                .append(m.memory()).append(", kernel ").append(m.kernel()).append(", ").append(m.java()).append(", ")
                .append(m.openvpn()).append(".\n\n");
        b.append("Lab: instance a (198.51.100.4) and b (198.51.100.5), each a real p2sgw.jar in its own network namespace, ")
                .append("PostgreSQL 15 in the lab, an active-active gateway (pool 172.16.201.0/24, a half each), stock ")
                .append("openvpn 2.6 clients over OpenVPN-TCP with the package's profile.\n\n");
        b.append("## Revocation through a, session on b ends\n\n");
        b.append("From the revocation (one PUT of vpnClientRevokedCertificates/{name}, not waiting for its operation) sent to a's API until b's health API no longer lists the session (b's health is ")
                .append("polled back to back, so each figure includes up to one poll's latency, a few ms).\n\n");
        b.append("| revocations | min | median | p95 | max |\n|---|---|---|---|---|\n");
        b.append("| ").append(rev.size()).append(" of ").append(o.revocations()).append(" | ")
                .append(ms(Stats.quantile(rev, 0))).append(" | ").append(ms(Stats.quantile(rev, 0.5))).append(" | ")
                .append(ms(Stats.quantile(rev, 0.95))).append(" | ").append(ms(Stats.quantile(rev, 1))).append(" |\n\n");
        b.append("## Reconnect storm after kill -9 of a\n\n");
        b.append("N clients connected to a (the profile lists a, then b); a is killed with SIGKILL; time from the kill until ")
                .append("each client logs \"Initialization Sequence Completed\" again, now with b. The kernel resets a's TCP ")
                .append("connections as the process dies, so the clients notice at once and try the next remote.\n\n");
        b.append("| clients on a | back on b | all back after | median client back after | addresses in b's half |\n")
                .append("|---|---|---|---|---|\n");
        b.append("| ").append(s.connectedBefore()).append(" of ").append(s.clients()).append(" | ").append(s.back()).append(" | ")
                .append(ms(Optional.of(s.allBackMs()))).append(" | ").append(ms(Optional.of(s.medianBackMs()))).append(" | ")
                .append(s.inBsHalf()).append(" |\n");
        if (!s.note().isEmpty()) {
            b.append("\n").append(s.note()).append("\n");
        }
        return b.toString();
    }

    private static String ms(Optional<Double> v) {
        return v.filter(d -> !d.isNaN()).map(d -> d >= 1000 ? String.format("%.2f s", d / 1000) : String.format("%.0f ms", d))
                .orElse("-");
    }

    private static boolean await(java.util.function.BooleanSupplier condition, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            sleepMs(5);
        }
        return false;
    }

    private static void sleepMs(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(TwoInstanceGateway gw) {
        try {
            gw.close();
        } catch (RuntimeException e) {
            log("WARNING: teardown: " + e);
        }
    }

    private static void log(String s) {
        System.out.println("[bench instances] " + s);
    }
}
