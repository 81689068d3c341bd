package io.p2sgw.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.p2sgw.control.clientpackage.ClientPackageInput;
import io.p2sgw.control.clientpackage.PackageFile;
import io.p2sgw.control.clientpackage.ZipClientPackageBuilder;
import io.p2sgw.dataplane.api.SecretBytes;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.ikev2.engine.ChildPolicy;
import io.p2sgw.ikev2.engine.IkePolicy;
import io.p2sgw.ikev2.engine.ProposalSelection;
import io.p2sgw.ikev2.engine.ProposalSelector;
import io.p2sgw.ikev2.wire.Proposal;
import io.p2sgw.ikev2.wire.SaPayload;
import io.p2sgw.ikev2.wire.Transform;
import io.p2sgw.ikev2.wire.TransformType;
import io.p2sgw.testkit.pki.TestPki;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The client package names IKEv2 proposals in three places (control's renderers), and the responder (ikev2's policy)
 * must accept every one of them, or a user who follows the package gets NO_PROPOSAL_CHOSEN (Windows error 13868).
 * control may not import ikev2 (DESIGN.md), so the check lives here where both meet: each generated profile is parsed
 * the way its client reads it, turned into the SA proposals that client sends (RFC 7296 §3.3), and run through the
 * responder's own {@link ProposalSelector} with the strict policy, MODP-1024 off (the profiles must not depend on the
 * "legacy Windows" switch, ikev2.md §2.4).
 */
class ClientProfileProposalsTest {
    private static final IkePolicy IKE = IkePolicy.defaults(List.of(), false);
    private static final ChildPolicy ESP = ChildPolicy.defaults(List.of(), List.of());
    private static final byte[] ESP_SPI = {0x0a, 0x0b, 0x0c, 0x0d};

    private static final Map<String, String> PACKAGE = files();

    private static Map<String, String> files() {
        ClientPackageInput in = new ClientPackageInput("VNet1GW", "VNet1", "vnet1gw.p2sgw.test", "198.51.100.4", 443,
                1194, Set.of(TunnelType.OPENVPN, TunnelType.IKEV2, TunnelType.SSTP),
                List.of("10.1.0.0/16", "172.16.201.0/24"), List.of("172.16.201.0/24"), List.of(),
                TestPki.rsa("VpnServerRoot").caCertificate(), SecretBytes.of(new byte[256]), Optional.empty());
        Map<String, String> m = new LinkedHashMap<>();
        for (PackageFile f : new ZipClientPackageBuilder().files(in)) {
            m.put(f.path(), new String(f.content(), StandardCharsets.UTF_8));
        }
        return m;
    }

    private static String file(String suffix) {
        return PACKAGE.entrySet().stream().filter(e -> e.getKey().endsWith(suffix)).map(Map.Entry::getValue).findFirst()
                .orElseThrow(() -> new AssertionError("the package has no *" + suffix + ": " + PACKAGE.keySet()));
    }

    // ---------------------------------------------------------------- what the responder says

    /** The responder takes {@code ike} with a KE of each of its groups (the client sends its first; any may come). */
    private static void assertIkeAccepted(String what, Proposal ike) {
        List<Transform> groups = ike.transformsOf(TransformType.DH);
        assertFalse(groups.isEmpty(), what + ": an IKE proposal without DH group");
        for (Transform g : groups) {
            ProposalSelection s = ProposalSelector.selectIke(new SaPayload(List.of(ike)), g.id(), IKE);
            assertInstanceOf(ProposalSelection.Chosen.class, s,
                    () -> what + ": the responder refuses " + ProposalSelector.describe(new SaPayload(List.of(ike)))
                            + " with KE group " + g.id() + ": " + s);
        }
    }

    /** The responder takes {@code esp} in IKE_AUTH, where strongSwan and Windows drop the PFS group (ikev2.md §2.1). */
    private static void assertEspAccepted(String what, Proposal esp) {
        List<Transform> noDh = esp.transforms().stream().filter(t -> t.type() != TransformType.DH).toList();
        Proposal sent = new Proposal(esp.number(), Proposal.PROTOCOL_ESP, ESP_SPI, noDh);
        assertTrue(ProposalSelector.selectEsp(new SaPayload(List.of(sent)), ESP).isPresent(),
                () -> what + ": the responder refuses " + ProposalSelector.describe(new SaPayload(List.of(sent))));
    }

    private static Transform encr(int id, int bits) {
        return Transform.of(TransformType.ENCR, id, bits);
    }

    private static Transform of(int type, int id) {
        return Transform.of(type, id);
    }

    // ---------------------------------------------------------------- strongSwan/swanctl.conf

