package io.p2sgw.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Builds the real topology in network namespaces and checks it, then that teardown leaves nothing. Needs root. */
@Timeout(600) // a guard against hangs; includes waiting for another lab on the host
class LabTest {

    @BeforeEach
    void requireRoot() {
        Optional<String> why = Lab.whyUnavailable();
        assumeTrue(why.isEmpty(), () -> "lab test skipped: " + why.orElse(""));
    }

    private static List<String> namespaces() {
        return Cmd.run("ip", "netns", "list").orThrow().output().lines().map(l -> l.split(" ")[0]).sorted().toList();
    }

    private static List<String> leftOf(Lab lab) {
        return namespaces().stream().filter(n -> n.startsWith("p2sgw-" + lab.runId() + "-")).toList();
    }

    private static boolean hostLinkExists(String name) {
        return Cmd.run("ip", "link", "show", name).ok();
    }

    @Test
    void seedTopologyWorksAndTeardownLeavesNothing() throws Exception {
        Lab lab = Lab.start(Lab.Options.seed(2));
        String hostLink = "p2s" + lab.runId();
        Path scratch = lab.scratch();
        try {
            assertEquals(5, lab.namespaces().size());
            assertTrue(namespaces().containsAll(lab.namespaces()));
            // The VM's web server, reached from the gateway through the GatewaySubnet leg.
            assertEquals(Optional.of(Lab.VM_INDEX_BODY),
                    lab.httpGet(lab.gatewayNamespace(), "http://" + Lab.VM_ADDRESS + "/", Duration.ofSeconds(5)));
            // The VNet routes the client pool back to the gateway.
            String route = lab.exec(lab.vnetNamespace(), "ip", "route", "get", "172.16.201.7").orThrow().output();
            assertTrue(route.contains("via " + Lab.GATEWAY_SUBNET_ADDRESS), route);
            // Clients reach the gateway's public address over the internet segment, and not the VNet directly.
            assertTrue(lab.ping(lab.clientNamespace(1), Lab.GATEWAY_PUBLIC_ADDRESS, Duration.ofSeconds(3)));
            assertTrue(lab.ping(lab.clientNamespace(2), lab.clientAddress(1), Duration.ofSeconds(3)));
            assertFalse(lab.ping(lab.clientNamespace(1), Lab.VM_ADDRESS, Duration.ofSeconds(1)));
            // The host reaches the gateway's public leg (the API will listen on 198.51.100.4:8443).
            assertTrue(hostLinkExists(hostLink));
            assertTrue(Cmd.run("ping", "-c", "1", "-W", "3", Lab.GATEWAY_PUBLIC_ADDRESS).ok());
            // iperf3 listens on the VM.
            assertTrue(lab.exec(lab.vnetNamespace(), "sh", "-c", "ss -ltn | grep -q '10.1.0.4:5201'").ok(),
                    "iperf3 server on 10.1.0.4:5201");
            // Background processes in a namespace: output in the scratch directory.
            BackgroundProcess p = lab.background(lab.clientNamespace(1), "hello", List.of("sh", "-c", "ip -4 -o addr show eth0; sleep 60"));
            assertTrue(p.awaitLog(lab.clientAddress(1), Duration.ofSeconds(10)), p.logText());
            assertTrue(p.isAlive());
        } finally {
            lab.close();
        }
        // Only this lab's names: a lab that died without cleanup may have been removed meanwhile (Lab.removeStale).
        assertEquals(List.of(), leftOf(lab), "no namespace of this lab left");
        assertFalse(hostLinkExists(hostLink), "host link removed");
        assertFalse(Files.exists(scratch), "scratch removed");
    }

    @Test
    void aClientBehindNatReachesTheGatewayAsItsRoutersAddressAndIsRemovedOnClose() {
        Lab lab = Lab.start(new Lab.Options(1, false, false));
        try {
            String client = lab.addClientBehindNat(1);
            assertTrue(lab.namespaces().containsAll(List.of(client, lab.natRouterNamespace(1))));
            String gw = lab.gatewayNamespace();
            // Count what reaches the gateway from the router's public address and from the client's private one.
            lab.exec(gw, "nft", "add", "table", "ip", "seen").orThrow();
            lab.exec(gw, "nft", "add", "chain", "ip", "seen", "in", "{ type filter hook input priority 0 ; }").orThrow();
            lab.exec(gw, "nft", "add", "rule", "ip", "seen", "in", "ip", "saddr", lab.natRouterPublicAddress(1), "counter")
                    .orThrow();
            lab.exec(gw, "nft", "add", "rule", "ip", "seen", "in", "ip", "saddr", lab.natClientAddress(1), "counter")
                    .orThrow();
            assertTrue(lab.ping(client, Lab.GATEWAY_PUBLIC_ADDRESS, Duration.ofSeconds(3)), "the NAT'd client reaches the gateway");
            String rules = lab.exec(gw, "nft", "list", "table", "ip", "seen").orThrow().output();
            assertTrue(rules.matches("(?s).*saddr " + lab.natRouterPublicAddress(1).replace(".", "\\.")
                    + " counter packets [1-9].*"), rules);
            assertTrue(rules.matches("(?s).*saddr " + lab.natClientAddress(1).replace(".", "\\.")
                    + " counter packets 0 .*"), rules);
            // Nothing on the internet segment routes to the private side.
            assertFalse(lab.ping(gw, lab.natClientAddress(1), Duration.ofSeconds(1)));
            assertThrows(IllegalArgumentException.class, () -> lab.natClientNamespace(Lab.MAX_NAT_CLIENTS + 1));
        } finally {
            lab.close();
        }
        assertEquals(List.of(), leftOf(lab), "no namespace of this lab left, the NAT ones included");
    }

    @Test
    void smallLabAndDoubleCloseLeaveNothing() {
        // A small lab without host leg or services: argument checks, failing commands, double close.
        Lab lab = Lab.start(new Lab.Options(1, false, false));
        try {
            assertThrows(IllegalArgumentException.class, () -> lab.clientNamespace(2));
            assertFalse(lab.exec(lab.clientNamespace(1), "ip", "link", "show", "nonexistent0").ok());
        } finally {
            lab.close();
        }
        lab.close(); // twice is fine
        assertEquals(List.of(), leftOf(lab));
    }

    @Test
    void aLabLeftByADeadRunIsRemovedByTheNext() {
        // A name of its own per run: the dead lab is made outside the lab lock, so a fixed name collided when two
        // test runs shared the host ("File exists").
        String dead = "p2sgw-dead" + java.util.HexFormat.of().toHexDigits((short) java.util.concurrent.ThreadLocalRandom
                .current().nextInt()) + "-vnet";
        Cmd.run("ip", "netns", "add", dead).orThrow();
        Lab probe = null;
        try {
            // A process still running inside the dead lab's namespace, as a crashed run leaves it.
            ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", dead, "sleep", "300");
            Process p = pb.start();
            // Lab.start must find it there: wait until the process has entered the namespace (else it could enter
            // after the sweep and outlive the test, which is what made this test fail now and then).
            long until = System.nanoTime() + 30_000_000_000L;
            while (Cmd.run("ip", "netns", "pids", dead).output().isBlank()) {
                assertTrue(System.nanoTime() < until && p.isAlive(), "the probe process never entered " + dead);
                Thread.sleep(20);
            }
            probe = Lab.start(new Lab.Options(0, false, false));
            assertFalse(namespaces().contains(dead), "stale namespace removed");
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "its process was killed");
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            if (probe != null) {
                probe.close();
            }
            Cmd.run("ip", "netns", "del", dead);
        }
    }
}
