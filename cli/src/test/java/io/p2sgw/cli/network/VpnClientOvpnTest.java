package io.p2sgw.cli.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.cli.testing.CliRun;
import io.p2sgw.cli.testing.FakeArmServer;
import io.p2sgw.cli.testing.FakeArmServer.Response;
import io.p2sgw.pki.CertificateIssuer;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.KeyType;
import io.p2sgw.pki.Pem;
import io.p2sgw.pki.Pkcs12;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vpn-client generate --client-cert}: the .ovpn is filled locally and no key material is sent. */
class VpnClientOvpnTest {
    private static final String TEMPLATE = "client\nremote gw.example 443\n<cert>\n$CLIENTCERTIFICATE\n</cert>\n<key>\n$PRIVATEKEY\n</key>\n";

    private static byte[] zipWith(String name, String content) throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bos)) {
            z.putNextEntry(new ZipEntry("Generic/VpnSettings.xml"));
            z.write("<VpnProfile/>".getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry(name));
            z.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return bos.toByteArray();
    }

    @Test
    void writesAFilledProfileWithMode0600(@TempDir Path dir) throws Exception {
        CertificateIssuer issuer = CertificateIssuer.withSystemClock();
        KeyAndChain root = issuer.createRoot("P2SRootCert", KeyType.RSA2048, CertificateIssuer.DEFAULT_ROOT_VALIDITY);
        KeyAndChain client = issuer.createClient(root, "P2SChildCert", KeyType.RSA2048, CertificateIssuer.DEFAULT_CLIENT_VALIDITY);
        Path pfx = dir.resolve("client.pfx");
        Files.write(pfx, Pkcs12.write(client, "pfxpass".toCharArray(), "P2SChildCert"));
        byte[] zip = zipWith("OpenVPN/vpnconfig.ovpn", TEMPLATE);
        String keyPem = Pem.privateKeyToPem(client.key());

        try (FakeArmServer s = new FakeArmServer(r -> r.path().endsWith("/generatevpnclientpackage")
                ? Response.json(200, "\"{base}/pkg/VNet1GW.zip\"") : Response.bytes(zip))) {
            Path ovpn = dir.resolve("VNet1GW.ovpn");
            CliRun r = CliRun.of(new NetworkCommand(), "vnet-gateway", "vpn-client", "generate", "-g", "TestRG1", "-n", "VNet1GW",
                    "--client-cert", pfx.toString(), "--client-cert-password", "pfxpass", "--ovpn-file", ovpn.toString(),
                    "--endpoint", s.base(), "--token", "t");
            assertEquals(0, r.exitCode(), r.err());
            String text = Files.readString(ovpn);
            assertFalse(text.contains("$CLIENTCERTIFICATE") || text.contains("$PRIVATEKEY"), text);
            assertTrue(text.contains("-----BEGIN CERTIFICATE-----"));
            assertTrue(text.contains("PRIVATE KEY-----"));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ovpn)));
            String keyBody = keyPem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
            s.requests().forEach(req -> assertFalse(req.body().contains(keyBody), "key material sent to the server"));
            assertFalse(s.requests().stream().anyMatch(req -> req.body().contains("pfxpass")), "password sent to the server");
        }
    }

    @Test
    void wrongPasswordAndMissingProfileAreClearErrors(@TempDir Path dir) throws Exception {
        CertificateIssuer issuer = CertificateIssuer.withSystemClock();
        KeyAndChain root = issuer.createRoot("R", KeyType.RSA2048, CertificateIssuer.DEFAULT_ROOT_VALIDITY);
        KeyAndChain client = issuer.createClient(root, "C", KeyType.RSA2048, CertificateIssuer.DEFAULT_CLIENT_VALIDITY);
        Path pfx = dir.resolve("c.pfx");
        Files.write(pfx, Pkcs12.write(client, "right".toCharArray(), "C"));
        byte[] noOvpn = zipWith("Generic/Other.txt", "x");
        byte[] good = zipWith("OpenVPN/vpnconfig.ovpn", TEMPLATE);
        for (byte[] zip : new byte[][] {good, noOvpn}) {
            String password = zip == good ? "wrong" : "right";
            try (FakeArmServer s = new FakeArmServer(r -> r.path().endsWith("/generatevpnclientpackage")
                    ? Response.json(200, "\"{base}/pkg/x.zip\"") : Response.bytes(zip))) {
                Path ovpn = dir.resolve("out.ovpn");
                CliRun r = CliRun.of(new NetworkCommand(), "vnet-gateway", "vpn-client", "generate", "-g", "g", "-n", "gw",
                        "--client-cert", pfx.toString(), "--client-cert-password", password, "--ovpn-file", ovpn.toString(),
                        "--endpoint", s.base(), "--token", "t");
                assertNotEquals(0, r.exitCode());
                assertTrue(r.err().startsWith("ERROR: "), r.err());
                assertFalse(Files.exists(ovpn));
                if (zip == noOvpn) {
                    assertTrue(r.err().contains("OpenVPN/vpnconfig.ovpn"), r.err());
                }
            }
        }
    }
}
