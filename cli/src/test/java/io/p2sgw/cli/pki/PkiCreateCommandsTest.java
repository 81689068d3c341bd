package io.p2sgw.cli.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.cli.testing.CliRun;
import io.p2sgw.pki.CertificateIssuer;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.KeyType;
import io.p2sgw.pki.Keys;
import io.p2sgw.pki.Pem;
import io.p2sgw.pki.Pkcs12;
import io.p2sgw.pki.PkiException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pki root|intermediate|client create}: the files, their contents, and every bad input. */
class PkiCreateCommandsTest {

    static CliRun pki(String... args) {
        return CliRun.of(new PkiCommand(), args);
    }

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void rootCreateWritesKeyPemAndOneLineCerWhoseBodyIsPublicCertData(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("root");
        CliRun r = pki("root", "create", "--cn", "P2SRootCert", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());

        String printed = r.out().strip();
        X509Certificate fromPrinted = Certificates.parsePublicCertData(printed);
        List<String> cer = Files.readAllLines(out.resolve("ca.cer"));
        assertEquals(List.of("-----BEGIN CERTIFICATE-----", printed, "-----END CERTIFICATE-----"), cer);
        X509Certificate pem = Pem.readCertificates(Files.readString(out.resolve("ca.pem"))).getFirst();
        assertEquals(fromPrinted, pem);

        // like the PowerShell recipe: RSA 2048, SHA-256, self-signed CA with keyCertSign (azure-p2s.md §5.1)
        assertEquals("CN=P2SRootCert", pem.getSubjectX500Principal().getName());
        assertTrue(Certificates.isSelfSigned(pem));
        assertEquals(2048, ((RSAPublicKey) pem.getPublicKey()).getModulus().bitLength());
        assertEquals("SHA256withRSA", pem.getSigAlgName());
        assertTrue(pem.getBasicConstraints() >= 0);
        assertTrue(pem.getKeyUsage()[5], "keyCertSign");
        long days = Duration.between(pem.getNotBefore().toInstant(), pem.getNotAfter().toInstant()).toDays();
        assertTrue(days >= 3650 && days <= 3651, "default validity " + days);

        String keyText = Files.readString(out.resolve("ca.key.pem"));
        assertTrue(keyText.startsWith("-----BEGIN PRIVATE KEY-----"), "unencrypted PKCS#8 without --password");
        assertTrue(Keys.matches(Pem.readPrivateKey(keyText, Optional.empty()), pem.getPublicKey()));
        assertEquals("rw-------", mode(out.resolve("ca.key.pem")));
        assertTrue(r.err().contains("NOT encrypted"), r.err());
        assertTrue(r.err().contains("root-cert create"), "tells how to upload: " + r.err());
        assertFalse(r.err().contains(keyText.lines().skip(1).findFirst().orElseThrow()), "key material printed");
    }

    @Test
    void rootWithPasswordEcKeyAndDays(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("r");
        CliRun r = pki("root", "create", "--cn", "EC Root", "--out", out.toString(), "--key-type", "EC384",
                "--days", "30", "--password", "s3cret");
        assertEquals(0, r.exitCode(), r.err());
        X509Certificate cert = Certificates.parseAny(Files.readString(out.resolve("ca.cer")));
        assertEquals(384, ((ECPublicKey) cert.getPublicKey()).getParams().getOrder().bitLength());
        assertEquals("SHA384withECDSA", cert.getSigAlgName());
        assertTrue(r.err().contains("-n EC-Root --public-cert-data"), "suggests a valid resource name: " + r.err());
        long days = Duration.between(Instant.now(), cert.getNotAfter().toInstant()).toDays();
        assertTrue(days >= 29 && days <= 30, "validity " + days);

        String keyText = Files.readString(out.resolve("ca.key.pem"));
        assertTrue(keyText.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"), keyText);
        PkiException noPw = org.junit.jupiter.api.Assertions.assertThrows(PkiException.class,
                () -> Pem.readPrivateKey(keyText, Optional.empty()));
        assertTrue(noPw.getMessage().contains("encrypted"));
        assertTrue(Keys.matches(Pem.readPrivateKey(keyText, Optional.of("s3cret".toCharArray())), cert.getPublicKey()));
    }

    @Test
    void rootRefusesToReplaceFilesAndBadOptions(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("r");
        assertEquals(0, pki("root", "create", "--cn", "A", "--out", out.toString()).exitCode());
        byte[] before = Files.readAllBytes(out.resolve("ca.key.pem"));

        CliRun again = pki("root", "create", "--cn", "B", "--out", out.toString());
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("already exists") && again.err().contains("--force"), again.err());
        assertArrayEquals(before, Files.readAllBytes(out.resolve("ca.key.pem")));

        assertEquals(0, pki("root", "create", "--cn", "B", "--out", out.toString(), "--force").exitCode());
        assertEquals("B", Certificates.commonName(Certificates.parseAny(Files.readString(out.resolve("ca.pem")))));

        CliRun badType = pki("root", "create", "--cn", "A", "--out", dir.resolve("x").toString(), "--key-type", "dsa1024");
        assertEquals(2, badType.exitCode());
        assertTrue(badType.err().contains("unknown --key-type 'dsa1024'") && badType.err().contains("ec256"), badType.err());
        CliRun badDays = pki("root", "create", "--cn", "A", "--out", dir.resolve("y").toString(), "--days", "0");
        assertEquals(2, badDays.exitCode());
        assertTrue(badDays.err().contains("--days must be between 1"), badDays.err());
        assertFalse(Files.exists(dir.resolve("x")) || Files.exists(dir.resolve("y")), "nothing written on bad input");
        CliRun blankCn = pki("root", "create", "--cn", " ", "--out", dir.resolve("z").toString());
        assertEquals(2, blankCn.exitCode());
        assertTrue(blankCn.err().contains("common name"), blankCn.err());
        CliRun missing = pki("root", "create", "--out", dir.resolve("z").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("--cn"), missing.err());
    }

