package io.p2sgw.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SSTP figures (p2sgw next to SoftEther, ratio, issue 15's target) for the console and RESULTS-sstp.md. */
final class SstpReport {
    /** Issue 15: server CPU per GB at most half of SoftEther's, throughput at least equal, < 64 KiB heap per idle session. */
    static final double CPU_PER_GB_MAX_RATIO = 0.5;
    static final double THROUGHPUT_MIN_RATIO = 1.0;

    private static final ReportPage.Reference REFERENCE = new ReportPage.Reference("SoftEther", "SoftEther");

    private final BenchOptions options;
    private final List<SstpResult> results;
    private final MachineFacts machine;
    private final String softether;
    private final ReportPage page;

    SstpReport(BenchOptions options, List<SstpResult> results, Instant started, Duration took, MachineFacts machine, String softether) {
        this.options = options;
        this.results = List.copyOf(results);
        this.machine = machine;
        this.softether = softether;
        this.page = new ReportPage(started, took, machine);
    }

    static List<Figure> figures(List<SstpResult> results, java.util.Set<BenchOptions.Measure> measures) {
        Optional<SstpResult> p = results.stream().filter(r -> r.server.equals("p2sgw")).findFirst();
        Optional<SstpResult> s = results.stream().filter(r -> r.server.equals("SoftEther")).findFirst();
        List<Figure> out = new ArrayList<>();
        if (measures.contains(BenchOptions.Measure.THROUGHPUT)) {
            out.add(Figure.of("iperf3 TCP client->VM over SSTP", "Mbit/s", p.flatMap(r -> r.upload.medianMbps()), s.flatMap(r -> r.upload.medianMbps()),
                    new Figure.MinRatio(THROUGHPUT_MIN_RATIO)));
            out.add(Figure.of("iperf3 TCP VM->client over SSTP", "Mbit/s", p.flatMap(r -> r.download.medianMbps()),
                    s.flatMap(r -> r.download.medianMbps()), new Figure.MinRatio(THROUGHPUT_MIN_RATIO)));
            out.add(Figure.of("server CPU per GB through the tunnel, client->VM", "s/GB", p.flatMap(r -> r.upload.cpuSecondsPerGb()),
                    s.flatMap(r -> r.upload.cpuSecondsPerGb()), new Figure.MaxRatio(CPU_PER_GB_MAX_RATIO)));
            out.add(Figure.of("server CPU per GB through the tunnel, VM->client", "s/GB", p.flatMap(r -> r.download.cpuSecondsPerGb()),
                    s.flatMap(r -> r.download.cpuSecondsPerGb()), new Figure.MaxRatio(CPU_PER_GB_MAX_RATIO)));
            out.add(new Figure("server CPU per GB less its idle CPU, client->VM", "s/GB", p.flatMap(r -> r.upload.netCpuSecondsPerGb(r.idleCpuPercent)),
                    s.flatMap(r -> r.upload.netCpuSecondsPerGb(r.idleCpuPercent)), Optional.empty()));
            out.add(new Figure("server CPU per GB less its idle CPU, VM->client", "s/GB", p.flatMap(r -> r.download.netCpuSecondsPerGb(r.idleCpuPercent)),
                    s.flatMap(r -> r.download.netCpuSecondsPerGb(r.idleCpuPercent)), Optional.empty()));
            out.add(new Figure("server CPU with the tunnel up and idle", "% of a core", p.flatMap(r -> r.idleCpuPercent),
                    s.flatMap(r -> r.idleCpuPercent), Optional.empty()));
            out.add(new Figure("server CPU per 100 Mbit/s of goodput, client->VM", "% of a core", p.flatMap(r -> r.upload.cpuPercentPer100Mbps()),
                    s.flatMap(r -> r.upload.cpuPercentPer100Mbps()), Optional.empty()));
            out.add(new Figure("server CPU per 100 Mbit/s of goodput, VM->client", "% of a core", p.flatMap(r -> r.download.cpuPercentPer100Mbps()),
                    s.flatMap(r -> r.download.cpuPercentPer100Mbps()), Optional.empty()));
        }
        if (measures.contains(BenchOptions.Measure.MEMORY)) {
            out.add(Figure.of("memory per idle session (p2sgw: heap after GC; SoftEther: RSS)", "KiB", p.flatMap(r -> r.heapPerSessionKiB),
                    s.flatMap(r -> r.rssPerSessionKiB), new Figure.Below(Report.HEAP_PER_SESSION_MAX_KIB, "64 KiB heap")));
            out.add(new Figure("RSS per idle session (both processes, for reference)", "KiB", p.flatMap(r -> r.rssPerSessionKiB),
                    s.flatMap(r -> r.rssPerSessionKiB), Optional.empty()));
        }
        return out;
    }

    String console() {
        return page.console("p2sgw SSTP benchmark", figures(results, options.measures()), REFERENCE, details());
    }

    private List<ReportPage.Detail> details() {
        return results.stream().map(r -> new ReportPage.Detail(r.server + " / SSTP: " + r.idleDetail, r.notes)).toList();
    }

    String markdown() {
        String optionLine = "Options: `--tunnel=sstp --iperf-seconds=" + options.iperfSeconds() + " --iperf-repeats=" + options.iperfRepeats()
                + " --idle=" + options.idleSessions() + " --parallel=" + options.parallel() + "`";
        return page.head("p2sgw SSTP benchmark results", "`bench/run --tunnel=sstp` (issue 15, \"Performance\")",
                        List.of(optionLine, "SoftEther: " + softether))
                + page.machine(" (shared with other work: each iperf3 run below notes the load average before it)", "",
                        List.of("Client: sstpc 1.0.18 + pppd 2.4.9 in User-Mode Linux 6.1 (Debian `user-mode-linux`); " + machine.iperf3()))
                + ReportPage.figures(figures(results, options.measures()), REFERENCE,
                        "p2sgw/SoftEther is p2sgw's figure divided by SoftEther's: above 1 is better for throughput, below 1 is better for "
                        + "CPU and memory. The memory target (< 64 KiB) is on p2sgw's heap per session; the SoftEther column there is its "
                        + "RSS per session, the nearest thing a C process has.")
                + ReportPage.details(details(), " | ")
                + "\n" + METHOD;
    }

    static final String METHOD = """
            ## Method

            One lab (`io.p2sgw.lab.Lab`, network namespaces; lab/README.md): the VNet namespace with the VM 10.1.0.4 (iperf3
            server), the gateway namespace (public leg 198.51.100.4), client namespaces. The two servers take turns in the
            gateway namespace, p2sgw first, each freshly started, both on TCP 443 with the same server certificate (RSA 2048):

            - **p2sgw**: `io.p2sgw.bench.GatewayMain ... sstp`, its own JVM: the data-plane core with `SstpStreamProtocol`
              alone (outer TLS, HTTPS preamble, SSTP, PPP with EAP-TLS, IPCP from the pool), an FFM TUN 172.16.201.1/24 in
              the gateway namespace, a snapshot applied by hand (tunnel type SSTP only, so the whole pool is SSTP's).
            - **SoftEther**: `vpnserver execsvc` in a private mount namespace (its fixed state directories bound to scratch
              directories), configured with `vpncmd`: the same certificate (`ServerCertSet`), its OpenVPN off, keep-alive and
              VPN Azure off, the DEFAULT hub with one password user, a local bridge to a TAP device `tap_sebr` with
              172.16.201.1/24 in the gateway namespace (so the VM is reached through the kernel's forwarding exactly as
              through p2sgw's TUN), SecureNAT for its DHCP server only (SoftEther's PPP takes the client's address by DHCP on
              the hub; NAT off, gateway 172.16.201.1).
            - **client** (both): sstpc 1.0.18 + pppd 2.4.9 inside one User-Mode Linux guest (this host's kernel has no PPP),
              `--ca-cert` the server CA, pppd with `noccp novj noipv6`, `mtu 1400 mru 1400` (per-packet costs compare like
              for like), EAP-TLS (`need-peer-eap`, a client certificate per session) against p2sgw and MS-CHAPv2
              (`refuse-eap`, user and password) against SoftEther: SoftEther's SSTP takes passwords only; the handshake
              differs, the data path (TLS records carrying SSTP data packets carrying PPP frames carrying IPv4) does not.

            Measurements, identical for both servers:

            1. **Throughput and server CPU**: one session; `iperf3 -c 10.1.0.4 -t T -O 2 -J` (client->VM) and with `-R`
               (VM->client) inside the guest, repeated; the Mbit/s figure is the median of iperf3's `end.sum_received`.
               Over each run the server process's user+system CPU (`/proc/<pid>/stat`; for SoftEther the `execsvc` child that
               serves) and the IP bytes through its inner device (TUN; TAP less 14 bytes of Ethernet header per frame) both
               ways are taken: **server CPU per GB** = CPU seconds / GB through the device, summed over the runs of a
               direction. "per 100 Mbit/s" is the server's CPU (% of one core) over the runs divided by the median goodput.
               One run each way comes first and is not counted (the gateway JVM compiles its data path then). Before the
               counted runs the server's CPU with the tunnel up and idle is sampled for 5 s; "less its idle CPU" takes that
               rate times the runs' wall time off before dividing by the bytes: the data path's own cost, which matters at
               the UML client's rates of a few Mbit/s, where timers and polling weigh as much as the packets.
               The guest's CPU (every process of its namespace) is noted beside: the UML client near one core caps the
               tunnel's throughput, which is why the figure that compares the servers is CPU per GB, not Mbit/s.
            2. **Idle-session memory**: with no session left, a sample; then K sessions from one guest (N at a time, each its
               own sstpc + pppd), 5 s idle with SSTP echo flowing, a second sample. Per session = (after - before) / sessions
               up. p2sgw: heap used after three `System.gc()` in the gateway JVM, RSS for reference, and the heap growth by
               class; SoftEther: RSS of the serving process (`VmRSS`).

            Caveats: the machine is shared (other builds and tests run at the same time; each iperf3 run notes the load
            average before it); the UML guest, iperf3 and the server share the same CPUs; the figures compare the servers
            under the same client and load, they are not absolute capacities.
            """;
}
