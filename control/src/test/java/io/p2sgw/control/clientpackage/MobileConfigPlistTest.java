package io.p2sgw.control.clientpackage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.pki.Certificates;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue #3 "Done when": the {@code .mobileconfig} is a well-formed plist ({@code plutil -lint} is not available
 * here, so {@link Plist} checks XML well-formedness and the plist DTD's structure), and a configuration profile
 * macOS/iOS can install: a Configuration payload with unique payload UUIDs and identifiers, the gateway CA as a
 * {@code com.apple.security.root} payload holding exactly the package's VpnServerRoot.cer, and an IKEv2
 * {@code com.apple.vpn.managed} payload with certificate authentication against the gateway's name.
 */
class MobileConfigPlistTest {
    private static final Pattern UUID = Pattern.compile("[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}");

    private final ZipClientPackageBuilder builder = new ZipClientPackageBuilder();

    @Test
    void seedProfileIsAWellFormedInstallableProfile() throws Exception {
        check(Fixtures.seed(), AppleMobileConfigRenderer.LOCAL_ID_PLACEHOLDER);
    }

    @Test
    void profileWithClientCertificateNamesIt() throws Exception {
        check(Fixtures.seed(Set.of(TunnelType.IKEV2, TunnelType.OPENVPN, TunnelType.SSTP), List.of("10.1.0.4"),
                Optional.of(Fixtures.credentials())), "P2SChildCert");
    }

    @Test
    void theCheckerRefusesWhatIsNotAPlist() {
        // Negative controls for the checker itself.
        String head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"" + Plist.PUBLIC_ID + "\" \""
                + Plist.SYSTEM_ID + "\">\n<plist version=\"1.0\">";
        for (String bad : List.of(
                head + "<dict><key>a</key><string>x & y</string></dict></plist>",
                head + "<dict><key>a</key></dict></plist>",
                head + "<dict><key>a</key><string>1</string><key>a</key><string>2</string></dict></plist>",
                head + "<dict><key>a</key><integer>one</integer></dict></plist>",
                head + "<dict><key>a</key><data>!!!</data></dict></plist>",
                head + "<dict><string>a</string><string>b</string></dict></plist>",
                head + "<dict/><dict/></plist>",
                "<plist version=\"1.0\"><dict/></plist>")) {
            assertThrows(Exception.class, () -> Plist.parse(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
    }

    @SuppressWarnings("unchecked")
    private void check(ClientPackageInput in, String localId) throws Exception {
        List<PackageFile> files = builder.files(in);
        PackageFile mc = files.stream().filter(f -> f.path().equals("Apple/VNet1GW.mobileconfig")).findFirst().orElseThrow();
        byte[] rootCer = files.stream().filter(f -> f.path().equals("Generic/VpnServerRoot.cer")).findFirst().orElseThrow().content();

        Map<String, Object> top = (Map<String, Object>) Plist.parse(mc.content());
        assertEquals("Configuration", top.get("PayloadType"));
        assertEquals(BigInteger.ONE, top.get("PayloadVersion"));
        assertEquals("io.p2sgw.VNet1GW", top.get("PayloadIdentifier"));
        assertTrue(top.get("PayloadDisplayName") instanceof String s && !s.isBlank());
        List<Map<String, Object>> payloads = (List<Map<String, Object>>) top.get("PayloadContent");
        assertEquals(2, payloads.size());

        Set<Object> uuids = new HashSet<>(List.of(top.get("PayloadUUID")));
        Set<Object> ids = new HashSet<>(List.of(top.get("PayloadIdentifier")));
        for (Map<String, Object> p : payloads) {
            for (String k : List.of("PayloadType", "PayloadIdentifier", "PayloadUUID", "PayloadDisplayName")) {
                assertTrue(p.get(k) instanceof String, k + " in " + p.keySet());
            }
            assertEquals(BigInteger.ONE, p.get("PayloadVersion"));
            assertTrue(((String) p.get("PayloadIdentifier")).startsWith("io.p2sgw.VNet1GW."), "nested identifiers under the profile's");
            assertTrue(uuids.add(p.get("PayloadUUID")), "payload UUIDs are unique");
            assertTrue(ids.add(p.get("PayloadIdentifier")), "payload identifiers are unique");
        }
        uuids.forEach(u -> assertTrue(UUID.matcher((String) u).matches(), "UUID form: " + u));

        Map<String, Object> root = payloads.stream().filter(p -> p.get("PayloadType").equals("com.apple.security.root")).findFirst().orElseThrow();
        assertArrayEquals(rootCer, (byte[]) root.get("PayloadContent"), "the same CA as Generic/VpnServerRoot.cer");
        assertEquals(in.serverCa(), Certificates.parseDer((byte[]) root.get("PayloadContent"), "root payload"));

        Map<String, Object> vpn = payloads.stream().filter(p -> p.get("PayloadType").equals("com.apple.vpn.managed")).findFirst().orElseThrow();
        assertEquals("IKEv2", vpn.get("VPNType"));
        Map<String, Object> ike = (Map<String, Object>) vpn.get("IKEv2");
        assertEquals("Certificate", ike.get("AuthenticationMethod"));
        assertEquals(Fixtures.SERVER_NAME, ike.get("RemoteAddress"));
        assertEquals(Fixtures.SERVER_NAME, ike.get("RemoteIdentifier"), "the server certificate's SAN (ikev2.md §2.4)");
        assertEquals(Certificates.commonName(in.serverCa()), ike.get("ServerCertificateIssuerCommonName"));
        assertEquals(localId, ike.get("LocalIdentifier"));
        for (String sa : List.of("IKESecurityAssociationParameters", "ChildSecurityAssociationParameters")) {
            Map<String, Object> params = (Map<String, Object>) ike.get(sa);
            assertTrue(params.get("DiffieHellmanGroup") instanceof BigInteger, sa);
            assertTrue(params.get("EncryptionAlgorithm") instanceof String, sa);
        }
    }
}
