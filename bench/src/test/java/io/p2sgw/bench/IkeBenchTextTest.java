package io.p2sgw.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The IKEv2 bench's configuration texts, parsers, options and figures (the run itself needs root and a lab). */
class IkeBenchTextTest {
    @Test
    void everyClientConnectionIsThePackagesProfileWithItsOwnCertificate() {
        String conf = IkeProfiles.clientSwanctl(List.of("l0", "l3"), List.of("load0.pem", "load3.pem"));
        List<String> lines = conf.lines().map(String::strip).toList();
        assertTrue(lines.containsAll(List.of("l0 {", "l3 {", "certs = load0.pem", "certs = load3.pem", "remote_addrs = 198.51.100.4",
                "vips = 0.0.0.0", "encap = yes", "id = " + GatewayMain.SERVER_NAME, "remote_ts = 10.1.0.0/16",
                "proposals = aes256gcm16-prfsha384-ecp384-ecp256-modp2048,aes256-sha256-ecp256-modp2048",
                "esp_proposals = aes256gcm16,aes256-sha256")), conf);
        assertEquals(2, lines.stream().filter(l -> l.equals("encap = yes")).count());
        assertThrows(IllegalArgumentException.class, () -> IkeProfiles.clientSwanctl(List.of("a"), List.of()));
    }

    @Test
    void strongSwansResponderServesThePoolAndTheVnetWithTheSameProposals() {
        List<String> lines = IkeProfiles.responderSwanctl().lines().map(String::strip).toList();
        assertTrue(lines.containsAll(List.of("local_addrs = 198.51.100.4", "pools = pool", "addrs = 172.16.201.0/24",
                "local_ts = 10.1.0.0/16,172.16.201.0/24", "id = " + GatewayMain.SERVER_NAME, "certs = server.pem",
                "cacerts = client-root.pem", "proposals = " + IkeProfiles.IKE_PROPOSALS, "esp_proposals = " + IkeProfiles.ESP_PROPOSALS)),
                lines.toString());
    }

    @Test
    void loadCharonsInstallTheirAddressesButNoRoutesAndEveryCharonUsesLibipsec() {
        String load = IkeProfiles.loadCharonConf(Path.of("/x"));
        assertTrue(!load.contains("install_virtual_ip = no") && load.contains("install_routes = no"), load);
        String responder = IkeProfiles.responderCharonConf(Path.of("/y"));
        assertTrue(!responder.contains("install_routes = no") && responder.contains("kernel-libipsec {\n      load = yes"), responder);
        assertTrue(responder.contains("socket = unix:///y/charon.vici") && responder.contains("path = /y/charon.log"), responder);
    }

    @Test
    void swanctlStatsGiveTheIkeSaCount() {
        String stats = "uptime: 7 seconds, since Dec 04 14:20:47 2026\nworker threads: 16 total, 11 idle\n"
                + "IKE_SAs: 12 total, 1 half-open\nmallinfo: sbrk 2048\n";
        assertEquals(OptionalInt.of(12), Charon.parseIkeSas(stats));
        assertEquals(OptionalInt.empty(), Charon.parseIkeSas("connecting to 'unix:///x' failed"));
    }

    @Test
    void theVnetLegCountersAreTwoNumbers() {
        assertEquals(OptionalLong.of(3000), IkeMeasurements.sumOfLines("1000\n2000\n"));
        assertEquals(OptionalLong.empty(), IkeMeasurements.sumOfLines("1000\n"));
        assertEquals(OptionalLong.empty(), IkeMeasurements.sumOfLines("cat: /sys/class/net/vnet0: No such file\n5\n"));
    }

    @Test
    void cpuPerGbIsServerSecondsOverGigabytesAndPerMbitIsPercentOfACore() {
        IkeMeasurements.IperfRun run = new IkeMeasurements.IperfRun(200, 3.0, 500_000_000L, 12.0);
        assertEquals(6.0, run.cpuSecondsPerGb(), 1e-9);
        assertEquals(100.0 * 3.0 / 12.0 / 200, run.cpuPercentPerMbit(), 1e-9);
        assertTrue(Double.isNaN(new IkeMeasurements.IperfRun(0, 1, 0, 1).cpuSecondsPerGb()));
    }

    @Test
    void theTunnelOptionPicksIkev2AndItsOwnResultsFile() {
        BenchOptions ike = BenchOptions.parse(List.of("--tunnel=ikev2", "--parallel=4"));
        assertEquals(BenchOptions.Tunnel.IKEV2, ike.tunnel());
        assertEquals(BenchOptions.IKEV2_RESULTS, ike.out());
        assertEquals(Path.of("/tmp/i.md"), BenchOptions.parse(List.of("--tunnel=ikev2", "--out=/tmp/i.md")).out());
        assertEquals(BenchOptions.Tunnel.OPENVPN, BenchOptions.parse(List.of()).tunnel());
        assertEquals(Path.of("bench/RESULTS.md"), BenchOptions.parse(List.of()).out());
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(List.of("--tunnel=ikev2,openvpn")));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(List.of("--tunnel=l2tp")));
    }

    @Test
    void ikev2WarmsUpLongEnoughForTheJitUnlessToldOtherwise() {
        // bench/RESULTS-ikev2.md: the gateway JVM compiles its IKE path for ~1,000 handshakes; 120 rounds at the least.
        assertEquals(150, BenchOptions.parse(List.of("--tunnel=ikev2")).warmupRounds());
        assertTrue(BenchOptions.IKEV2_WARMUP_ROUNDS >= 120);
        assertEquals(7, BenchOptions.parse(List.of("--tunnel=ikev2", "--warmup-rounds=7")).warmupRounds());
        assertEquals(60, BenchOptions.parse(List.of()).warmupRounds());
        assertEquals(60, BenchOptions.parse(List.of("--tunnel=sstp")).warmupRounds());
        String help = BenchOptions.usage();
        assertTrue(help.contains("--warmup-rounds=N             handshake rounds before the measured ones, not counted (default 60; 150 with "
                + "--tunnel=ikev2,"), help);
    }

    @Test
    void theCpuPerGbTargetIsHalfOfStrongSwans() {
        IkeResult p = new IkeResult(IkeReport.P2SGW);
        IkeResult s = new IkeResult(IkeReport.STRONGSWAN);
        p.uploadCpuSecondsPerGb = Optional.of(5.0);
        s.uploadCpuSecondsPerGb = Optional.of(10.0);
        p.downloadCpuSecondsPerGb = Optional.of(5.1);
        s.downloadCpuSecondsPerGb = Optional.of(10.0);
        List<Figure> f = IkeReport.figures(List.of(p, s), 4, EnumSet.of(BenchOptions.Measure.THROUGHPUT));
        Figure up = f.stream().filter(x -> x.name().equals("server CPU per GB, client->VM")).findFirst().orElseThrow();
        Figure down = f.stream().filter(x -> x.name().equals("server CPU per GB, VM->client")).findFirst().orElseThrow();
        assertEquals("met", up.verdict());
        assertEquals("NOT met", down.verdict());
        assertTrue(IkeReport.figures(List.of(p, s), 4, EnumSet.of(BenchOptions.Measure.MEMORY)).stream()
                .noneMatch(x -> x.name().contains("per GB")));
    }
}
