package io.p2sgw.bench;

import io.p2sgw.bench.ClientProfile.Proto;
import io.p2sgw.lab.Cmd;
import io.p2sgw.lab.Lab;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The three measurements, run the same way against either server (bench/RESULTS.md "Method"):
 * iperf3 through one tunnel, idle-session memory, and rounds of parallel full handshakes.
 */
final class Measurements {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(120);
    private static final int PING_TRIES = 5;
    private static final Duration IPERF_RETRY_PAUSE = Duration.ofSeconds(3);
    private static final Duration IPERF_GAP = Duration.ofSeconds(1);
    /** Waits until the server holds no session; a short pause first, the same for both servers. */
    private static final ServerDrain DRAIN = new ServerDrain(Duration.ofMillis(500), Duration.ofMillis(250), ServerDrain.TIMEOUT,
            "sessions", "every client had exited");

    private final Lab lab;
    private final Path clientDir;
    private final BenchOptions options;
    private final LogDir logs;

    Measurements(Lab lab, Path clientDir, BenchOptions options, Path logDir) {
        this.lab = lab;
        this.clientDir = clientDir;
        this.options = options;
        this.logs = new LogDir(logDir);
    }

    static String tunProfile(Proto proto) {
        return "tput-" + proto.label() + ".ovpn";
    }

    static String loadProfile(int i, Proto proto) {
        return "load" + i + "-" + proto.label() + ".ovpn";
    }

    /** Load client i runs in lab client namespace 2.. (namespace 1 belongs to the throughput client). */
    private String loadNamespace(int i) {
        return lab.clientNamespace(2 + i % options.loadNamespaces());
    }

    // ---------------------------------------------------------------- throughput

    void throughput(VpnServer server, Proto proto, RunResult r) {
        String ns = lab.clientNamespace(1);
        VpnClient c = VpnClient.start(ns, clientDir, tunProfile(proto), true);
        try (c) {
            if (c.awaitConnected(CONNECT_TIMEOUT).isEmpty()) {
                r.notes.add("throughput: the tun client did not connect: " + Format.lastLines(c.tail(), 5));
                return;
            }
            r.dataCipher = c.dataCipherLine(Duration.ofSeconds(2));
            r.controlChannel = c.controlChannelLine();
            if (!vmAnswersPings(lab, ns, r)) {
                return;
            }
            r.uploadMbps = iperfMedian(server, c, ns, false, r, "client->VM");
            r.downloadMbps = iperfMedian(server, c, ns, true, r, "VM->client");
        } finally {
            logs.save("client-" + fileLabel(r) + ".log", c.fullLog());
        }
        DRAIN.await(server, r, "throughput");
    }

    /**
     * Whether the VM answers pings from {@code ns} through the tunnel ({@value #PING_TRIES} tries, the first ones may
     * race the tunnel's routes); a note if not. Every tunnel checks this before its iperf3 tests.
     */
    static boolean vmAnswersPings(Lab lab, String ns, ServerResult r) {
        for (int i = 0; i < PING_TRIES; i++) {
            if (lab.ping(ns, Lab.VM_ADDRESS, Duration.ofSeconds(2))) {
                return true;
            }
        }
        r.notes.add("throughput: the VM does not answer pings through the tunnel");
        return false;
    }

    /**
     * The median of {@code iperfRepeats} iperf3 tests (single runs on a small shared machine vary a lot). A test that
     * fails (the VM's iperf3 server still busy with the previous one) is retried once after a pause.
     */
    private Optional<Double> iperfMedian(VpnServer server, VpnClient client, String ns, boolean reverse, RunResult r, String what) {
        List<Double> runs = new ArrayList<>();
        for (int i = 0; i < options.iperfRepeats(); i++) {
            // The VM's iperf3 server needs a moment between tests, or it resets the next control connection.
            sleep(IPERF_GAP);
            Optional<Double> one = iperf(server, client, ns, reverse, r, what);
            if (one.isEmpty()) {
                sleep(IPERF_RETRY_PAUSE);
                one = iperf(server, client, ns, reverse, r, what + " (retry)");
            }
            one.ifPresent(runs::add);
        }
        return Stats.quantile(runs, 0.5);
    }

