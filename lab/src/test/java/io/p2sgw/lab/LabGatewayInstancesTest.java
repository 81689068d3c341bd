package io.p2sgw.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 17's lab parts: a second gateway namespace beside the seed's (its own GatewaySubnet and public legs), the
 * VNet routing a half of the pool to it, and the PostgreSQL both reach. Needs root (and PostgreSQL 15 for the store).
 */
@Timeout(600) // includes waiting for another lab on the host
class LabGatewayInstancesTest {

    @Test
    void aSecondGatewayHasItsOwnLegsAndBothReachTheLabsPostgres() {
        Optional<String> why = Lab.whyUnavailable().or(LabPostgres::whyUnavailable);
        assumeTrue(why.isEmpty(), () -> "lab test skipped: " + why.orElse(""));
        Lab lab = Lab.start(Lab.Options.seed(1));
        try {
            String gw2 = lab.addGatewayInstance(1);
            assertEquals(gw2, lab.gatewayNamespace(1));
            assertEquals(lab.gatewayNamespace(), lab.gatewayNamespace(0));
            assertEquals(5, lab.namespaces().size()); // vnet, gw, inet, c1 and the second gateway
            // The VM through the second GatewaySubnet leg, and the second public address from a client and the host.
            assertEquals(Optional.of(Lab.VM_INDEX_BODY), lab.httpGet(gw2, "http://" + Lab.VM_ADDRESS + "/", Duration.ofSeconds(5)));
            assertTrue(lab.ping(lab.clientNamespace(1), Lab.gatewayPublicAddress(1), Duration.ofSeconds(3)));
            assertTrue(Cmd.run("ping", "-c", "1", "-W", "3", Lab.gatewayPublicAddress(1)).ok());
            // The pool's upper half goes to the second instance, the rest still to the first; then all of it to the second.
            lab.routePool("172.16.201.128/25", 1);
            assertTrue(lab.exec(lab.vnetNamespace(), "ip", "route", "get", "172.16.201.130").orThrow().output()
                    .contains("via " + Lab.gatewaySubnetAddress(1)));
            assertTrue(lab.exec(lab.vnetNamespace(), "ip", "route", "get", "172.16.201.7").orThrow().output()
                    .contains("via " + Lab.GATEWAY_SUBNET_ADDRESS));
            lab.routePool(Lab.CLIENT_POOL, 1);
            assertTrue(lab.exec(lab.vnetNamespace(), "ip", "route", "get", "172.16.201.7").orThrow().output()
                    .contains("via " + Lab.gatewaySubnetAddress(1)));

            try (LabPostgres pg = LabPostgres.start(lab)) {
                for (String ns : List.of(lab.gatewayNamespace(0), gw2)) {
                    Cmd.Result r = lab.exec(ns, Duration.ofSeconds(20), List.of(LabPostgres.BIN.resolve("psql").toString(),
                            "-h", Lab.INTERNET_SERVICE_ADDRESS, "-p", "" + LabPostgres.PORT, "-U", "postgres", "-tAc", "select 41 + 1"));
                    assertEquals("42", r.output().strip(), ns + ": " + r.output());
                }
                assertTrue(pg.jdbcUrl().startsWith("jdbc:postgresql://" + Lab.INTERNET_SERVICE_ADDRESS + ":"));
            }
            assertThrows(IllegalArgumentException.class, () -> lab.addGatewayInstance(0));
            assertThrows(IllegalArgumentException.class, () -> Lab.gatewayPublicAddress(Lab.MAX_GATEWAY_INSTANCES));
        } finally {
            lab.close();
        }
        assertEquals(List.of(), Cmd.run("ip", "netns", "list").output().lines().filter(l -> l.contains(lab.runId())).toList());
    }
}
