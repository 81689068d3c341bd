package io.p2sgw.bench;

import io.p2sgw.lab.Cmd;
import io.p2sgw.lab.Lab;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The SSTP comparison of issue 15 ("Performance"), {@code bench/run --tunnel=sstp}: p2sgw's SSTP server
 * ({@link GatewayMain} with {@code sstp}) and SoftEther VPN Server's ({@link SoftEtherServer}) take turns in the
 * lab's gateway namespace and are measured the same way with the same client, sstpc + pppd in User-Mode Linux
 * ({@link SstpGuest}): iperf3 both directions through one tunnel with the server's CPU time and the bytes through
 * its inner device (CPU seconds per GB), then K idle sessions for the memory per session. p2sgw's sessions use
 * EAP-TLS, SoftEther's MS-CHAPv2 (the only kind its SSTP takes): the handshake differs, the data path does not.
 */
final class SstpBench {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);
    /** The server's CPU with the tunnel up and no traffic is sampled this long, before the iperf3 runs. */
    private static final Duration IDLE_CPU_WINDOW = Duration.ofSeconds(5);
    /** Waits until the server counts no session (the clients' sstpc have said goodbye or the server timed them out). */
    private static final ServerDrain DRAIN = new ServerDrain(Duration.ZERO, Duration.ofMillis(500), ServerDrain.TIMEOUT, "sessions",
            "the clients had gone");
    private static final Duration IPERF_GAP = Duration.ofSeconds(1);
    /** Ethernet header on SoftEther's TAP: subtracted per frame so both servers count IP bytes. */
    static final int ETHERNET_HEADER = 14;

    private final Lab lab;
    private final Path serverDir;
    private final Path clientDir;
    private final LogDir logs;
    private final BenchOptions options;
    private final List<String> gatewayJvmOptions;

    private SstpBench(Lab lab, Path serverDir, Path clientDir, Path logDir, BenchOptions options, List<String> gatewayJvmOptions) {
        this.lab = lab;
        this.serverDir = serverDir;
        this.clientDir = clientDir;
        this.logs = new LogDir(logDir);
        this.options = options;
        this.gatewayJvmOptions = gatewayJvmOptions;
    }

    /** The SoftEther server binary: {@code -Dp2sgw.bench.softether=PATH} (a fixed build), else Debian's. */
    static Path softetherBinary() {
        return Path.of(System.getProperty("p2sgw.bench.softether", SoftEtherServer.DEBIAN_BINARY.toString()));
    }

    /** What SoftEther ran, for the report: the binary, and Debian's package version. */
    static String softetherDescription() {
        Path b = softetherBinary();
        String pkg = BenchMain.firstLine("dpkg-query", "-W", "-f", "${Version}", "softether-vpnserver");
        return b.equals(SoftEtherServer.DEBIAN_BINARY) ? "Debian softether-vpnserver " + pkg + " (" + b + ")"
                : b + " (-Dp2sgw.bench.softether; Debian's softether-vpnserver here is " + pkg + ")";
    }

    /** Runs the servers {@code options.servers()} names, p2sgw first; the certificates are BenchMain's. */
    static List<SstpResult> run(Lab lab, Path serverDir, Path clientDir, Path logDir, BenchOptions options, List<String> gatewayJvmOptions) {
        Optional<String> why = io.p2sgw.lab.SstpUmlClient.whyUnavailable();
        if (why.isPresent()) {
            throw new IllegalStateException("the SSTP client cannot run: " + why.get());
        }
        SstpBench b = new SstpBench(lab, serverDir, clientDir, logDir, options, gatewayJvmOptions);
        List<SstpResult> results = new ArrayList<>();
        if (options.servers().contains(BenchOptions.Server.P2SGW)) {
            results.add(b.runOne(true));
        }
        if (options.servers().contains(BenchOptions.Server.STOCK)) {
            results.add(b.runOne(false));
        }
        return results;
    }

    /** A server under test with what the client and the byte count need. */
    private record Subject(VpnServer server, String innerDevice, int headerBytes, List<SstpGuest.Credentials> credentials) {}

    private SstpResult runOne(boolean p2sgw) {
        SstpResult r = new SstpResult(p2sgw ? "p2sgw" : "SoftEther");
        String what = r.server + " over SSTP";
        ServerTurn.take(what, r, p2sgw ? this::p2sgw : this::softether, Subject::server, s -> {
            if (options.measures().contains(BenchOptions.Measure.THROUGHPUT)) {
                BenchMain.log(what + ": iperf3 through the tunnel (" + options.iperfSeconds() + " s each way, " + options.iperfRepeats() + " runs)");
                throughput(s, r);
                BenchMain.log(what + ": " + r.upload.medianMbps().map(Format::number).orElse("-") + " / "
                        + r.download.medianMbps().map(Format::number).orElse("-") + " Mbit/s up/down; server CPU "
                        + r.upload.cpuSecondsPerGb().map(Format::number).orElse("-") + " / "
                        + r.download.cpuSecondsPerGb().map(Format::number).orElse("-") + " s/GB");
            }
            if (options.measures().contains(BenchOptions.Measure.MEMORY)) {
                BenchMain.log(what + ": " + options.idleSessions() + " idle sessions");
                idleMemory(s, r);
                BenchMain.log(what + ": " + r.idleDetail);
            }
        });
        return r;
    }

    private Subject p2sgw() {
        String tun = "p2b" + lab.runId();
        P2sgwServer server = P2sgwServer.start(lab, serverDir, tun, List.of("sstp"), gatewayJvmOptions, logs.dir().resolve("server-p2sgw-sstp.log"));
        List<SstpGuest.Credentials> creds = new ArrayList<>();
        creds.add(new SstpGuest.EapTls("tput", clientDir.resolve("tput.pem"), clientDir.resolve("tput.key")));
        for (int i = 0; i < options.idleSessions(); i++) {
            creds.add(new SstpGuest.EapTls("load" + i, clientDir.resolve("load" + i + ".pem"), clientDir.resolve("load" + i + ".key")));
        }
        return new Subject(server, tun, 0, creds);
    }

    private Subject softether() {
        Path binary = softetherBinary();
        Optional<String> why = SoftEtherServer.whyUnavailable(binary);
        if (why.isPresent()) {
            throw new IllegalStateException(why.get());
        }
        byte[] pw = new byte[12];
        new SecureRandom().nextBytes(pw);
        String password = HexFormat.of().formatHex(pw);
        SoftEtherServer server = SoftEtherServer.start(lab, binary, serverDir.resolve(GatewayMain.SERVER_CHAIN), serverDir.resolve(GatewayMain.SERVER_KEY),
                password, logs.dir().resolve("server-softether-sstp.log"));
        List<SstpGuest.Credentials> creds = new ArrayList<>();
        for (int i = 0; i <= options.idleSessions(); i++) {
            creds.add(new SstpGuest.Password(SoftEtherServer.USER, password));
        }
        return new Subject(server, SoftEtherServer.TAP, ETHERNET_HEADER, creds);
    }

    private Path ca() {
        return clientDir.resolve(ClientProfile.CA_FILE);
    }

    // ---------------------------------------------------------------- throughput

    private void throughput(Subject s, SstpResult r) {
        try (SstpGuest g = SstpGuest.boot(lab, 1, "tput")) {
            int up = g.connect(Lab.GATEWAY_PUBLIC_ADDRESS, ca(), s.credentials().subList(0, 1), 1, CONNECT_TIMEOUT);
            if (up != 1) {
                r.notes.add("throughput: the client did not connect:\n" + g.diagnostics(0) + "\n--- server\n" + s.server().tail());
                return;
            }
            SstpGuest.Result ping = g.run("ip route replace " + Lab.VNET_PREFIX + " dev ppp0 && ping -c 3 -W 2 " + Lab.VM_ADDRESS, Duration.ofSeconds(30));
            if (!ping.ok()) {
                r.notes.add("throughput: the VM does not answer pings through the tunnel: " + ping.output().strip());
                return;
            }
            // Not counted, for both servers alike: the gateway JVM compiles its data path in the first seconds of traffic.
            for (boolean reverse : new boolean[] {false, true}) {
                iperf(s, g, reverse, new SstpResult(r.server + " warm-up"));
            }
            // The server's own CPU with the tunnel up and idle (timers, echo, polling): noted, and taken off the
            // "net" CPU per GB, which at the UML client's low rates shows the data path's cost alone.
            OptionalLong c0 = ProcStatus.cpuTicks(s.server().pid());
            long t0 = System.nanoTime();
            Measurements.sleep(IDLE_CPU_WINDOW);
            OptionalLong c1 = ProcStatus.cpuTicks(s.server().pid());
            if (c0.isPresent() && c1.isPresent()) {
                r.idleCpuPercent = Optional.of(100.0 * (c1.getAsLong() - c0.getAsLong()) / ProcStatus.USER_HZ / ((System.nanoTime() - t0) / 1e9));
                r.notes.add("server CPU with the tunnel up and idle: " + Format.number(r.idleCpuPercent.get()) + " % of a core");
            }
            for (boolean reverse : new boolean[] {false, true}) {
                for (int i = 0; i < options.iperfRepeats(); i++) {
                    Measurements.sleep(IPERF_GAP);
                    if (!iperf(s, g, reverse, r)) {
                        Measurements.sleep(IPERF_GAP.multipliedBy(3));
                        iperf(s, g, reverse, r);
                    }
                }
            }
        } finally {
            DRAIN.await(s.server(), r, "throughput");
        }
    }

    /**
     * One iperf3 test inside the guest; the server's CPU time and the IP bytes through its inner device over the
     * same window, the guest's CPU beside (UML near a core is the cap of the tunnel, whatever the server does).
     */
    private boolean iperf(Subject s, SstpGuest g, boolean reverse, SstpResult r) {
        String what = reverse ? "VM->client" : "client->VM";
        String cmd = String.join(" ", IperfResult.command(options.iperfSeconds(), reverse));
        String load = Measurements.loadAverage();
        OptionalLong cpu0 = ProcStatus.cpuTicks(s.server().pid());
        OptionalLong guest0 = g.cpuTicks();
        OptionalLong dev0 = innerBytes(s);
        long t0 = System.nanoTime();
        SstpGuest.Result res = g.run(cmd, Duration.ofSeconds(options.iperfSeconds() + BenchOptions.IPERF_OMIT_SECONDS + 60L));
        long wall = System.nanoTime() - t0;
        OptionalLong cpu1 = ProcStatus.cpuTicks(s.server().pid());
        OptionalLong guest1 = g.cpuTicks();
        OptionalLong dev1 = innerBytes(s);
        IperfResult ir;
        try {
            ir = IperfResult.fromOutput(res.output());
        } catch (IllegalArgumentException e) {
            r.notes.add("iperf3 " + what + " failed (rc " + res.rc() + "): " + e.getMessage());
            return false;
        }
        if (cpu0.isEmpty() || cpu1.isEmpty() || dev0.isEmpty() || dev1.isEmpty()) {
            r.notes.add("iperf3 " + what + ": no CPU or byte count for the server");
            return false;
        }
        double cpuSeconds = (cpu1.getAsLong() - cpu0.getAsLong()) / (double) ProcStatus.USER_HZ;
        long bytes = dev1.getAsLong() - dev0.getAsLong();
        double wallSeconds = wall / 1e9;
        SstpResult.Direction d = reverse ? r.download : r.upload;
        d.mbps.add(ir.mbitPerSecond());
        d.serverCpuSeconds += cpuSeconds;
        d.innerBytes += bytes;
        d.wallSeconds += wallSeconds;
        String guestCpu = guest0.isPresent() && guest1.isPresent()
                ? ", client (UML guest) CPU " + Format.number(100.0 * (guest1.getAsLong() - guest0.getAsLong()) / ProcStatus.USER_HZ / wallSeconds) + " %"
                : "";
        r.notes.add("iperf3 " + what + ": " + Format.number(ir.mbitPerSecond()) + " Mbit/s, " + ir.retransmits() + " retransmits, server CPU "
                + Format.number(100.0 * cpuSeconds / wallSeconds) + " % (" + Format.number(cpuSeconds) + " s for " + Format.number(bytes / 1e6)
                + " MB through " + s.innerDevice() + ": " + (bytes > 0 ? Format.number(cpuSeconds / (bytes / 1e9)) : "-") + " s/GB)" + guestCpu
                + ", load average before " + load);
        return true;
    }

    /**
     * IP bytes (both directions) through the server's inner device in the gateway namespace so far: the kernel's
     * counters, less the Ethernet header per frame on a TAP.
     */
    private OptionalLong innerBytes(Subject s) {
        String base = "/sys/class/net/" + s.innerDevice() + "/statistics/";
        Cmd.Result c = lab.exec(lab.gatewayNamespace(), "cat", base + "rx_bytes", base + "tx_bytes", base + "rx_packets", base + "tx_packets");
        return c.ok() ? parseCounters(c.output(), s.headerBytes()) : OptionalLong.empty();
    }

    /** rx_bytes, tx_bytes, rx_packets, tx_packets (one a line) to IP bytes: bytes - header * packets. */
    static OptionalLong parseCounters(String text, int headerBytes) {
        List<String> v = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (v.size() != 4 || !v.stream().allMatch(x -> x.matches("\\d{1,19}"))) {
            return OptionalLong.empty();
        }
        long bytes = Long.parseLong(v.get(0)) + Long.parseLong(v.get(1));
        long packets = Long.parseLong(v.get(2)) + Long.parseLong(v.get(3));
        return OptionalLong.of(bytes - (long) headerBytes * packets);
    }

    // ---------------------------------------------------------------- idle-session memory

    private void idleMemory(Subject s, SstpResult r) {
        VpnServer server = s.server();
        int k = options.idleSessions();
        IdleMemory idle = IdleMemory.sampleBefore(server, DRAIN, r);
        try (SstpGuest g = SstpGuest.boot(lab, 2, "idle")) {
            long t0 = System.nanoTime();
            int connected = g.connect(Lab.GATEWAY_PUBLIC_ADDRESS, ca(), s.credentials().subList(1, 1 + k), options.parallel(), CONNECT_TIMEOUT);
            long took = System.nanoTime() - t0;
            if (connected < k) {
                int first = g.down().isEmpty() ? 0 : g.down().getFirst();
                r.notes.add("idle: " + (k - connected) + " of " + k + " sessions did not come up (" + g.down() + "); session " + first
                        + "'s logs:\n" + g.diagnostics(first));
            }
            if (g.restarts() > 0) {
                r.notes.add("idle: " + g.restarts() + " hung sstpc restarted (sstpc 1.0.18's race, README \"Limits\")");
            }
            idle.sampleAfter(connected, "session", " (connected in " + Format.number(took / 1e9) + " s, " + options.parallel() + " at a time)",
                    logs, "heap-growth-" + r.server + "-sstp.txt", r);
        }
        DRAIN.await(server, r, "idle");
        VpnServer.Memory gone = server.memory();
        r.idleDetail += "; after they left: heap " + Format.mib(gone.heapBytes()) + ", RSS " + Format.mib(gone.rssBytes());
    }
}
