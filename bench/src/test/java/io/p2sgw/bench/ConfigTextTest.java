package io.p2sgw.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.bench.ClientProfile.Proto;
import io.p2sgw.bench.ClientProfile.Wrap;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigTextTest {
    @Test
    void loadAndThroughputProfilesDifferOnlyInTheDevice() {
        List<String> tun = ClientProfile.text(Proto.TCP, Wrap.TLS_AUTH, true, "c.pem", "c.key").lines().toList();
        List<String> load = ClientProfile.text(Proto.TCP, Wrap.TLS_AUTH, false, "c.pem", "c.key").lines().toList();
        assertTrue(tun.contains("dev tun") && load.contains("dev null"));
        assertEquals(tun.stream().filter(l -> !l.startsWith("dev ")).toList(),
                load.stream().filter(l -> !l.startsWith("dev ") && !l.endsWith("-noexec")).toList());
        assertTrue(tun.containsAll(List.of("remote 198.51.100.4 443", "proto tcp-client", "cipher AES-256-GCM", "key-direction 1",
                "tls-auth ta.key", "auth SHA256")), tun.toString());
    }

    @Test
    void udpAndTlsCryptChangeTheirLinesOnly() {
        List<String> p = ClientProfile.text(Proto.UDP, Wrap.TLS_CRYPT, true, "c.pem", "c.key").lines().toList();
        assertTrue(p.containsAll(List.of("remote 198.51.100.4 1194", "proto udp", "tls-crypt ta.key", "explicit-exit-notify 1")), p.toString());
        assertFalse(p.contains("key-direction 1"));
    }

    @Test
    void theStockServerUsesTheSameWrapDirectionPortAndCipherOrder() {
        List<String> tcp = StockOpenVpnServer.config(Proto.TCP, Wrap.TLS_AUTH).lines().toList();
        assertTrue(tcp.containsAll(List.of("local 198.51.100.4", "port 443", "proto tcp-server", "tls-auth ta.key 0",
                "data-ciphers AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305", "keepalive 10 60", "topology subnet")), tcp.toString());
        List<String> udp = StockOpenVpnServer.config(Proto.UDP, Wrap.TLS_CRYPT).lines().toList();
        assertTrue(udp.containsAll(List.of("port 1194", "proto udp", "tls-crypt ta.key")), udp.toString());
    }

    @Test
    void theManagementLoadStatsLineGivesTheClientCount() {
        assertEquals(java.util.OptionalInt.of(17), StockOpenVpnServer.parseLoadStats("SUCCESS: nclients=17,bytesin=123,bytesout=456"));
        assertEquals(java.util.OptionalInt.empty(), StockOpenVpnServer.parseLoadStats(">INFO:OpenVPN Management Interface Version 5"));
        assertEquals(java.util.OptionalInt.empty(), StockOpenVpnServer.parseLoadStats("ERROR: unknown command"));
    }

    @Test
    void optionsParseAndRejectNonsense() {
        BenchOptions o = BenchOptions.parse(List.of("--parallel=8", "--protos=udp", "--wrap=tls-crypt", "--out=/tmp/r.md"));
        assertEquals(8, o.parallel());
        assertEquals(List.of(Proto.UDP), o.protos());
        assertEquals(Wrap.TLS_CRYPT, o.wrap());
        assertEquals(Path.of("/tmp/r.md"), o.out());
        assertEquals(BenchOptions.defaults().idleSessions(), o.idleSessions());
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(List.of("--idle=100000")));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(List.of("--protos=sctp")));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(List.of("--colour=red")));
        assertEquals(java.util.Set.of(BenchOptions.Measure.values()), o.measures());
        BenchOptions some = BenchOptions.parse(List.of("--measure=handshakes", "--servers=p2sgw"));
        assertEquals(java.util.Set.of(BenchOptions.Measure.HANDSHAKES), some.measures());
        assertEquals(java.util.Set.of(BenchOptions.Server.P2SGW), some.servers());
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(List.of("--measure=latency")));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(List.of("--servers=wireguard")));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(List.of("parallel=3")));
    }
}
