package io.p2sgw.cli.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.cli.testing.CliRun;
import io.p2sgw.cli.testing.FakeArmServer;
import io.p2sgw.cli.testing.FakeArmServer.Response;
import io.p2sgw.pki.CertificateIssuer;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.KeyType;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * {@code root-cert list -o table} shows each root's thumbprint and expiry, and warns about a root that is not a CA
 * or has expired (accepted as Azure does, but no client chains to it for long) (issue 16).
 */
class RootCertListTableTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void tableShowsThumbprintExpiryAndWarnings() throws Exception {
        CertificateIssuer now = CertificateIssuer.withSystemClock();
        KeyAndChain root = now.createRoot("P2SRootCert", KeyType.EC256, Duration.ofDays(3650));
        KeyAndChain leaf = now.createClient(root, "NotACa", KeyType.EC256, Duration.ofDays(30));
        CertificateIssuer past = new CertificateIssuer(Clock.fixed(Instant.parse("2020-01-01T00:00:00Z"), ZoneOffset.UTC),
                new SecureRandom());
        KeyAndChain expired = past.createRoot("OldRoot", KeyType.EC256, Duration.ofDays(30));

        ObjectNode gw = JSON.createObjectNode();
        gw.put("name", "VNet1GW");
        ArrayNode roots = gw.putObject("properties").putObject("vpnClientConfiguration").putArray("vpnClientRootCertificates");
        for (var e : new Object[][] {{"P2SRootCert", root}, {"leaf", leaf}, {"old", expired}}) {
            ObjectNode r = roots.addObject();
            r.put("name", (String) e[0]);
            r.putObject("properties").put("publicCertData", Certificates.publicCertData(((KeyAndChain) e[1]).certificate()))
                    .put("provisioningState", "Succeeded");
        }
        try (FakeArmServer s = new FakeArmServer(r -> Response.json(200, gw.toString()))) {
            CliRun table = CliRun.of(new NetworkCommand(), "vnet-gateway", "root-cert", "list", "-g", "TestRG1",
                    "--gateway-name", "VNet1GW", "-o", "table", "--endpoint", s.base(), "--token", "t");
            assertEquals(0, table.exitCode(), table.err());
            String[] lines = table.out().split("\n");
            assertTrue(lines[0].contains("Thumbprint") && lines[0].contains("Expires") && lines[0].contains("Warning"), lines[0]);
            String good = line(lines, "P2SRootCert");
            assertTrue(good.contains(Certificates.thumbprint(root.certificate())), good);
            assertTrue(good.contains(String.valueOf(root.certificate().getNotAfter().toInstant().atZone(ZoneOffset.UTC).getYear())), good);
            assertFalse(good.contains("expired") || good.contains("not a CA"), good);
            assertTrue(line(lines, "leaf").contains("not a CA certificate"), table.out());
            assertTrue(line(lines, "old").contains("expired"), table.out());
            assertTrue(line(lines, "old").contains("2020-01-31"), table.out());

            CliRun json = CliRun.of(new NetworkCommand(), "vnet-gateway", "root-cert", "list", "-g", "TestRG1",
                    "--gateway-name", "VNet1GW", "--endpoint", s.base(), "--token", "t");
            assertEquals(roots, JSON.readTree(json.out()), "JSON output keeps ARM's shape");
        }
    }

    @Test
    void uploadingANonCaOrExpiredRootWarns() throws Exception {
        CertificateIssuer issuer = CertificateIssuer.withSystemClock();
        KeyAndChain root = issuer.createRoot("P2SRootCert", KeyType.EC256, Duration.ofDays(3650));
        KeyAndChain leaf = issuer.createClient(root, "NotACa", KeyType.EC256, Duration.ofDays(30));
        try (FakeArmServer s = new FakeArmServer(r -> Response.json(200, r.body()))) {
            CliRun bad = CliRun.of(new NetworkCommand(), "vnet-gateway", "root-cert", "create", "-g", "TestRG1",
                    "--gateway-name", "VNet1GW", "-n", "leaf", "--public-cert-data", Certificates.publicCertData(leaf.certificate()),
                    "--endpoint", s.base(), "--token", "t");
            assertEquals(0, bad.exitCode(), bad.err());
            assertTrue(bad.err().contains("WARNING: root certificate leaf: not a CA certificate"), bad.err());
            CliRun good = CliRun.of(new NetworkCommand(), "vnet-gateway", "root-cert", "create", "-g", "TestRG1",
                    "--gateway-name", "VNet1GW", "-n", "root", "--public-cert-data", Certificates.publicCertData(root.certificate()),
                    "--endpoint", s.base(), "--token", "t");
            assertEquals(0, good.exitCode(), good.err());
            assertFalse(good.err().contains("WARNING"), good.err());
        }
    }

    private static String line(String[] lines, String name) {
        for (String l : lines) {
            if (l.startsWith(name + " ")) {
                return l;
            }
        }
        throw new AssertionError("no row " + name);
    }
}
