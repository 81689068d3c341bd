package io.p2sgw.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
    private static final ReportPage.Reference REFERENCE = new ReportPage.Reference("strongSwan 5.9.8", "strongSwan");

    private final BenchOptions options;
    private final List<IkeResult> results;
    private final MachineFacts machine;
    private final ReportPage page;

    IkeReport(BenchOptions options, List<IkeResult> results, Instant started, Duration took, MachineFacts machine) {
        this.options = options;
        this.results = List.copyOf(results);
        this.machine = machine;
        this.page = new ReportPage(started, took, machine);
    }

    static List<Figure> figures(List<IkeResult> results, int parallel, Set<BenchOptions.Measure> measures) {
        Optional<IkeResult> p = results.stream().filter(r -> r.server.equals(P2SGW)).findFirst();
        Optional<IkeResult> s = results.stream().filter(r -> r.server.equals(STRONGSWAN)).findFirst();
        List<Figure> out = new ArrayList<>();
        if (measures.contains(BenchOptions.Measure.THROUGHPUT)) {
            out.add(Figure.of("iperf3 TCP client->VM over IKEv2", "Mbit/s", p.flatMap(r -> r.uploadMbps), s.flatMap(r -> r.uploadMbps),
                    new Figure.MinRatio(THROUGHPUT_MIN_RATIO)));
            out.add(Figure.of("iperf3 TCP VM->client over IKEv2", "Mbit/s", p.flatMap(r -> r.downloadMbps), s.flatMap(r -> r.downloadMbps),
                    new Figure.MinRatio(THROUGHPUT_MIN_RATIO)));
            out.add(Figure.of("server CPU per GB, client->VM", "s/GB", p.flatMap(r -> r.uploadCpuSecondsPerGb), s.flatMap(r -> r.uploadCpuSecondsPerGb),
                    new Figure.MaxRatio(CPU_PER_GB_MAX_RATIO)));
            out.add(Figure.of("server CPU per GB, VM->client", "s/GB", p.flatMap(r -> r.downloadCpuSecondsPerGb),
                    s.flatMap(r -> r.downloadCpuSecondsPerGb), new Figure.MaxRatio(CPU_PER_GB_MAX_RATIO)));
            out.add(new Figure("server CPU per Mbit/s, client->VM", "% of a core", p.flatMap(r -> r.uploadCpuPercentPerMbit),
                    s.flatMap(r -> r.uploadCpuPercentPerMbit), Optional.empty()));
            out.add(new Figure("server CPU per Mbit/s, VM->client", "% of a core", p.flatMap(r -> r.downloadCpuPercentPerMbit),
                    s.flatMap(r -> r.downloadCpuPercentPerMbit), Optional.empty()));
        }
        if (measures.contains(BenchOptions.Measure.HANDSHAKES)) {
            out.add(Figure.of("full IKE handshakes/s, " + parallel + " parallel clients", "1/s", p.flatMap(r -> r.handshakes.perSecond()),
                    s.flatMap(r -> r.handshakes.perSecond()), new Figure.MinRatio(HANDSHAKE_MIN_RATIO)));
            out.add(new Figure("server CPU per handshake (user+system, measured rounds)", "ms", p.flatMap(r -> r.handshakes.serverCpuMs()),
                    s.flatMap(r -> r.handshakes.serverCpuMs()), Optional.empty()));
        }
        if (measures.contains(BenchOptions.Measure.MEMORY)) {
            out.add(Figure.of("memory per idle SA (p2sgw: heap after GC; strongSwan: charon RSS)", "KiB", p.flatMap(r -> r.heapPerSessionKiB),
                    s.flatMap(r -> r.rssPerSessionKiB), new Figure.Below(HEAP_PER_SA_MAX_KIB, "64 KiB heap")));
            out.add(new Figure("RSS growth per idle SA (both processes)", "KiB", p.flatMap(r -> r.rssPerSessionKiB), s.flatMap(r -> r.rssPerSessionKiB),
                    Optional.empty()));
        }
        return out;
    }

    String console() {
        return page.console("p2sgw IKEv2 benchmark", figures(results, options.parallel(), options.measures()), REFERENCE, details());
    }

    private List<ReportPage.Detail> details() {
        return results.stream().map(r -> new ReportPage.Detail(detailLine(r), r.notes)).toList();
    }

    private static String detailLine(IkeResult r) {
        HandshakeFigures h = r.handshakes;
        return r.server + " / IKEv2: handshakes " + h.ok() + " ok, " + h.failed() + " failed, time to CHILD SA up median "
                + h.medianMs().map(Format::number).orElse("-") + " ms, p95 " + h.p95Ms().map(Format::number).orElse("-") + " ms; "
                + r.idleDetail + (r.negotiated.isEmpty() ? "" : "; negotiated: " + r.negotiated);
    }

    String markdown() {
        String optionLine = "Options: `--tunnel=ikev2 --iperf-seconds=" + options.iperfSeconds() + " --iperf-repeats=" + options.iperfRepeats()
                + " --parallel=" + options.parallel() + " --rounds=" + options.rounds() + " --warmup-rounds=" + options.warmupRounds()
                + " --idle=" + options.idleSessions() + " --load-namespaces=" + options.loadNamespaces() + "`";
        return page.head("p2sgw IKEv2 benchmark results", "`bench/run --tunnel=ikev2` (issue #14, \"Performance\")", List.of(optionLine))
                + page.machine("", " (no kernel ESP: every strongSwan here uses kernel-libipsec)", List.of(strongSwanVersion(), machine.iperf3()))
                + ReportPage.figures(figures(results, options.parallel(), options.measures()), REFERENCE,
                        "p2sgw/strongSwan is p2sgw's figure divided by strongSwan's: above 1 is better for throughput and handshakes, below 1 is "
                        + "better for CPU and memory. The memory target (< 64 KiB) is on p2sgw's heap per SA; the strongSwan column there is "
                        + "charon's RSS growth per SA.")
                + ReportPage.details(details(), " ")
                + "\n" + METHOD;
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
