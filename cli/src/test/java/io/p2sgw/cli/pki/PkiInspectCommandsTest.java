package io.p2sgw.cli.pki;

import static io.p2sgw.cli.pki.PkiCreateCommandsTest.pki;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.cli.testing.CliRun;
import io.p2sgw.pki.CertificateIssuer;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.KeyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pki thumbprint|show|verify} on every file form, and their bad inputs; {@code --help} texts. */
class PkiInspectCommandsTest {
    @TempDir
    Path dir;
    Path root;
    Path clients;
    X509Certificate rootCert;
    X509Certificate leaf;

    @BeforeEach
    void makeRootAndClient() throws Exception {
        root = dir.resolve("root");
        clients = dir.resolve("clients");
        assertEquals(0, pki("root", "create", "--cn", "P2SRootCert", "--out", root.toString(), "--key-type", "ec256").exitCode());
        assertEquals(0, pki("client", "create", "--ca", root.toString(), "--cn", "P2SChildCert", "--key-type", "ec256",
                "--pfx-password", "pw", "--out", clients.toString()).exitCode());
        rootCert = Certificates.parseAny(Files.readString(root.resolve("ca.cer")));
        leaf = Certificates.parseAny(Files.readString(clients.resolve("P2SChildCert.pem")));
    }

    @Test
    void thumbprintIsTheSameForEveryFileForm() throws Exception {
        String expected = Certificates.thumbprint(leaf);
        Path der = Files.write(dir.resolve("leaf.der"), leaf.getEncoded());
        Path bareB64 = Files.writeString(dir.resolve("leaf.b64"), Base64.getMimeEncoder().encodeToString(leaf.getEncoded()));
        for (String[] args : new String[][] {
            {"thumbprint", clients.resolve("P2SChildCert.pem").toString()},
            {"thumbprint", der.toString()},
            {"thumbprint", bareB64.toString()},
            {"thumbprint", clients.resolve("P2SChildCert.pfx").toString(), "--password", "pw"}}) {
            CliRun r = pki(args);
            assertEquals(0, r.exitCode(), r.err());
            assertEquals(expected, r.out().strip(), String.join(" ", args));
        }
        CliRun upper = pki("thumbprint", "--upper", root.resolve("ca.cer").toString());
        assertEquals(Certificates.thumbprint(rootCert).toUpperCase(Locale.ROOT), upper.out().strip());
        // what the revocation list takes (azure-p2s.md §2.4)
        assertEquals(java.util.Optional.of(Certificates.thumbprint(rootCert)), Certificates.normalizeThumbprint(upper.out()));
    }

