package io.p2sgw.lab.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.lab.LabException;
import io.p2sgw.pki.CertificateIssuer;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.KeyType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientPackageTest {
    static byte[] zip(Map<String, byte[]> entries) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (var e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
            }
        }
        return bytes.toByteArray();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void unpacksTheStrongSwanFolderWithItsLayoutAndNothingElse(@TempDir Path dir) throws Exception {
        ClientPackage pkg = ClientPackage.of(zip(Map.of("README.txt", utf8("readme"),
                "strongSwan/swanctl.conf", utf8("connections {\n  VNet1GW {\n  }\n}\n"),
                "strongSwan/x509ca/VpnServerRoot.pem", utf8("-----BEGIN CERTIFICATE-----"),
                "OpenVPN/vpnconfig.ovpn", utf8("client"))));
        assertEquals(2, pkg.unpackFolder(ClientPackage.STRONGSWAN_FOLDER, dir));
        assertTrue(Files.readString(dir.resolve("swanctl.conf")).contains("VNet1GW"));
        assertTrue(Files.isRegularFile(dir.resolve("x509ca/VpnServerRoot.pem")));
        assertFalse(Files.exists(dir.resolve("README.txt")));
        assertFalse(Files.exists(dir.resolve("vpnconfig.ovpn")));
    }

    @Test
    void refusesAnEntryThatLeavesTheTargetAndAMissingFolder(@TempDir Path dir) throws Exception {
        ClientPackage evil = ClientPackage.of(zip(Map.of("strongSwan/../../escaped", utf8("x"))));
        LabException e = assertThrows(LabException.class, () -> evil.unpackFolder(ClientPackage.STRONGSWAN_FOLDER, dir.resolve("t")));
        assertTrue(e.getMessage().contains("leaves"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("escaped")));
        ClientPackage openVpnOnly = ClientPackage.of(zip(Map.of("OpenVPN/vpnconfig.ovpn", utf8("client"))));
        assertThrows(LabException.class, () -> openVpnOnly.unpackFolder(ClientPackage.STRONGSWAN_FOLDER, dir));
        assertThrows(LabException.class, openVpnOnly::serverRootPem);
    }

    /** sstpc's --ca-cert and pppd's ca take PEM; the package carries the server root as DER (VpnServerRoot.cer). */
    @Test
    void theServerRootFromTheWindowsFolderBecomesPem() throws Exception {
        KeyAndChain root = CertificateIssuer.withSystemClock().createRoot("p2sgw server root", KeyType.EC256,
                CertificateIssuer.DEFAULT_ROOT_VALIDITY);
        ClientPackage pkg = ClientPackage.of(zip(Map.of(ClientPackage.SERVER_ROOT_ENTRY, Certificates.der(root.certificate()))));
        String pem = pkg.serverRootPem();
        assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----"), pem);
        assertEquals(Certificates.thumbprint(root.certificate()), Certificates.thumbprint(Certificates.parseAny(pem)));
    }

    @Test
    void refusesAnOversizedEntry() throws Exception {
        ClientPackage big = ClientPackage.of(zip(Map.of(ClientPackage.SERVER_ROOT_ENTRY, new byte[ClientPackage.MAX_ENTRY_BYTES + 1])));
        LabException e = assertThrows(LabException.class, big::serverRootPem);
        assertTrue(e.getMessage().contains("larger than"), e.getMessage());
    }
}