    /** strongSwan's proposal keywords (strongSwan docs "IKEv2 Cipher Suites") as IANA transforms. */
    private static Transform swanKeyword(String k) {
        return switch (k) {
            case "aes128" -> encr(12, 128);
            case "aes192" -> encr(12, 192);
            case "aes256" -> encr(12, 256);
            case "3des" -> encr(3, 0);
            case "aes128gcm16" -> encr(20, 128);
            case "aes256gcm16" -> encr(20, 256);
            case "sha1" -> of(TransformType.INTEG, 2);
            case "sha256" -> of(TransformType.INTEG, 12);
            case "sha384" -> of(TransformType.INTEG, 13);
            case "sha512" -> of(TransformType.INTEG, 14);
            case "prfsha1" -> of(TransformType.PRF, 2);
            case "prfsha256" -> of(TransformType.PRF, 5);
            case "prfsha384" -> of(TransformType.PRF, 6);
            case "prfsha512" -> of(TransformType.PRF, 7);
            case "modp1024" -> of(TransformType.DH, 2);
            case "modp2048" -> of(TransformType.DH, 14);
            case "modp2048s256" -> of(TransformType.DH, 24);
            case "ecp256" -> of(TransformType.DH, 19);
            case "ecp384" -> of(TransformType.DH, 20);
            case "ecp521" -> of(TransformType.DH, 21);
            case "curve25519", "x25519" -> of(TransformType.DH, 31);
            case "esn" -> of(TransformType.ESN, 1);
            case "noesn" -> of(TransformType.ESN, 0);
            default -> throw new AssertionError("a strongSwan keyword this test does not know: " + k);
        };
    }

    /**
     * One strongSwan proposal string ("aes256-sha256-ecp256-modp2048") as the proposal charon sends: for IKE, an
     * integrity algorithm without a PRF keyword also gives the PRF of the same hash (strongSwan's proposal parser).
     */
    static Proposal swanProposal(String text, int protocol) {
        List<Transform> t = new ArrayList<>();
        for (String k : text.split("-")) {
            t.add(swanKeyword(k));
        }
        if (protocol == Proposal.PROTOCOL_IKE && t.stream().noneMatch(x -> x.type() == TransformType.PRF)) {
            for (Transform i : List.copyOf(t)) {
                if (i.type() == TransformType.INTEG) {
                    t.add(of(TransformType.PRF, switch (i.id()) {
                        case 2 -> 2;
                        case 12 -> 5;
                        case 13 -> 6;
                        case 14 -> 7;
                        default -> throw new AssertionError("integrity " + i.id());
                    }));
                }
            }
        }
        return new Proposal(1, protocol, protocol == Proposal.PROTOCOL_ESP ? ESP_SPI : new byte[0], t);
    }

