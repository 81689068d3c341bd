package io.p2sgw.lab.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.lab.LabException;
import io.p2sgw.pki.CertificateIssuer;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.KeyType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedWalkthroughTest {
    static final String TEMPLATE = """
            client
            remote VNet1GW.p2sgw.example 443
            dev tun
            proto tcp
            <cert>
            $CLIENTCERTIFICATE
            </cert>
            <key>
            $PRIVATEKEY
            </key>
            """;

    static byte[] zip(String name, String content) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.putNextEntry(new ZipEntry("Generic/VpnSettings.xml"));
            z.write("<VpnProfile/>".getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry(name));
            z.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    @Test
    void findsTheOpenVpnProfileInThePackage() throws Exception {
        assertEquals(TEMPLATE, SeedWalkthrough.profileFromZip(zip("OpenVPN/vpnconfig.ovpn", TEMPLATE)));
        LabException e = assertThrows(LabException.class, () -> SeedWalkthrough.profileFromZip(zip("IKEv2/x", "y")));
        assertTrue(e.getMessage().contains("OpenVPN/vpnconfig.ovpn"));
    }

    @Test
    void fillsPlaceholdersAndPointsAHostNameRemoteAtThePublicAddress(@TempDir Path dir) throws Exception {
        CertificateIssuer issuer = CertificateIssuer.withSystemClock();
        KeyAndChain root = issuer.createRoot("P2SRootCert", KeyType.EC256, CertificateIssuer.DEFAULT_ROOT_VALIDITY);
        KeyAndChain client = issuer.createClient(root, "P2SChildCert", KeyType.EC256, CertificateIssuer.DEFAULT_CLIENT_VALIDITY);
        List<String> steps = new ArrayList<>();
        SeedWalkthrough w = new SeedWalkthrough(null, steps::add);
        Path out = w.fillProfile(TEMPLATE, client, dir.resolve("vpnconfig.ovpn"));
        String text = Files.readString(out);
        assertFalse(text.contains("$CLIENTCERTIFICATE"));
        assertFalse(text.contains("$PRIVATEKEY"));
        assertTrue(text.contains("-----BEGIN CERTIFICATE-----"));
        assertTrue(text.contains("PRIVATE KEY-----"));
        assertTrue(text.contains("\nremote 198.51.100.4 443\n"), text);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        assertTrue(steps.stream().anyMatch(s -> s.contains("no DNS")));
    }
}
