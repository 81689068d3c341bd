package io.p2sgw.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ParsersTest {
    @Test
    void vmRssComesFromItsOwnLineInBytes() {
        String status = "Name:\topenvpn\nVmHWM:\t   12000 kB\nVmRSS:\t    9560 kB\nRssAnon:\t 3000 kB\n";
        assertEquals(OptionalLong.of(9560L * 1024), ProcStatus.parseVmRssBytes(status));
        assertEquals(OptionalLong.empty(), ProcStatus.parseVmRssBytes("Name:\tkthreadd\n"));
        assertEquals(OptionalLong.empty(), ProcStatus.parseVmRssBytes("VmRSS:\t 12 MB\n"));
    }

    @Test
    void cpuTicksAreUtimePlusStimeCountedAfterTheCommandName() {
        // A command name with a space and a parenthesis must not shift the fields.
        String stat = "4242 (open vpn) x) S 1 4242 4242 0 -1 4194560 900 0 0 0 150 37 0 0 20 0 1 0 100 1000 200";
        assertEquals(OptionalLong.of(187), ProcStatus.parseCpuTicks(stat));
        assertEquals(OptionalLong.empty(), ProcStatus.parseCpuTicks("4242 (short) S 1 2"));
    }

    @Test
    void iperfGoodputIsTheReceiversSum() {
        String json = """
                {"start":{},"end":{"sum_sent":{"bits_per_second":2.1e8,"retransmits":7},
                "sum_received":{"bits_per_second":2.0e8}}}""";
        IperfResult r = IperfResult.parse(json);
        assertEquals(200.0, r.mbitPerSecond(), 1e-9);
        assertEquals(7, r.retransmits());
    }

    @Test
    void iperfErrorsAreReportedWithIperfsOwnText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IperfResult.parse("{\"start\":{},\"end\":{},\"error\":\"unable to connect to server: No route to host\"}"));
        assertTrue(e.getMessage().contains("No route to host"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IperfResult.parse("not json"));
        assertThrows(IllegalArgumentException.class, () -> IperfResult.parse("{\"end\":{}}"));
    }

    @Test
    void everyTunnelRunsTheSameIperfTestAndReadsTheJsonAmongOtherLines() {
        assertEquals(List.of("iperf3", "-c", "10.1.0.4", "-t", "8", "-O", "2", "-J"), IperfResult.command(8, false));
        assertEquals("iperf3 -c 10.1.0.4 -t 8 -O 2 -J -R", String.join(" ", IperfResult.command(8, true)));
        String out = "warning: something\n{\"end\":{\"sum_received\":{\"bits_per_second\":5.0e7}}}\n";
        assertEquals(50.0, IperfResult.fromOutput(out).mbitPerSecond(), 1e-9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IperfResult.fromOutput("iperf3: not found\n"));
        assertEquals("no JSON in iperf3 output: iperf3: not found", e.getMessage());
    }

    @Test
    void quantilesUseNearestRank() {
        List<Double> samples = List.of(5.0, 1.0, 4.0, 2.0, 3.0);
        assertEquals(Optional.of(3.0), Stats.quantile(samples, 0.5));
        assertEquals(Optional.of(5.0), Stats.quantile(samples, 0.95));
        assertEquals(Optional.empty(), Stats.quantile(List.of(), 0.5));
        assertEquals(Optional.of(2.0), Stats.perItemKiB(1024, 1024 + 4096, 2));
        assertEquals(Optional.empty(), Stats.perItemKiB(0, 1, 0));
    }
}