    @Test
    void badFilesGiveClearErrors() throws Exception {
        Path corruptCer = Files.writeString(dir.resolve("corrupt.cer"), "MIIC$$notbase64==");
        Path truncated = Files.writeString(dir.resolve("truncated.cer"),
                Certificates.publicCertData(rootCert).substring(0, 200));
        Path keyOnly = clients.resolve("P2SChildCert.key.pem");
        Path pfx = clients.resolve("P2SChildCert.pfx");
        String[][] cases = {
            {"corrupt.cer is not a valid certificate file", "thumbprint", corruptCer.toString()},
            {"truncated.cer is not a valid certificate file", "show", truncated.toString()},
            {"it is a private key file", "thumbprint", keyOnly.toString()},
            {"wrong password for the .pfx file", "thumbprint", pfx.toString(), "--password", "nope"},
            {"is a .pfx file: its password is needed", "show", pfx.toString()},
            {"does not exist", "show", dir.resolve("missing.cer").toString()},
            {"corrupt.cer is not a valid certificate file", "verify", clients.resolve("P2SChildCert.pem").toString(),
                "--trusted", corruptCer.toString()},
        };
        for (String[] c : cases) {
            String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            CliRun r = pki(args);
            assertEquals(2, r.exitCode(), String.join(" ", args) + "\n" + r.err());
            assertTrue(r.err().startsWith("ERROR: ") && r.err().contains(c[0]), String.join(" ", args) + "\n" + r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void showDescribesEveryCertificateAndNotesProblems() throws Exception {
        CliRun chain = pki("show", clients.resolve("P2SChildCert.pem").toString());
        assertEquals(0, chain.exitCode(), chain.err());
        String s = chain.out();
        assertTrue(s.contains("Certificate 1 of 2") && s.contains("Certificate 2 of 2"), s);
        assertTrue(s.contains("Subject:             CN=P2SChildCert"), s);
        assertTrue(s.contains("Client Authentication (1.3.6.1.5.5.7.3.2)"), s);
        assertTrue(s.contains("Thumbprint (SHA-1):  " + Certificates.thumbprint(leaf)), s);
        assertTrue(s.contains("Issuer:              CN=P2SRootCert (self-signed)"), s);
        assertTrue(s.contains("CA:                  yes"), s);
        assertTrue(s.contains("Public key:          EC P-256"), s);
        assertTrue(!s.contains("Note:"), "nothing wrong with these: " + s);

        CertificateIssuer past = new CertificateIssuer(Clock.fixed(Instant.now().minus(Duration.ofDays(400)), ZoneOffset.UTC), new SecureRandom());
        KeyAndChain oldRoot = past.createRoot("Old", KeyType.EC256, Duration.ofDays(1000));
        KeyAndChain expired = past.createClient(oldRoot, "Expired", KeyType.EC256, Duration.ofDays(30));
        Path expiredFile = Files.writeString(dir.resolve("expired.pem"), Certificates.toPem(expired.certificate()));
        CliRun ex = pki("show", expiredFile.toString());
        assertEquals(0, ex.exitCode());
        assertTrue(ex.out().contains("(expired)") && ex.out().contains("Note: the certificate is expired"), ex.out());
    }

    @Test
    void verifyAppliesTheGatewayPolicy() throws Exception {
        String leafFile = clients.resolve("P2SChildCert.pem").toString();
        CliRun ok = pki("verify", leafFile, "--trusted", root.resolve("ca.cer").toString());
        assertEquals(0, ok.exitCode(), ok.out() + ok.err());
        assertEquals("OK: 'P2SChildCert' would be accepted (thumbprint " + Certificates.thumbprint(leaf) + ")", ok.out().strip());

        Path otherRoot = dir.resolve("other");
        assertEquals(0, pki("root", "create", "--cn", "Other", "--out", otherRoot.toString(), "--key-type", "ec256").exitCode());
        CliRun untrusted = pki("verify", leafFile, "--trusted", otherRoot.resolve("ca.cer").toString());
        assertEquals(1, untrusted.exitCode());
        assertTrue(untrusted.out().startsWith("REJECTED (UNTRUSTED)"), untrusted.out());

        // a root as client certificate: trusted as itself but it has no Client Authentication EKU
        CliRun noEku = pki("verify", root.resolve("ca.cer").toString(), "--trusted", root.resolve("ca.cer").toString());
        assertEquals(1, noEku.exitCode());
        assertTrue(noEku.out().startsWith("REJECTED (NO_CLIENT_AUTH_EKU)"), noEku.out());
    }

    @Test
    void helpExplainsEveryCommand() {
        CliRun top = pki("--help");
        assertEquals(0, top.exitCode());
        for (String sub : new String[] {"root", "intermediate", "client", "thumbprint", "show", "verify"}) {
            assertTrue(top.out().contains(sub), sub + " missing in\n" + top.out());
        }
        CliRun client = pki("client", "create", "--help");
        assertEquals(0, client.exitCode());
        for (String opt : new String[] {"--ca", "--ca-cert", "--ca-key", "--ca-password", "--cn", "--pfx-password",
            "--key-password", "--key-type", "--days", "--out", "--force", "Example:"}) {
            assertTrue(client.out().contains(opt), opt + " missing in\n" + client.out());
        }
        CliRun root = pki("root", "create", "--help");
        assertTrue(root.out().contains("publicCertData") && root.out().contains("--password"), root.out());
    }
}
