package io.p2sgw.bench;

import io.p2sgw.bench.ClientProfile.Proto;
import io.p2sgw.lab.Cmd;
import io.p2sgw.lab.Lab;
import io.p2sgw.openvpn.wire.StaticKey;
import io.p2sgw.pki.CertificateIssuer;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.KeyType;
import io.p2sgw.pki.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The side-by-side benchmark of issue #4 ("Performance"): on one lab (network namespaces, {@link Lab}), the p2sgw
 * data plane ({@link GatewayMain}) and the stock openvpn 2.6 server take turns in the gateway namespace and are
 * measured the same way with the same stock openvpn client: iperf3 TCP to the VM 10.1.0.4 through the tunnel,
 * full handshakes per second with N parallel clients, and memory per idle session. Prints the figures with
 * their ratios and writes bench/RESULTS.md. Run by {@code bench/run}; needs root.
 */
public final class BenchMain {
    private static final Duration CERT_VALIDITY = Duration.ofDays(7);

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(BenchOptions.usage());
            return;
        }
        if (InstancesBench.wanted(args)) { // issue 17: its own lab and figures
            InstancesBench.main(args);
            return;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        Optional<String> why = Lab.whyUnavailable();
        if (why.isPresent()) {
            System.err.println("bench: " + why.get());
            System.exit(2);
        }
        Instant started = Instant.now();
        log("building the lab (" + (1 + options.loadNamespaces()) + " client namespaces)");
        Lab lab = Lab.start(new Lab.Options(1 + options.loadNamespaces(), false, true));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeLab(lab), "bench-lab-teardown"));
        String idFile = System.getenv("P2SGW_BENCH_LAB_ID_FILE");
        if (idFile != null) {
            Files.writeString(Path.of(idFile), lab.runId() + "\n");
        }
        List<RunResult> results = new ArrayList<>();
        List<IkeResult> ikeResults = new ArrayList<>();
        List<SstpResult> sstpResults = new ArrayList<>();
        try {
            lab.exec(lab.gatewayNamespace(), "sysctl", "-q", "-w", "net.ipv4.ip_forward=1").orThrow();
            log("issuing certificates (RSA 2048, like the docs' recipe)");
            Path serverDir = lab.newDirectory("server");
            Path clientDir = lab.newDirectory("clients");
            writeKeysAndProfiles(options, serverDir, clientDir);
            Path logDir = Path.of(System.getProperty("p2sgw.bench.logs", "bench/target/bench-logs"));
            Files.createDirectories(logDir);
            log("client and server logs go to " + logDir.toAbsolutePath());
            if (options.tunnel() == BenchOptions.Tunnel.IKEV2) {
                ikeResults.addAll(IkeBench.run(lab, serverDir, clientDir, logDir, options, extraGatewayJvmOptions()));
            } else if (options.tunnel() == BenchOptions.Tunnel.SSTP) {
                sstpResults.addAll(SstpBench.run(lab, serverDir, clientDir, logDir, options, extraGatewayJvmOptions()));
            }
            Measurements m = new Measurements(lab, clientDir, options, logDir);
            for (Proto proto : options.tunnel() == BenchOptions.Tunnel.OPENVPN ? options.protos() : List.<Proto>of()) {
                for (boolean p2sgw : new boolean[] {true, false}) {
                    if (!options.servers().contains(p2sgw ? BenchOptions.Server.P2SGW : BenchOptions.Server.STOCK)) {
                        continue;
                    }
                    RunResult r = new RunResult(p2sgw ? "p2sgw" : "stock openvpn", proto);
                    results.add(r);
                    runOne(lab, serverDir, logDir, options, m, proto, p2sgw, r);
                }
            }
        } finally {
            closeLab(lab);
        }
        Duration took = Duration.between(started, Instant.now());
        Path out = options.out();
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        System.out.println();
        if (options.tunnel() == BenchOptions.Tunnel.IKEV2) {
            IkeReport report = new IkeReport(options, ikeResults, started, took, MachineFacts.collect());
            System.out.print(report.console());
            Files.writeString(out, report.markdown());
        } else if (options.tunnel() == BenchOptions.Tunnel.SSTP) {
            SstpReport report = new SstpReport(options, sstpResults, started, took, MachineFacts.collect(), SstpBench.softetherDescription());
            System.out.print(report.console());
            Files.writeString(out, report.markdown());
        } else {
            Report report = new Report(options, results, started, took, MachineFacts.collect());
            System.out.print(report.console());
            Files.writeString(out, report.markdown());
        }
        log("wrote " + out.toAbsolutePath());
    }

    /** A teardown problem is reported but does not lose the figures. */
    private static void closeLab(Lab lab) {
        try {
            lab.close();
        } catch (RuntimeException e) {
            log("WARNING: lab teardown: " + e);
        }
    }

    /**
     * Extra options for the gateway JVM, from {@code -Dp2sgw.bench.gatewayJvmOptions="..."} (space separated), for
     * profiling a run (for example {@code -XX:StartFlightRecording=filename=gw.jfr}); empty by default.
     */
    private static List<String> extraGatewayJvmOptions() {
        String v = System.getProperty("p2sgw.bench.gatewayJvmOptions", "").strip();
        return v.isEmpty() ? List.of() : List.of(v.split("\\s+"));
    }

    private static void runOne(Lab lab, Path serverDir, Path logDir, BenchOptions options, Measurements m, Proto proto, boolean p2sgw, RunResult r) {
        String what = r.server + " over OpenVPN-" + proto.label().toUpperCase(java.util.Locale.ROOT);
        Path serverLog = logDir.resolve("server-" + Measurements.fileLabel(r) + ".log");
        ServerTurn.take(what, r, () -> p2sgw ? P2sgwServer.start(lab, serverDir, "p2b" + lab.runId(), extraGatewayJvmOptions(), serverLog)
                : StockOpenVpnServer.start(lab, serverDir, proto, options.wrap(), serverLog), server -> {
            if (options.measures().contains(BenchOptions.Measure.THROUGHPUT)) {
                log(what + ": iperf3 through the tunnel (" + options.iperfSeconds() + " s each way)");
                m.throughput(server, proto, r);
                log(what + ": " + r.uploadMbps.map(Format::number).orElse("-") + " / " + r.downloadMbps.map(Format::number).orElse("-")
                        + " Mbit/s up/down; " + r.dataCipher);
            }
            if (options.measures().contains(BenchOptions.Measure.MEMORY)) {
                log(what + ": " + options.idleSessions() + " idle sessions");
                m.idleMemory(server, proto, r);
                log(what + ": " + r.idleDetail);
            }
            if (options.measures().contains(BenchOptions.Measure.HANDSHAKES)) {
                log(what + ": handshakes, " + options.warmupRounds() + " warm-up and " + options.rounds() + " measured rounds of "
                        + options.parallel() + " parallel clients");
                m.handshakes(server, proto, r);
                log(what + ": " + r.handshakes.perSecond().map(Format::number).orElse("-") + " handshakes/s (" + r.handshakes.ok() + " ok, "
                        + r.handshakes.failed() + " failed)");
            }
        });
    }

    private static void writeKeysAndProfiles(BenchOptions options, Path serverDir, Path clientDir) throws IOException {
        CertificateIssuer issuer = CertificateIssuer.withSystemClock();
        KeyAndChain root = issuer.createRoot("P2SRootCert", KeyType.RSA2048, CERT_VALIDITY);
        KeyAndChain serverCa = issuer.createRoot("p2sgw bench gateway CA", KeyType.RSA2048, CERT_VALIDITY);
        KeyAndChain server = issuer.createServer(serverCa, GatewayMain.SERVER_NAME, List.of(GatewayMain.SERVER_NAME),
                List.of(Lab.GATEWAY_PUBLIC_ADDRESS), KeyType.RSA2048, CERT_VALIDITY);
        byte[] k = new byte[StaticKey.LENGTH];
        new SecureRandom().nextBytes(k);
        StaticKey staticKey = StaticKey.of(k);

        Files.writeString(serverDir.resolve(GatewayMain.SERVER_CHAIN), Pem.certificatesToPem(server.chain()));
        Files.writeString(serverDir.resolve(GatewayMain.SERVER_KEY), Pem.privateKeyToPem(server.key()));
        Files.writeString(serverDir.resolve(GatewayMain.CLIENT_ROOT), Pem.certificatesToPem(List.of(root.certificate())));
        Files.writeString(serverDir.resolve(GatewayMain.STATIC_KEY_HEX), java.util.HexFormat.of().formatHex(k));
        Files.writeString(serverDir.resolve(ClientProfile.STATIC_KEY_FILE), staticKey.toOpenVpnFile());

        Files.writeString(clientDir.resolve(ClientProfile.CA_FILE), Pem.certificatesToPem(List.of(serverCa.certificate())));
        Files.writeString(clientDir.resolve(ClientProfile.STATIC_KEY_FILE), staticKey.toOpenVpnFile());
        writeClient(issuer, root, clientDir, "tput");
        for (Proto proto : options.protos()) {
            Files.writeString(clientDir.resolve(Measurements.tunProfile(proto)),
                    ClientProfile.text(proto, options.wrap(), true, "tput.pem", "tput.key"));
        }
        int loadClients = Math.max(options.idleSessions(), options.parallel());
        for (int i = 0; i < loadClients; i++) {
            writeClient(issuer, root, clientDir, "load" + i);
            for (Proto proto : options.protos()) {
                Files.writeString(clientDir.resolve(Measurements.loadProfile(i, proto)),
                        ClientProfile.text(proto, options.wrap(), false, "load" + i + ".pem", "load" + i + ".key"));
            }
        }
    }

    private static void writeClient(CertificateIssuer issuer, KeyAndChain root, Path dir, String name) throws IOException {
        KeyAndChain c = issuer.createClient(root, name, KeyType.RSA2048, CERT_VALIDITY);
        Files.writeString(dir.resolve(name + ".pem"), Pem.certificatesToPem(c.chain()));
        Files.writeString(dir.resolve(name + ".key"), Pem.privateKeyToPem(c.key()));
    }

    static void log(String line) {
        System.out.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + line);
    }

    /** Runs a host command and returns its first output line (machine facts). */
    static String firstLine(String... command) {
        try {
            Cmd.Result r = Cmd.run(command);
            return r.output().lines().findFirst().orElse("").strip();
        } catch (RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