    @Test
    void clientCreateWritesPfxWithWholeChainAndClientAuthEku(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("root");
        Path clients = dir.resolve("clients");
        assertEquals(0, pki("root", "create", "--cn", "P2SRootCert", "--out", root.toString(), "--password", "rootpw").exitCode());
        CliRun r = pki("client", "create", "--ca", root.toString(), "--ca-password", "rootpw", "--cn", "P2SChildCert",
                "--pfx-password", "pfxpw", "--out", clients.toString());
        assertEquals(0, r.exitCode(), r.err());

        KeyAndChain pfx = Pkcs12.read(clients.resolve("P2SChildCert.pfx"), "pfxpw".toCharArray());
        X509Certificate rootCert = Certificates.parseAny(Files.readString(root.resolve("ca.cer")));
        X509Certificate leaf = pfx.certificate();
        assertEquals(List.of(leaf, rootCert), pfx.chain(), "the .pfx carries the whole chain (azure-p2s.md §2.5)");
        assertEquals(Certificates.thumbprint(leaf), r.out().strip(), "prints the thumbprint");
        assertEquals("CN=P2SChildCert", leaf.getSubjectX500Principal().getName());
        assertEquals(rootCert.getSubjectX500Principal(), leaf.getIssuerX500Principal());
        leaf.verify(rootCert.getPublicKey());
        assertTrue(leaf.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.2"), "Client Authentication EKU");
        assertEquals(-1, leaf.getBasicConstraints());
        assertTrue(leaf.getSubjectAlternativeNames().stream().anyMatch(n -> n.get(1).equals("P2SChildCert")), "SAN DNS like -DnsName");

        List<X509Certificate> pemChain = Pem.readCertificates(Files.readString(clients.resolve("P2SChildCert.pem")));
        assertEquals(List.of(leaf, rootCert), pemChain);
        PrivateKey key = Pem.readPrivateKey(Files.readString(clients.resolve("P2SChildCert.key.pem")), Optional.empty());
        assertTrue(Keys.matches(key, leaf.getPublicKey()));
        assertEquals("rw-------", mode(clients.resolve("P2SChildCert.key.pem")));
        assertEquals("rw-------", mode(clients.resolve("P2SChildCert.pfx")));
        assertEquals("rw-r--r--", mode(clients.resolve("P2SChildCert.pem")));
    }

    @Test
    void intermediateChainAndEncryptedClientKey(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("root");
        Path inter = dir.resolve("inter");
        assertEquals(0, pki("root", "create", "--cn", "Root", "--out", root.toString(), "--key-type", "ec256").exitCode());
        CliRun i = pki("intermediate", "create", "--ca", root.toString(), "--cn", "Issuing CA", "--out", inter.toString());
        assertEquals(0, i.exitCode(), i.err());
        X509Certificate interCert = Certificates.parsePublicCertData(i.out().strip());
        assertEquals(0, interCert.getBasicConstraints(), "pathlen 0");
        assertEquals(2, Pem.readCertificates(Files.readString(inter.resolve("ca.pem"))).size(), "intermediate then root");

        CliRun c = pki("client", "create", "--ca", inter.toString(), "--cn", "jane@example.com", "--pfx-password", "p",
                "--key-password", "kp", "--key-type", "ec256", "--days", "10", "--out", dir.resolve("c").toString());
        assertEquals(0, c.exitCode(), c.err());
        KeyAndChain pfx = Pkcs12.read(dir.resolve("c/jane@example.com.pfx"), "p".toCharArray());
        assertEquals(3, pfx.chain().size(), "leaf, intermediate, root");
        assertEquals(interCert, pfx.chain().get(1));
        String keyText = Files.readString(dir.resolve("c/jane@example.com.key.pem"));
        assertTrue(keyText.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        assertTrue(Keys.matches(Pem.readPrivateKey(keyText, Optional.of("kp".toCharArray())), pfx.certificate().getPublicKey()));
    }

    @Test
    void clientFromCaMadeElsewhereAndFileNamesFromOddCns(@TempDir Path dir) throws Exception {
        KeyAndChain ca = CertificateIssuer.withSystemClock().createRoot("VPN CA", KeyType.RSA2048, Duration.ofDays(100));
        Path cert = Files.writeString(dir.resolve("caCert.pem"), Certificates.toPem(ca.certificate()));
        Path key = Files.writeString(dir.resolve("caKey.pem"), Pem.privateKeyToPem(ca.key()));
        CliRun r = pki("client", "create", "--ca-cert", cert.toString(), "--ca-key", key.toString(), "--cn", "Jane Doe/laptop",
                "--pfx-password", "p", "--out", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        KeyAndChain pfx = Pkcs12.read(dir.resolve("Jane_Doe_laptop.pfx"), "p".toCharArray());
        assertEquals("Jane Doe/laptop", Certificates.commonName(pfx.certificate()));
        assertEquals(ca.certificate(), pfx.chain().getLast());
    }

    @Test
    void unusableCasGiveClearErrorsAndWriteNothing(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("root");
        assertEquals(0, pki("root", "create", "--cn", "R", "--out", root.toString(), "--password", "right").exitCode());
        Path out = dir.resolve("out");

        assertError(dir, "--password", "the private key is encrypted: a password is needed",
                "--ca", root.toString());
        assertError(dir, "wrong", "wrong password for the encrypted private key",
                "--ca", root.toString(), "--ca-password", "wrong");
        assertError(dir, "no-dir", "the CA directory " + dir.resolve("nothing") + " does not exist",
                "--ca", dir.resolve("nothing").toString());
        assertError(dir, "empty-dir", "has no ca.key.pem and ca.pem", "--ca", Files.createDirectory(dir.resolve("empty")).toString());
        assertError(dir, "missing", "the issuing CA is missing", "--cn", "x");

        // a key that does not match the certificate
        KeyAndChain other = CertificateIssuer.withSystemClock().createRoot("Other", KeyType.EC256, Duration.ofDays(10));
        Path otherKey = Files.writeString(dir.resolve("other.key"), Pem.privateKeyToPem(other.key()));
        assertError(dir, "mismatch", "does not match the certificate 'R'",
                "--ca-cert", root.resolve("ca.pem").toString(), "--ca-key", otherKey.toString());

        // an expired root: made with a clock two years back, valid for one day
        CertificateIssuer past = new CertificateIssuer(Clock.fixed(Instant.now().minus(Duration.ofDays(730)), ZoneOffset.UTC), new SecureRandom());
        KeyAndChain expired = past.createRoot("Old Root", KeyType.EC256, Duration.ofDays(1));
        Path expCert = Files.writeString(dir.resolve("old.pem"), Certificates.toPem(expired.certificate()));
        Path expKey = Files.writeString(dir.resolve("old.key"), Pem.privateKeyToPem(expired.key()));
        assertError(dir, "expired", "CA certificate 'Old Root' expired on", "--ca-cert", expCert.toString(), "--ca-key", expKey.toString());

        // a non-CA "root": a client certificate used as --ca
        Path clients = dir.resolve("clients");
        assertEquals(0, pki("client", "create", "--ca", root.toString(), "--ca-password", "right", "--cn", "Leaf",
                "--pfx-password", "p", "--out", clients.toString()).exitCode());
        assertError(dir, "non-ca", "is not a CA certificate", "--ca-cert", clients.resolve("Leaf.pem").toString(),
                "--ca-key", clients.resolve("Leaf.key.pem").toString());

        // a corrupt certificate file
        Path corrupt = Files.writeString(dir.resolve("corrupt.pem"), "-----BEGIN CERTIFICATE-----\nMIIBnotreally\n-----END CERTIFICATE-----\n");
        assertError(dir, "corrupt", "corrupt.pem is not a valid certificate file", "--ca-cert", corrupt.toString(),
                "--ca-key", otherKey.toString());

        CliRun emptyPfxPw = pki("client", "create", "--ca", root.toString(), "--ca-password", "right", "--cn", "C",
                "--pfx-password", "", "--out", out.toString());
        assertEquals(2, emptyPfxPw.exitCode());
        assertTrue(emptyPfxPw.err().contains("--pfx-password must not be empty"), emptyPfxPw.err());
        assertFalse(Files.exists(out), "nothing written");
    }

    /** Runs {@code client create} with the given CA options into a fresh directory and expects exit 2 with the message. */
    private static void assertError(Path dir, String label, String expected, String... caOptions) {
        Path out = dir.resolve("out-" + label);
        List<String> args = new java.util.ArrayList<>(List.of("client", "create", "--pfx-password", "p", "--out", out.toString()));
        if (!List.of(caOptions).contains("--cn")) {
            args.addAll(List.of("--cn", "C"));
        }
        args.addAll(List.of(caOptions));
        CliRun r = pki(args.toArray(String[]::new));
        assertEquals(2, r.exitCode(), label + ": " + r.err());
        assertTrue(r.err().startsWith("ERROR: ") && r.err().contains(expected), label + ": " + r.err());
        assertNotEquals(true, Files.exists(out.resolve("C.pfx")), label + ": nothing written");
    }
}