    /**
     * One iperf3 test; notes the goodput and the CPU use of the server process and of the (single-threaded) client
     * openvpn over the whole test: a client near 100 % is the bottleneck, whatever the server does.
     */
    private Optional<Double> iperf(VpnServer server, VpnClient client, String ns, boolean reverse, RunResult r, String what) {
        List<String> cmd = IperfResult.command(options.iperfSeconds(), reverse);
        String load = loadAverage();
        OptionalLong cpu0 = ProcStatus.cpuTicks(server.pid());
        OptionalLong clientCpu0 = ProcStatus.cpuTicks(client.pid());
        long t0 = System.nanoTime();
        Cmd.Result res = lab.exec(ns, Duration.ofSeconds(options.iperfSeconds() + BenchOptions.IPERF_OMIT_SECONDS + 30L), cmd);
        long wallNanos = System.nanoTime() - t0;
        OptionalLong cpu1 = ProcStatus.cpuTicks(server.pid());
        OptionalLong clientCpu1 = ProcStatus.cpuTicks(client.pid());
        String cpu = cpuPercent(", server process CPU ", cpu0, cpu1, wallNanos) + cpuPercent(", client openvpn CPU ", clientCpu0, clientCpu1, wallNanos);
        try {
            IperfResult ir = IperfResult.fromOutput(res.output());
            r.notes.add("iperf3 " + what + ": " + Format.number(ir.mbitPerSecond()) + " Mbit/s, " + ir.retransmits() + " retransmits" + cpu
                    + ", load average before " + load);
            return Optional.of(ir.mbitPerSecond());
        } catch (IllegalArgumentException e) {
            r.notes.add("iperf3 " + what + " failed: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static String cpuPercent(String label, OptionalLong ticks0, OptionalLong ticks1, long wallNanos) {
        return ticks0.isPresent() && ticks1.isPresent()
                ? label + Format.number(100.0 * (ticks1.getAsLong() - ticks0.getAsLong()) / ProcStatus.USER_HZ / (wallNanos / 1e9)) + " %"
                : "";
    }

    // ---------------------------------------------------------------- idle-session memory

    void idleMemory(VpnServer server, Proto proto, RunResult r) {
        int k = options.idleSessions();
        IdleMemory idle = IdleMemory.sampleBefore(server, DRAIN, r);
        List<VpnClient> clients = new ArrayList<>();
        try {
            int connected = 0;
            for (int from = 0; from < k; from += options.parallel()) {
                List<VpnClient> batch = new ArrayList<>();
                for (int i = from; i < Math.min(k, from + options.parallel()); i++) {
                    batch.add(VpnClient.start(loadNamespace(i), clientDir, loadProfile(i, proto)));
                }
                clients.addAll(batch);
                for (VpnClient c : batch) {
                    if (c.awaitConnected(CONNECT_TIMEOUT).isPresent()) {
                        connected++;
                    } else {
                        r.notes.add("idle: a client did not connect: " + Format.lastLines(c.tail(), 5));
                    }
                }
            }
            idle.sampleAfter(connected, "session", "", logs, "heap-growth-" + fileLabel(r) + ".txt", r);
        } finally {
            VpnClient.closeAll(clients);
        }
        idle.afterTheyLeft(DRAIN, r);
    }

    // ---------------------------------------------------------------- handshakes

    /**
     * {@code warmupRounds} warm-up rounds (not counted), then {@code rounds} rounds of N clients started together; a round lasts from the first
     * process start to the last "Initialization Sequence Completed". handshakes/s = successful handshakes / sum of
     * round durations.
     */
    void handshakes(VpnServer server, Proto proto, RunResult r) {
        r.handshakes = HandshakeRounds.run(server, options.warmupRounds(), options.rounds(), measured -> round(proto, r, measured), DRAIN, r);
        // Leak check: with every session gone, the heap after many more handshakes should match the heap after the
        // idle sessions left; growth with the number of handshakes would be a leak.
        VpnServer.Memory end = server.memory();
        if (end.heapBytes().isPresent()) {
            r.notes.add("leak check: heap after the warm-up and " + r.handshakes.ok() + " measured handshakes, all sessions gone: "
                    + Format.mib(end.heapBytes()));
        }
    }

    private HandshakeRounds.HandshakeRound round(Proto proto, RunResult r, boolean record) {
        int n = options.parallel();
        List<VpnClient> clients = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            for (int i = 0; i < n; i++) {
                clients.add(VpnClient.start(loadNamespace(i), clientDir, loadProfile(i, proto)));
            }
            List<Double> latencies = new ArrayList<>();
            long last = t0;
            int failures = 0;
            for (VpnClient c : clients) {
                Optional<Long> took = c.awaitConnected(CONNECT_TIMEOUT);
                if (took.isPresent()) {
                    latencies.add(took.get() / 1e6);
                    last = Math.max(last, c.connectedAtNanos());
                } else {
                    failures++;
                    if (record) {
                        r.notes.add("handshakes: a client did not connect: " + Format.lastLines(c.tail(), 5));
                    }
                }
            }
            return new HandshakeRounds.HandshakeRound(last - t0, latencies, failures);
        } finally {
            VpnClient.closeAll(clients);
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The 1-minute load average (proc(5) /proc/loadavg): the machine is shared, and other work running during a
     * measurement shows up here.
     */
    static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split("\\s+");
            return f.length > 0 ? f[0] : "?";
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    static String fileLabel(RunResult r) {
        return r.server.replace(' ', '-') + "-" + r.proto.label();
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
