package io.p2sgw.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The IKEv2 figures (issue #14, "Performance"): p2sgw next to strongSwan's own responder, the ratio and the issue's
 * target, for the console and bench/RESULTS-ikev2.md.
 */
final class IkeReport {
    static final String P2SGW = "p2sgw";
    static final String STRONGSWAN = "strongSwan";
    /** Issue #14: server CPU per GB at most 0.5x strongSwan's, throughput and handshakes/s at least equal, < 64 KiB heap per idle SA. */
    static final double CPU_PER_GB_MAX_RATIO = 0.5;
    static final double THROUGHPUT_MIN_RATIO = 1.0;
    static final double HANDSHAKE_MIN_RATIO = 1.0;
    static final double HEAP_PER_SA_MAX_KIB = 64;
    private static final String REFERENCE = "strongSwan 5.9.8";

    private final BenchOptions options;
    private final List<IkeResult> results;
    private final Instant started;
    private final Duration took;
    private final MachineFacts machine;

    IkeReport(BenchOptions options, List<IkeResult> results, Instant started, Duration took, MachineFacts machine) {
        this.options = options;
        this.results = List.copyOf(results);
        this.started = started;
        this.took = took;
        this.machine = machine;
    }

    static List<Figure> figures(List<IkeResult> results, int parallel, Set<BenchOptions.Measure> measures) {
        Optional<IkeResult> p = results.stream().filter(r -> r.server.equals(P2SGW)).findFirst();
        Optional<IkeResult> s = results.stream().filter(r -> r.server.equals(STRONGSWAN)).findFirst();
        List<Figure> out = new ArrayList<>();
        if (measures.contains(BenchOptions.Measure.THROUGHPUT)) {
            out.add(Figure.of("iperf3 TCP client->VM over IKEv2", "Mbit/s", get(p, r -> r.uploadMbps), get(s, r -> r.uploadMbps),
                    new Figure.MinRatio(THROUGHPUT_MIN_RATIO)));
            out.add(Figure.of("iperf3 TCP VM->client over IKEv2", "Mbit/s", get(p, r -> r.downloadMbps), get(s, r -> r.downloadMbps),
                    new Figure.MinRatio(THROUGHPUT_MIN_RATIO)));
            out.add(Figure.of("server CPU per GB, client->VM", "s/GB", get(p, r -> r.uploadCpuSecondsPerGb), get(s, r -> r.uploadCpuSecondsPerGb),
                    new Figure.MaxRatio(CPU_PER_GB_MAX_RATIO)));
            out.add(Figure.of("server CPU per GB, VM->client", "s/GB", get(p, r -> r.downloadCpuSecondsPerGb),
                    get(s, r -> r.downloadCpuSecondsPerGb), new Figure.MaxRatio(CPU_PER_GB_MAX_RATIO)));
            out.add(new Figure("server CPU per Mbit/s, client->VM", "% of a core", get(p, r -> r.uploadCpuPercentPerMbit),
                    get(s, r -> r.uploadCpuPercentPerMbit), Optional.empty()));
            out.add(new Figure("server CPU per Mbit/s, VM->client", "% of a core", get(p, r -> r.downloadCpuPercentPerMbit),
                    get(s, r -> r.downloadCpuPercentPerMbit), Optional.empty()));
        }
        if (measures.contains(BenchOptions.Measure.HANDSHAKES)) {
            out.add(Figure.of("full IKE handshakes/s, " + parallel + " parallel clients", "1/s", get(p, r -> r.handshakesPerSecond),
                    get(s, r -> r.handshakesPerSecond), new Figure.MinRatio(HANDSHAKE_MIN_RATIO)));
            out.add(new Figure("server CPU per handshake (user+system, measured rounds)", "ms", get(p, r -> r.handshakeServerCpuMs),
                    get(s, r -> r.handshakeServerCpuMs), Optional.empty()));
        }
        if (measures.contains(BenchOptions.Measure.MEMORY)) {
            out.add(Figure.of("memory per idle SA (p2sgw: heap after GC; strongSwan: charon RSS)", "KiB", get(p, r -> r.heapPerSaKiB),
                    get(s, r -> r.rssPerSaKiB), new Figure.Below(HEAP_PER_SA_MAX_KIB, "64 KiB heap")));
            out.add(new Figure("RSS growth per idle SA (both processes)", "KiB", get(p, r -> r.rssPerSaKiB), get(s, r -> r.rssPerSaKiB),
                    Optional.empty()));
        }
        return out;
    }

    private static Optional<Double> get(Optional<IkeResult> r, Function<IkeResult, Optional<Double>> f) {
        return r.flatMap(f);
    }

    String console() {
        StringBuilder sb = new StringBuilder();
        sb.append("p2sgw IKEv2 benchmark, ").append(timestamp()).append(", ").append(machine.cpus()).append(" CPUs (").append(machine.cpu())
                .append("), took ").append(took.toSeconds()).append(" s\n\n");
        sb.append(Format.table(figures(results, options.parallel(), options.measures()), REFERENCE, "strongSwan"));
        sb.append('\n');
        for (IkeResult r : results) {
            sb.append(detailLine(r)).append('\n');
            r.notes.forEach(n -> sb.append("    ").append(n).append('\n'));
        }
        return sb.toString();
    }

    private static String detailLine(IkeResult r) {
        return r.server + " / IKEv2: handshakes " + r.handshakes + " ok, " + r.handshakeFailures + " failed, time to CHILD SA up median "
                + r.handshakeMedianMs.map(Format::number).orElse("-") + " ms, p95 " + r.handshakeP95Ms.map(Format::number).orElse("-") + " ms; "
                + r.idleDetail + (r.negotiated.isEmpty() ? "" : "; negotiated: " + r.negotiated);
    }

    private String timestamp() {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").format(started.atOffset(ZoneOffset.UTC));
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# p2sgw IKEv2 benchmark results\n\n");
        sb.append("Written by `bench/run --tunnel=ikev2` (issue #14, \"Performance\"); every run overwrites this file. ")
                .append("Figures are what this machine measured, not tuned; a NOT met is reported as such.\n\n");
        sb.append("- Date: ").append(timestamp()).append(" (run took ").append(took.toSeconds()).append(" s)\n");
        sb.append("- Options: `--tunnel=ikev2 --iperf-seconds=").append(options.iperfSeconds()).append(" --iperf-repeats=").append(options.iperfRepeats())
                .append(" --parallel=").append(options.parallel()).append(" --rounds=").append(options.rounds()).append(" --warmup-rounds=")
                .append(options.warmupRounds()).append(" --idle=").append(options.idleSessions()).append(" --load-namespaces=")
                .append(options.loadNamespaces()).append("`\n\n");
        sb.append("## Machine\n\n");
        sb.append("- CPU: ").append(machine.cpu()).append(", ").append(machine.cpus()).append(" CPUs visible\n");
        sb.append("- Memory: ").append(machine.memory()).append('\n');
        sb.append("- Kernel: ").append(machine.kernel()).append(" (no kernel ESP: every strongSwan here uses kernel-libipsec)\n");
        sb.append("- JDK: ").append(machine.java()).append(" (gateway JVM: default collector and heap sizing)\n");
        sb.append("- ").append(strongSwanVersion()).append('\n');
        sb.append("- ").append(machine.iperf3()).append("\n\n");
        sb.append("## Figures\n\n");
        sb.append(Format.markdownTable(figures(results, options.parallel(), options.measures()), REFERENCE, "strongSwan"));
        sb.append("\np2sgw/strongSwan is p2sgw's figure divided by strongSwan's: above 1 is better for throughput and handshakes, ")
                .append("below 1 is better for CPU and memory. The memory target (< 64 KiB) is on p2sgw's heap per SA; the strongSwan column ")
                .append("there is charon's RSS growth per SA.\n\n");
        sb.append("## Details\n\n");
        for (IkeResult r : results) {
            sb.append("- ").append(detailLine(r)).append('\n');
            r.notes.forEach(n -> sb.append("  - ").append(n.replace("\n", " ")).append('\n'));
        }
        sb.append('\n').append(METHOD);
        return sb.toString();
    }

    /** swanctl's version line (its first lines may be plugin warnings). */
    private static String strongSwanVersion() {
        try {
            return io.p2sgw.lab.Cmd.run("swanctl", "--version").output().lines().filter(l -> l.contains("strongSwan")).findFirst()
                    .orElse("strongSwan: version unknown").strip();
        } catch (RuntimeException e) {
            return "strongSwan: version unknown (" + e.getMessage() + ")";
        }
    }

    static final String METHOD = """
            ## Method

            The lab of bench/README.md (network namespaces; the VM 10.1.0.4 runs the iperf3 server). The two responders
            take turns in the gateway namespace on 198.51.100.4, UDP 500/4500, each freshly started:

            - **p2sgw**: `io.p2sgw.bench.GatewayMain` in its own JVM: the data-plane core with `IkeV2Service` (and OpenVPN,
              idle), the FFM TUN 172.16.201.1/24, a snapshot applied by hand (pool 172.16.201.0/24, routes 10.1.0.0/16 and
              the pool, the bench's client root).
            - **strongSwan**: `charon-systemd` 5.9.8 with `kernel-libipsec` (userspace ESP over its TUN: the kernel has no
              ESP), `swanctl.conf` from `IkeProfiles.responderSwanctl`: the same server certificate, key and name, the same
              client root, `pools` 172.16.201.0/24, `local_ts` 10.1.0.0/16 and the pool, the package's proposals; log
              level 1.
            - **clients** (both): stock strongSwan 5.9.8 with kernel-libipsec, the package's profile shape
              (`IkeProfiles.clientConnection`: `encap = yes`, `vips = 0.0.0.0`, proposals
              `aes256gcm16-prfsha384-ecp384-ecp256-modp2048,aes256-sha256-ecp256-modp2048`, ESP `aes256gcm16,aes256-sha256`,
              RSA 2048 certificates). What was negotiated is in Details.

            Measurements, identical for both responders:

            1. **Throughput**: lab's `StrongSwanClient` in its own namespace, `swanctl --initiate`, then
               `iperf3 -c 10.1.0.4 -t T -O 2 -J` and the same with `-R`, one TCP stream each, repeated; the figure is the
               median.
            2. **Server CPU per GB**: user+system time of the server process (`/proc/<pid>/stat`) over each iperf3 test,
               divided by the bytes that crossed the gateway's VNet leg (`vnet0` rx+tx) in that test; median over the
               repeats. Per Mbit/s: the server's CPU in % of one core divided by the test's goodput.
            3. **Idle-SA memory**: K load clients bring up their SA (N at a time), sit 5 s, a sample; p2sgw: heap used after
               full GCs and RSS; strongSwan: charon's RSS. Per SA = (after - before) / K.
            4. **Handshakes**: W warm-up rounds, then R rounds in which N load clients run `swanctl --initiate` at the same
               moment; a round lasts until the last one reports its CHILD SA up. A handshake is IKE_SA_INIT (ECP-384) and
               IKE_AUTH with RSA certificates both ways, the configuration payload and the first CHILD SA. After each round
               every SA is deleted (`swanctl --terminate`) and the bench waits until the server holds none.
               The load clients are one charon per load namespace holding many connections (own certificate each;
               `install_virtual_ip = no`, `install_routes = no`, they carry no traffic); their CPU shares the machine with
               the server, equally for both.

            Caveats: the machine is shared (the load average is noted beside each iperf3 test); the throughput client is a
            single userspace ESP (kernel-libipsec) process, which caps the goodput for both servers; server CPU per GB and per
            handshake are the comparison that holds.
            """;
}
