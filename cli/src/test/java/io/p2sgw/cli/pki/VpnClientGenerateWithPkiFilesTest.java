package io.p2sgw.cli.pki;

import static io.p2sgw.cli.pki.PkiCreateCommandsTest.pki;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.cli.network.NetworkCommand;
import io.p2sgw.cli.testing.CliRun;
import io.p2sgw.cli.testing.FakeArmServer;
import io.p2sgw.cli.testing.FakeArmServer.Response;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.Pem;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented flow end to end on the client side: files from {@code p2sgw pki client create} go into
 * {@code vpn-client generate --client-cert} as .pfx or as PEM (+ {@code --client-key}); bad credentials are
 * reported before any request reaches the server.
 */
class VpnClientGenerateWithPkiFilesTest {
    private static final String TEMPLATE = "client\nremote gw.example 443\n<cert>\n$CLIENTCERTIFICATE\n</cert>\n<key>\n$PRIVATEKEY\n</key>\n";

    @TempDir
    Path dir;
    Path clients;
    byte[] zip;

    @BeforeEach
    void setUp() throws Exception {
        Path root = dir.resolve("root");
        clients = dir.resolve("clients");
        assertEquals(0, pki("root", "create", "--cn", "P2SRootCert", "--out", root.toString(), "--key-type", "ec256").exitCode());
        assertEquals(0, pki("client", "create", "--ca", root.toString(), "--cn", "P2SChildCert", "--key-type", "ec256",
                "--pfx-password", "pfxpw", "--out", clients.toString()).exitCode());
        assertEquals(0, pki("client", "create", "--ca", root.toString(), "--cn", "Locked", "--key-type", "ec256",
                "--pfx-password", "pfxpw", "--key-password", "keypw", "--out", clients.toString()).exitCode());
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bos)) {
            z.putNextEntry(new ZipEntry("OpenVPN/vpnconfig.ovpn"));
            z.write(TEMPLATE.getBytes(StandardCharsets.UTF_8));
        }
        zip = bos.toByteArray();
    }

    private record Outcome(CliRun run, List<FakeArmServer.Request> requests, Optional<String> profile) {
    }

    private Outcome generate(String... credentialArgs) throws Exception {
        Path ovpn = dir.resolve("VNet1GW.ovpn");
        Files.deleteIfExists(ovpn);
        try (FakeArmServer s = new FakeArmServer(r -> r.path().endsWith("/generatevpnclientpackage")
                ? Response.json(200, "\"{base}/pkg/VNet1GW.zip\"") : Response.bytes(zip))) {
            List<String> args = new ArrayList<>(List.of("vnet-gateway", "vpn-client", "generate", "-g", "TestRG1", "-n", "VNet1GW",
                    "--ovpn-file", ovpn.toString(), "--endpoint", s.base(), "--token", "t"));
            args.addAll(List.of(credentialArgs));
            CliRun r = CliRun.of(new NetworkCommand(), args.toArray(String[]::new));
            return new Outcome(r, s.requests(), Files.exists(ovpn) ? Optional.of(Files.readString(ovpn)) : Optional.empty());
        }
    }

    private void assertFilledWith(Outcome o, String cn) throws Exception {
        assertEquals(0, o.run().exitCode(), o.run().err());
        String profile = o.profile().orElseThrow();
        assertFalse(profile.contains("$CLIENTCERTIFICATE") || profile.contains("$PRIVATEKEY"), profile);
        var leaf = Pem.readCertificates(profile).getFirst();
        assertEquals(cn, Certificates.commonName(leaf));
        var key = Pem.readPrivateKey(profile, Optional.empty());
        assertTrue(io.p2sgw.pki.Keys.matches(key, leaf.getPublicKey()), "the filled key belongs to the filled certificate");
    }

    @Test
    void pfxFromPkiClientCreate() throws Exception {
        assertFilledWith(generate("--client-cert", clients.resolve("P2SChildCert.pfx").toString(),
                "--client-cert-password", "pfxpw"), "P2SChildCert");
    }

    @Test
    void pemCertificateAndKeyFromPkiClientCreate() throws Exception {
        assertFilledWith(generate("--client-cert", clients.resolve("P2SChildCert.pem").toString(),
                "--client-key", clients.resolve("P2SChildCert.key.pem").toString()), "P2SChildCert");
        assertFilledWith(generate("--client-cert", clients.resolve("Locked.pem").toString(),
                "--client-key", clients.resolve("Locked.key.pem").toString(), "--client-cert-password", "keypw"), "Locked");
        // one PEM file with certificate and key, as `openssl pkcs12 -nodes` writes it
        Path both = Files.writeString(dir.resolve("both.pem"), Files.readString(clients.resolve("P2SChildCert.key.pem"))
                + Files.readString(clients.resolve("P2SChildCert.pem")));
        assertFilledWith(generate("--client-cert", both.toString()), "P2SChildCert");
    }

    @Test
    void badCredentialsAreReportedBeforeAnyRequest() throws Exception {
        String[][] cases = {
            {"wrong password for the .pfx file", "--client-cert", clients.resolve("P2SChildCert.pfx").toString(),
                "--client-cert-password", "nope"},
            {"does not match the certificate 'P2SChildCert'", "--client-cert", clients.resolve("P2SChildCert.pem").toString(),
                "--client-key", clients.resolve("Locked.key.pem").toString(), "--client-cert-password", "keypw"},
            {"the private key is encrypted", "--client-cert", clients.resolve("Locked.pem").toString(),
                "--client-key", clients.resolve("Locked.key.pem").toString()},
            {"holds no private key: give the key file too", "--client-cert", clients.resolve("P2SChildCert.pem").toString()},
            {"which holds the key itself", "--client-cert", clients.resolve("P2SChildCert.pfx").toString(),
                "--client-key", clients.resolve("P2SChildCert.key.pem").toString(), "--client-cert-password", "pfxpw"},
        };
        for (String[] c : cases) {
            Outcome o = generate(java.util.Arrays.copyOfRange(c, 1, c.length));
            String label = String.join(" ", c);
            assertEquals(2, o.run().exitCode(), label + "\n" + o.run().err());
            assertTrue(o.run().err().contains(c[0]), label + "\n" + o.run().err());
            assertEquals(List.of(), o.requests(), "nothing sent to the server: " + label);
            assertTrue(o.profile().isEmpty(), label);
        }
    }
}
