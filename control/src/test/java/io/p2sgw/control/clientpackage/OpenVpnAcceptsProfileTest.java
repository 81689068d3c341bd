package io.p2sgw.control.clientpackage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.pki.Pem;
import io.p2sgw.pki.profile.OvpnProfiles;
import io.p2sgw.testkit.pki.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #3 "Done when": {@code openvpn --config} accepts the generated profiles with their placeholders filled
 * (azure-p2s.md §3.4): OpenVPN 2.6 parses every option, loads the inline CA, client certificate, key and
 * tls-auth/tls-crypt key, and gets as far as connecting. It runs in a private network namespace with an extra
 * {@code --remote 127.0.0.1 1} put first, so the first attempt is refused on loopback and nothing leaves the
 * machine.
 */
class OpenVpnAcceptsProfileTest {
    private static final String OPENVPN = "/usr/sbin/openvpn";
    private static final String TCP_ATTEMPT = "Attempting to establish TCP connection with [AF_INET]127.0.0.1:1";
    private static final String UDP_ATTEMPT = "UDPv4 link remote: [AF_INET]127.0.0.1:1";
    /** What OpenVPN prints when it refuses a profile before connecting. */
    private static final List<String> REFUSALS = List.of("Options error", "Cannot load", "Exiting due to fatal error",
            "does not match", "Error:");

    private final ZipClientPackageBuilder builder = new ZipClientPackageBuilder();

    @Test
    void templatesFilledLikeTheDocsSayAreAccepted(@TempDir Path dir) throws Exception {
        PrivateNetns.requireRootAnd(OPENVPN);
        List<PackageFile> files = builder.files(Fixtures.seed(Set.of(TunnelType.OPENVPN), List.of("10.1.0.4"), Optional.empty()));
        int checked = 0;
        for (PackageFile f : files) {
            if (f.path().startsWith("OpenVPN/") && f.path().endsWith(".ovpn")) {
                String filled = OvpnProfiles.fill(text(f), Fixtures.clientChainPem(), Fixtures.clientKeyPem());
                assertAccepted(dir, f.path(), filled);
                checked++;
            }
        }
        assertEquals(3, checked, "tls-auth TCP, UDP and tls-crypt profiles");
    }

    @Test
    void readyProfilesWithTheClientCertificateAreAccepted(@TempDir Path dir) throws Exception {
        PrivateNetns.requireRootAnd(OPENVPN);
        List<PackageFile> files = builder.files(Fixtures.seed(Set.of(TunnelType.OPENVPN, TunnelType.IKEV2), List.of(),
                Optional.of(Fixtures.credentials())));
        List<PackageFile> ready = files.stream().filter(f -> f.path().startsWith("OpenVPN/ready/")).toList();
        assertEquals(3, ready.size());
        for (PackageFile f : ready) {
            assertAccepted(dir, f.path(), text(f));
        }
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedBeforeConnecting(@TempDir Path dir) throws Exception {
        // Negative control: shows that reaching the connect attempt really means the credentials were loaded.
        PrivateNetns.requireRootAnd(OPENVPN);
        String template = text(builder.files(Fixtures.seed()).stream()
                .filter(f -> f.path().equals("OpenVPN/vpnconfig.ovpn")).findFirst().orElseThrow());
        PrivateKey otherKey = TestPki.rsa("other").ca().privateKey();
        String wrongKey = template.replace("$CLIENTCERTIFICATE", Fixtures.clientChainPem().strip())
                .replace("$PRIVATEKEY", Pem.privateKeyToPem(otherKey).strip());
        String out = run(dir, "wrong-key.ovpn", wrongKey);
        assertFalse(out.contains(TCP_ATTEMPT), out);
        assertTrue(REFUSALS.stream().anyMatch(out::contains), out);
        // and a profile with an option OpenVPN does not know is an "Options error"
        String badOption = OvpnProfiles.fill(template, Fixtures.clientChainPem(), Fixtures.clientKeyPem())
                .replace("remote-cert-tls server", "remote-cert-tls server extra");
        assertTrue(run(dir, "bad-option.ovpn", badOption).contains("Options error"));
    }

    private static void assertAccepted(Path dir, String name, String profile) throws Exception {
        assertFalse(profile.contains("$CLIENTCERTIFICATE") || profile.contains("$PRIVATEKEY"), name);
        String out = run(dir, name.replace('/', '_'), profile);
        String marker = profile.lines().anyMatch(l -> l.equals("proto udp")) ? UDP_ATTEMPT : TCP_ATTEMPT;
        assertTrue(out.contains(marker), name + " did not get as far as connecting:\n" + out);
        String beforeConnect = out.substring(0, out.indexOf(marker));
        for (String refusal : REFUSALS) {
            assertFalse(beforeConnect.contains(refusal), name + ": " + refusal + "\n" + out);
        }
    }

    /** Runs openvpn on the profile until it reaches the connect attempt or exits; returns its log. */
    private static String run(Path dir, String fileName, String profile) throws Exception {
        Path file = Files.writeString(dir.resolve(fileName), profile);
        // --remote before --config: command-line remotes come first in OpenVPN's connection list.
        String script = "exec " + OPENVPN + " --remote 127.0.0.1 1 --config " + file
                + " --connect-retry-max 1 --verb 3";
        try (PrivateNetns ns = PrivateNetns.start(dir, script)) {
            return ns.awaitOutput(o -> o.contains(TCP_ATTEMPT) || o.contains(UDP_ATTEMPT));
        }
    }

    private static String text(PackageFile f) {
        return new String(f.content(), StandardCharsets.UTF_8);
    }
}
