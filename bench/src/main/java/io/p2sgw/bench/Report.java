package io.p2sgw.bench;

import io.p2sgw.bench.ClientProfile.Proto;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Turns the run results into figures (p2sgw next to stock, ratio, target) for the console and RESULTS.md. */
final class Report {
    /** The targets: throughput >= 1.5x stock, handshakes/s >= stock, < 64 KiB heap per idle session. */
    static final double THROUGHPUT_MIN_RATIO = 1.5;
    static final double HANDSHAKE_MIN_RATIO = 1.0;
    static final double HEAP_PER_SESSION_MAX_KIB = 64;

    /** The stock server's column and the ratio's heading. */
    static final ReportPage.Reference REFERENCE = new ReportPage.Reference("stock openvpn", "stock");

    private final BenchOptions options;
    private final List<RunResult> results;
    private final MachineFacts machine;
    private final ReportPage page;

    Report(BenchOptions options, List<RunResult> results, Instant started, Duration took, MachineFacts machine) {
        this.options = options;
        this.results = List.copyOf(results);
        this.machine = machine;
        this.page = new ReportPage(started, took, machine);
    }

    /** The figures, per transport, in the order of the issue. */
    static List<Figure> figures(List<RunResult> results, int parallel) {
        return figures(results, parallel, java.util.EnumSet.allOf(BenchOptions.Measure.class));
    }

    /** The figures of the measurements that ran (a run with {@code --measure} leaves the others out). */
    static List<Figure> figures(List<RunResult> results, int parallel, java.util.Set<BenchOptions.Measure> measures) {
        List<Figure> out = new ArrayList<>();
        for (Proto proto : results.stream().map(r -> r.proto).distinct().toList()) {
            String over = " over OpenVPN-" + proto.label().toUpperCase(Locale.ROOT);
            Optional<RunResult> p = find(results, "p2sgw", proto);
            Optional<RunResult> s = find(results, "stock openvpn", proto);
            if (measures.contains(BenchOptions.Measure.THROUGHPUT)) {
                out.add(Figure.of("iperf3 TCP client->VM" + over, "Mbit/s", p.flatMap(r -> r.uploadMbps), s.flatMap(r -> r.uploadMbps),
                        new Figure.MinRatio(THROUGHPUT_MIN_RATIO)));
                out.add(Figure.of("iperf3 TCP VM->client" + over, "Mbit/s", p.flatMap(r -> r.downloadMbps), s.flatMap(r -> r.downloadMbps),
                        new Figure.MinRatio(THROUGHPUT_MIN_RATIO)));
            }
            if (measures.contains(BenchOptions.Measure.HANDSHAKES)) {
                out.add(Figure.of("full handshakes/s, " + parallel + " parallel clients" + over, "1/s", p.flatMap(r -> r.handshakes.perSecond()),
                        s.flatMap(r -> r.handshakes.perSecond()), new Figure.MinRatio(HANDSHAKE_MIN_RATIO)));
                out.add(new Figure("server CPU per handshake" + over + " (user+system, measured rounds)", "ms",
                        p.flatMap(r -> r.handshakes.serverCpuMs()), s.flatMap(r -> r.handshakes.serverCpuMs()), Optional.empty()));
            }
            if (measures.contains(BenchOptions.Measure.MEMORY)) {
                out.add(Figure.of("memory per idle session" + over + " (p2sgw: heap after GC; stock: RSS)", "KiB",
                        p.flatMap(r -> r.heapPerSessionKiB), s.flatMap(r -> r.rssPerSessionKiB),
                        new Figure.Below(HEAP_PER_SESSION_MAX_KIB, "64 KiB heap")));
                out.add(new Figure("RSS per idle session" + over + " (both processes, for reference)", "KiB", p.flatMap(r -> r.rssPerSessionKiB),
                        s.flatMap(r -> r.rssPerSessionKiB), Optional.empty()));
            }
        }
        return out;
    }

    private static Optional<RunResult> find(List<RunResult> results, String server, Proto proto) {
        return results.stream().filter(r -> r.server.equals(server) && r.proto == proto).findFirst();
    }

    String console() {
        return page.console("p2sgw benchmark", figures(results, options.parallel(), options.measures()), REFERENCE, details());
    }

    private List<ReportPage.Detail> details() {
        return results.stream().map(r -> new ReportPage.Detail(detailLine(r), r.notes)).toList();
    }

    private static String detailLine(RunResult r) {
        HandshakeFigures h = r.handshakes;
        return r.server + " / OpenVPN-" + r.proto.label().toUpperCase(Locale.ROOT) + ": handshakes " + h.ok() + " ok, "
                + h.failed() + " failed, time to connected median " + h.medianMs().map(Format::number).orElse("-")
                + " ms, p95 " + h.p95Ms().map(Format::number).orElse("-") + " ms; " + r.idleDetail + "; "
                + (r.dataCipher.isEmpty() ? "" : r.dataCipher + "; ") + r.controlChannel;
    }

