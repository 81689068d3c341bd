package io.p2sgw.bench;

import io.p2sgw.lab.Lab;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The IKEv2 side of the benchmark (issue #14, "Performance", {@code bench/run --tunnel=ikev2}): p2sgw's IKEv2
 * responder ({@link GatewayMain}) and strongSwan's own ({@link StrongSwanResponder}) take turns in the gateway
 * namespace and are measured by {@link IkeMeasurements} with the same stock strongSwan clients.
 */
final class IkeBench {
    private IkeBench() {}

    /** Runs the servers {@code options} names, one after the other; the results in that order. */
    static List<IkeResult> run(Lab lab, Path serverDir, Path clientDir, Path logDir, BenchOptions options, List<String> gatewayJvmOptions)
            throws java.io.IOException {
        List<IkeResult> results = new ArrayList<>();
        BenchMain.log("IKEv2: starting " + Math.min(options.loadNamespaces(), IkeMeasurements.loadClients(options)) + " load charons");
        try (IkeMeasurements m = IkeMeasurements.start(lab, clientDir, options, logDir)) {
            if (options.servers().contains(BenchOptions.Server.P2SGW)) {
                results.add(runOne(IkeReport.P2SGW, m, options, () -> P2sgwServer.start(lab, serverDir, "p2i" + lab.runId(), gatewayJvmOptions,
                        logDir.resolve("server-p2sgw-ikev2.log"))));
            }
            if (options.servers().contains(BenchOptions.Server.STOCK)) {
                results.add(runOne(IkeReport.STRONGSWAN, m, options,
                        () -> StrongSwanResponder.start(lab, serverDir, logDir.resolve("server-strongswan-ikev2.log"))));
            }
        }
        return results;
    }

    private static IkeResult runOne(String label, IkeMeasurements m, BenchOptions options, Supplier<VpnServer> starter) {
        IkeResult r = new IkeResult(label);
        String what = label + " over IKEv2";
        ServerTurn.take(what, r, starter, server -> {
            if (options.measures().contains(BenchOptions.Measure.THROUGHPUT)) {
                BenchMain.log(what + ": iperf3 through the tunnel (" + options.iperfSeconds() + " s each way)");
                m.throughput(server, r);
                BenchMain.log(what + ": " + r.uploadMbps.map(Format::number).orElse("-") + " / " + r.downloadMbps.map(Format::number).orElse("-")
                        + " Mbit/s up/down; server CPU " + r.uploadCpuSecondsPerGb.map(Format::number).orElse("-") + " / "
                        + r.downloadCpuSecondsPerGb.map(Format::number).orElse("-") + " s/GB; " + r.negotiated);
            }
            if (options.measures().contains(BenchOptions.Measure.MEMORY)) {
                BenchMain.log(what + ": " + options.idleSessions() + " idle SAs");
                m.idleMemory(server, r);
                BenchMain.log(what + ": " + r.idleDetail);
            }
            if (options.measures().contains(BenchOptions.Measure.HANDSHAKES)) {
                BenchMain.log(what + ": handshakes, " + options.warmupRounds() + " warm-up and " + options.rounds() + " measured rounds of "
                        + options.parallel() + " parallel clients");
                m.handshakes(server, r);
                BenchMain.log(what + ": " + r.handshakes.perSecond().map(Format::number).orElse("-") + " handshakes/s (" + r.handshakes.ok() + " ok, "
                        + r.handshakes.failed() + " failed), server CPU " + r.handshakes.serverCpuMs().map(Format::number).orElse("-") + " ms each");
            }
        });
        return r;
    }
}