    private static List<String> swanSetting(String conf, String key) {
        Matcher m = Pattern.compile("(?m)^\\s*" + key + "\\s*=\\s*(\\S+)\\s*$").matcher(conf);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.addAll(List.of(m.group(1).split(",")));
        }
        return out;
    }

    @Test
    void everyProposalOfTheStrongSwanProfileIsAccepted() {
        String conf = file("strongSwan/swanctl.conf");
        List<String> ike = swanSetting(conf, "proposals");
        List<String> esp = swanSetting(conf, "esp_proposals");
        assertFalse(ike.isEmpty() || esp.isEmpty(), conf);
        ike.forEach(p -> assertIkeAccepted("swanctl.conf proposals " + p, swanProposal(p, Proposal.PROTOCOL_IKE)));
        esp.forEach(p -> assertEspAccepted("swanctl.conf esp_proposals " + p, swanProposal(p, Proposal.PROTOCOL_ESP)));
    }

    // ---------------------------------------------------------------- Apple/*.mobileconfig

    /**
     * Apple's names (developer.apple.com, "VPN.IKEv2.IKESecurityAssociationParameters"): EncryptionAlgorithm DES, 3DES,
     * AES-128, AES-256, AES-128-GCM, AES-256-GCM, ChaCha20Poly1305; IntegrityAlgorithm SHA1-96, SHA1-160, SHA2-256,
     * SHA2-384, SHA2-512 (also the PRF); DiffieHellmanGroup the IANA number.
     */
    static Proposal appleProposal(Map<String, String> params, int protocol) {
        List<Transform> t = new ArrayList<>();
        String enc = params.getOrDefault("EncryptionAlgorithm", "AES-256");
        boolean aead = enc.endsWith("-GCM");
        t.add(switch (enc) {
            case "AES-128" -> encr(12, 128);
            case "AES-256" -> encr(12, 256);
            case "AES-128-GCM" -> encr(20, 128);
            case "AES-256-GCM" -> encr(20, 256);
            case "3DES" -> encr(3, 0);
            default -> throw new AssertionError("an Apple EncryptionAlgorithm this test does not know: " + enc);
        });
        String integ = params.getOrDefault("IntegrityAlgorithm", "SHA2-256");
        int[] ids = switch (integ) {
            case "SHA1-96" -> new int[] {2, 2};
            case "SHA2-256" -> new int[] {12, 5};
            case "SHA2-384" -> new int[] {13, 6};
            case "SHA2-512" -> new int[] {14, 7};
            default -> throw new AssertionError("an Apple IntegrityAlgorithm this test does not know: " + integ);
        };
        if (!aead) {
            t.add(of(TransformType.INTEG, ids[0]));
        }
        if (protocol == Proposal.PROTOCOL_IKE) {
            t.add(of(TransformType.PRF, ids[1]));
            t.add(of(TransformType.DH, Integer.parseInt(params.getOrDefault("DiffieHellmanGroup", "14"))));
        }
        return new Proposal(1, protocol, protocol == Proposal.PROTOCOL_ESP ? ESP_SPI : new byte[0], t);
    }

    /** The plist dictionary under {@code key} anywhere in the document, as key to text value. */
    private static Map<String, String> plistDict(Document d, String key) {
        var keys = d.getElementsByTagName("key");
        for (int i = 0; i < keys.getLength(); i++) {
            if (key.equals(keys.item(i).getTextContent())) {
                Node n = keys.item(i).getNextSibling();
                while (n != null && n.getNodeType() != Node.ELEMENT_NODE) {
                    n = n.getNextSibling();
                }
                assertTrue(n instanceof Element e && e.getTagName().equals("dict"), key + " is not a dict");
                Map<String, String> m = new LinkedHashMap<>();
                String k = null;
                for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
                    if (c instanceof Element e) {
                        if (e.getTagName().equals("key")) {
                            k = e.getTextContent();
                        } else if (k != null) {
                            m.put(k, e.getTextContent().strip());
                            k = null;
                        }
                    }
                }
                return m;
            }
        }
        return fail("the profile has no " + key);
    }

    @Test
    void theAppleProfilesSecurityAssociationParametersAreAccepted() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(
                file(".mobileconfig").getBytes(StandardCharsets.UTF_8)));
        Map<String, String> ike = plistDict(d, "IKESecurityAssociationParameters");
        Map<String, String> child = plistDict(d, "ChildSecurityAssociationParameters");
        assertEquals("14", ike.get("DiffieHellmanGroup"), "the profile names its group: " + ike);
        assertIkeAccepted("mobileconfig IKESecurityAssociationParameters " + ike, appleProposal(ike, Proposal.PROTOCOL_IKE));
        assertEspAccepted("mobileconfig ChildSecurityAssociationParameters " + child,
                appleProposal(child, Proposal.PROTOCOL_ESP));
    }

    // ---------------------------------------------------------------- Windows/Add-P2sVpn.ps1

    /**
     * Set-VpnConnectionIPsecConfiguration's parameters (learn.microsoft.com, VpnClient module) as proposals: the IKE SA
     * from EncryptionMethod, IntegrityCheckMethod (also the PRF) and DHGroup; the ESP SA from CipherTransformConstants
     * and AuthenticationTransformConstants (GCM ones name the AEAD cipher as both).
     */
    static List<Proposal> windowsProposals(String script) {
        Matcher cmd = Pattern.compile("Set-VpnConnectionIPsecConfiguration((?:[^\\r\\n]*`\\r?\\n)*[^\\r\\n]*)")
                .matcher(script);
        assertTrue(cmd.find(), "the script pins an IPsec policy");
        Map<String, String> p = new LinkedHashMap<>();
        Matcher arg = Pattern.compile("-(\\w+)\\s+([A-Za-z0-9$]+)").matcher(cmd.group(1));
        while (arg.find()) {
            p.put(arg.group(1), arg.group(2));
        }
        List<Transform> ike = new ArrayList<>();
        ike.add(switch (p.get("EncryptionMethod")) {
            case "AES128" -> encr(12, 128);
            case "AES256" -> encr(12, 256);
            case "GCMAES128" -> encr(20, 128);
            case "GCMAES256" -> encr(20, 256);
            case "DES3" -> encr(3, 0);
            case String s -> throw new AssertionError("EncryptionMethod " + s);
            case null -> throw new AssertionError("no EncryptionMethod: " + p);
        });
        int[] integ = switch (p.get("IntegrityCheckMethod")) {
            case "SHA1" -> new int[] {2, 2};
            case "SHA256" -> new int[] {12, 5};
            case "SHA384" -> new int[] {13, 6};
            case String s -> throw new AssertionError("IntegrityCheckMethod " + s);
            case null -> throw new AssertionError("no IntegrityCheckMethod: " + p);
        };
        if (ike.getFirst().id() != 20) {
            ike.add(of(TransformType.INTEG, integ[0]));
        }
        ike.add(of(TransformType.PRF, integ[1]));
        ike.add(of(TransformType.DH, switch (p.get("DHGroup")) {
            case "Group2" -> 2;
            case "Group14", "DH2048" -> 14;
            case "ECP256" -> 19;
            case "ECP384" -> 20;
            case "Group24" -> 24;
            case String s -> throw new AssertionError("DHGroup " + s);
            case null -> throw new AssertionError("no DHGroup: " + p);
        }));
        List<Transform> esp = new ArrayList<>();
        esp.add(switch (p.get("CipherTransformConstants")) {
            case "AES128" -> encr(12, 128);
            case "AES256" -> encr(12, 256);
            case "GCMAES128" -> encr(20, 128);
            case "GCMAES256" -> encr(20, 256);
            case "DES3" -> encr(3, 0);
            case String s -> throw new AssertionError("CipherTransformConstants " + s);
            case null -> throw new AssertionError("no CipherTransformConstants: " + p);
        });
        switch (p.get("AuthenticationTransformConstants")) {
            case "GCMAES128", "GCMAES256" -> assertEquals(20, esp.getFirst().id(), "a GCM integrity needs a GCM cipher");
            case "SHA196" -> esp.add(of(TransformType.INTEG, 2));
            case "SHA256128" -> esp.add(of(TransformType.INTEG, 12));
            case String s -> throw new AssertionError("AuthenticationTransformConstants " + s);
            case null -> throw new AssertionError("no AuthenticationTransformConstants: " + p);
        }
        assertEquals("None", p.get("PfsGroup"), "IKE_AUTH carries no KE; a PFS group is for rekeys only");
        return List.of(new Proposal(1, Proposal.PROTOCOL_IKE, new byte[0], ike),
                new Proposal(1, Proposal.PROTOCOL_ESP, ESP_SPI, esp));
    }

    @Test
    void theWindowsScriptsIpsecPolicyIsAccepted() {
        List<Proposal> p = windowsProposals(file("Windows/Add-P2sVpn.ps1"));
        assertIkeAccepted("Add-P2sVpn.ps1 IKE policy", p.get(0));
        assertEspAccepted("Add-P2sVpn.ps1 ESP policy", p.get(1));
    }

    // ---------------------------------------------------------------- Generic/VpnSettings.xml

    /**
     * Azure's VpnSettings.xml carries no algorithms (azure-p2s.md §3.3), and neither does ours: a client set up from it
     * uses its own defaults, which the responder's policy covers (the interop families test them). This guards that
     * no element naming an algorithm appears without this test learning to check it.
     */
    @Test
    void theGenericSettingsNameNoProposal() {
        String xml = file("Generic/VpnSettings.xml");
        for (String word : List.of("Encryption", "Integrity", "DhGroup", "DHGroup", "Pfs", "Cipher", "Proposal")) {
            assertFalse(xml.contains(word), () -> "VpnSettings.xml names " + word + ": check it here\n" + xml);
        }
    }

    // ---------------------------------------------------------------- the parsers themselves

    /** A refused proposal is reported: the checks above can fail. */
    @Test
    void aProposalTheResponderRefusesIsCaught() {
        Proposal modp1024 = swanProposal("aes256-sha1-modp1024", Proposal.PROTOCOL_IKE);
        assertInstanceOf(ProposalSelection.NoneAcceptable.class,
                ProposalSelector.selectIke(new SaPayload(List.of(modp1024)), 2, IKE), "MODP-1024 is off in the strict policy");
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> assertIkeAccepted("test", modp1024));
        assertTrue(e.getMessage().contains("refuses"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> assertEspAccepted("test", swanProposal("3des-sha1", Proposal.PROTOCOL_ESP)));
        List<Proposal> w = windowsProposals("Set-VpnConnectionIPsecConfiguration -ConnectionName $Name `\r\n"
                + "  -EncryptionMethod AES256 -IntegrityCheckMethod SHA1 -DHGroup Group2 `\r\n"
                + "  -CipherTransformConstants AES256 -AuthenticationTransformConstants SHA196 -PfsGroup None -Force\r\n");
        assertEquals(List.of(encr(12, 256), of(TransformType.INTEG, 2), of(TransformType.PRF, 2), of(TransformType.DH, 2)),
                w.get(0).transforms());
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> assertIkeAccepted("test", w.get(0)));
    }
}