    String markdown() {
        String optionLine = "Options: `--iperf-seconds=" + options.iperfSeconds() + " --iperf-repeats=" + options.iperfRepeats()
                + " --parallel=" + options.parallel() + " --rounds=" + options.rounds() + " --warmup-rounds=" + options.warmupRounds()
                + " --idle=" + options.idleSessions() + " --load-namespaces=" + options.loadNamespaces() + " --wrap=" + options.wrap().option()
                + " --protos=" + String.join(",", options.protos().stream().map(Proto::label).toList())
                + " --measure=" + names(options.measures()) + " --servers=" + names(options.servers()) + "`";
        return page.head("p2sgw benchmark results", "`bench/run` (issue #4, \"Performance\")", List.of(optionLine))
                + page.machine("", "", List.of(machine.openvpn() + "; " + machine.openvpnDco()
                        + " (no ovpn-dco kernel module: the stock server and the client run the data channel in user space)", machine.iperf3()))
                + ReportPage.figures(figures(results, options.parallel(), options.measures()), REFERENCE,
                        "p2sgw/stock is p2sgw's figure divided by the stock server's: above 1 is better for throughput and handshakes, below 1 "
                        + "is better for CPU and memory. The memory target (< 64 KiB) is on p2sgw's heap per session; the stock column there "
                        + "is openvpn's RSS per session, the nearest thing a C process has.")
                + ReportPage.details(details(), " ")
                + "\n" + METHOD;
    }

    static final String METHOD = """
            ## Method

            One lab (`io.p2sgw.lab.Lab`, network namespaces): the VNet namespace with the VM 10.1.0.4 (iperf3 server), the
            gateway namespace (public leg 198.51.100.4 on a bridge, GatewaySubnet leg to the VNet), and client namespaces
            on the bridge. The two servers take turns in the gateway namespace, one transport at a time, in the order
            p2sgw-TCP, stock-TCP, p2sgw-UDP, stock-UDP, each freshly started:

            - **p2sgw**: `io.p2sgw.bench.GatewayMain`, its own JVM in the gateway namespace: the data-plane core
              (`GatewayDataPlane`) with `OpenVpnStreamProtocol` (TCP 443) and `OpenVpnUdpService` (UDP 1194), an FFM TUN
              172.16.201.1/24 (MTU 1500) in that namespace, and a snapshot applied by hand (no control plane, no API), like
              interop's `DataPlaneOpenVpnInteropTest`. It serves TCP and UDP at once.
            - **stock openvpn**: `openvpn` 2.6 as `--server` on the same address and port with the same server certificate,
              client root, static key and wrap (`tls-auth` direction 0, or `tls-crypt`), `auth SHA256`,
              `data-ciphers AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305`, `tls-version-min 1.2`, `dh none`, `topology subnet`,
              `server 172.16.201.0 255.255.255.0`, `keepalive 10 60`, the VNet route pushed, and its management interface on
              a Unix socket (only to ask `load-stats` for the session count, as the bench asks p2sgw's core).
            - **client** (both servers): the same stock `openvpn` 2.6 binary and profile, the Azure package's shape
              (`client`, `remote-cert-tls server`, `auth SHA256`, `cipher AES-256-GCM`, `tls-version-min 1.2`,
              `key-direction 1` + `tls-auth`, `nobind`; UDP adds `explicit-exit-notify 1`). The negotiated data cipher and
              TLS version are in Details. All certificates are RSA 2048.

            Measurements, identical for both servers:

            1. **Throughput**: one client with `dev tun` in its own namespace; `iperf3 -c 10.1.0.4 -t T -O 2 -J` (client->VM)
               and the same with `-R` (VM->client), one TCP stream each, repeated; the figure is the median of iperf3's
               `end.sum_received` over the repeats (each run is in Details). A failed run is retried once after 3 s.
            2. **Idle-session memory**: after the throughput client left and the server has no session, a sample; then K
               clients with `dev null` (no kernel device, so many can share a namespace; spread over the load namespaces)
               connect, N at a time, sit idle 5 s with keepalives flowing, and a second sample. Per session = (after -
               before) / connected clients. p2sgw: heap used after three `System.gc()` (`MemoryMXBean`) in the gateway
               JVM; RSS of the JVM is shown for reference. stock: RSS of the openvpn process (`/proc/<pid>/status` VmRSS).
            3. **Handshakes**: W warm-up rounds (not counted; the JVM compiles the handshake path in them, as a
               long-running gateway has long done), then R rounds in which N `dev null` clients (N distinct certificates)
               are started together; a round lasts from the first process start to the last client's "Initialization
               Sequence Completed" (read from its stdout). handshakes/s = successful handshakes / total round time. A
               "handshake" is the whole OpenVPN connection setup: reset exchange, TLS with client-certificate
               authentication, key method 2, PUSH_REQUEST/PUSH_REPLY. The clients' own process start and RSA signing run
               on the same CPUs as the server, equally for both servers.

            4. **Server CPU**: user+system time of the server process (`/proc/<pid>/stat`) over the measured handshake
               rounds divided by the successful handshakes, and over each iperf3 test (in Details). With only a few CPUs the
               clients' own work caps handshakes/s for both servers; CPU per handshake shows the server's own cost.

            The p2sgw gateway log, its GC log, a heap histogram with K idle sessions, the stock server's log and the
            throughput clients' logs of the last run are in `bench/target/bench-logs/`.

            Caveats: the machine is shared (other builds and tests may run at the same time; each iperf3 run notes the
            load average before it); client processes, iperf3 and the server share the same CPUs, so throughput is bounded by the
            client's user-space openvpn as much as by the server; the figures compare the servers under identical load,
            they are not absolute capacities.
            """;

    private static String names(java.util.Set<? extends Enum<?>> set) {
        return String.join(",", set.stream().sorted().map(e -> e.name().toLowerCase(java.util.Locale.ROOT)).toList());
    }
}
