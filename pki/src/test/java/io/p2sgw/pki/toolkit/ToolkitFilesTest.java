package io.p2sgw.pki.toolkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.pki.CertificateIssuer;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.KeyType;
import io.p2sgw.pki.Pem;
import io.p2sgw.pki.PkiException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CaFiles/ClientFiles/CertificateFiles/CertificateReport: file forms, names, refusals, notes. */
class ToolkitFilesTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final CertificateIssuer ISSUER = new CertificateIssuer(Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom());

    @Test
    void baseNamesAreSafeFileNames() {
        assertEquals("P2SChildCert", ClientFiles.baseName("P2SChildCert"));
        assertEquals("jane@example.com", ClientFiles.baseName("jane@example.com"));
        assertEquals("Jane_Doe_.._x", ClientFiles.baseName("Jane Doe/../x"));
        assertEquals("client.hidden", ClientFiles.baseName(".hidden"));
        assertEquals(ClientFiles.MAX_BASE_NAME, ClientFiles.baseName("x".repeat(500)).length());
    }

    @Test
    void caDirectoryRoundTripAndNoSilentReplacement(@TempDir Path dir) throws Exception {
        KeyAndChain root = ISSUER.createRoot("R", KeyType.EC256, Duration.ofDays(10));
        CaFiles files = CaFiles.in(dir.resolve("ca"));
        files.write(root, Optional.of("pw".toCharArray()), false);
        KeyAndChain read = files.read(Optional.of("pw".toCharArray()));
        assertEquals(root.chain(), read.chain());
        assertEquals(List.of("-----BEGIN CERTIFICATE-----", Certificates.publicCertData(root.certificate()), "-----END CERTIFICATE-----"),
                Files.readAllLines(files.publicCer()));

        KeyAndChain other = ISSUER.createRoot("Other", KeyType.EC256, Duration.ofDays(10));
        PkiException e = assertThrows(PkiException.class, () -> files.write(other, Optional.empty(), false));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertEquals(root.chain(), files.read(Optional.of("pw".toCharArray())).chain(), "unchanged after the refusal");
        try (var listing = Files.list(files.key().getParent())) {
            assertEquals(3, listing.count(), "no temporary files left behind");
        }
    }

    @Test
    void certificateFilesReadEveryForm(@TempDir Path dir) throws Exception {
        KeyAndChain root = ISSUER.createRoot("R", KeyType.EC256, Duration.ofDays(10));
        X509Certificate c = root.certificate();
        byte[] der = c.getEncoded();
        Path[] forms = {
            Files.write(dir.resolve("a.der"), der),
            Files.writeString(dir.resolve("a.pem"), Certificates.toPem(c)),
            Files.writeString(dir.resolve("a.cer"), Certificates.toOneLinePem(c)),
            Files.writeString(dir.resolve("b64.cer"), Base64.getMimeEncoder().encodeToString(der) + "\r\n"),
            Files.writeString(dir.resolve("oneline.txt"), Certificates.publicCertData(c)),
        };
        for (Path f : forms) {
            assertEquals(List.of(c), CertificateFiles.readCertificates(f, Optional.empty()), f.toString());
        }
        Path keyOnly = Files.writeString(dir.resolve("k.pem"), Pem.privateKeyToPem(root.key()));
        PkiException e = assertThrows(PkiException.class, () -> CertificateFiles.readCertificates(keyOnly, Optional.empty()));
        assertTrue(e.getMessage().contains("k.pem") && e.getMessage().contains("private key file"), e.getMessage());
        Path trailing = Files.write(dir.resolve("t.der"), java.util.Arrays.copyOf(der, der.length + 3));
        e = assertThrows(PkiException.class, () -> CertificateFiles.readCertificates(trailing, Optional.empty()));
        assertTrue(e.getMessage().contains("unexpected bytes"), e.getMessage());
        Path huge = Files.write(dir.resolve("huge.cer"), new byte[Certificates.MAX_CERTIFICATE_FILE_BYTES + 1]);
        e = assertThrows(PkiException.class, () -> CertificateFiles.readCertificates(huge, Optional.empty()));
        assertTrue(e.getMessage().contains("more than the limit"), e.getMessage());
    }

    @Test
    void reportNotesWhatKeepsACertificateFromWorking() throws Exception {
        KeyAndChain root = ISSUER.createRoot("R", KeyType.EC256, Duration.ofDays(10));
        KeyAndChain client = ISSUER.createClient(root, "C", KeyType.EC256, Duration.ofDays(5));
        assertEquals(List.of(), CertificateReport.notes(client.certificate(), NOW));
        assertEquals(List.of(), CertificateReport.notes(root.certificate(), NOW));
        List<String> later = CertificateReport.notes(client.certificate(), NOW.plus(Duration.ofDays(6)));
        assertTrue(later.getFirst().contains("is expired"), later.toString());
        assertTrue(CertificateReport.notes(client.certificate(), NOW.minus(Duration.ofDays(1))).getFirst().contains("not yet valid"));

        // a SHA-1, self-signed, non-CA certificate without EKU (makecert-like leaf)
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        var b = new JcaX509v3CertificateBuilder(new X500Name("CN=Legacy"), BigInteger.TEN, Date.from(NOW.minusSeconds(60)),
                Date.from(NOW.plusSeconds(3600)), new X500Name("CN=Legacy"), kp.getPublic());
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        X509Certificate legacy = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA1withRSA").build(kp.getPrivate())));
        List<String> notes = CertificateReport.notes(legacy, NOW);
        assertTrue(notes.stream().anyMatch(n -> n.contains("SHA-1")), notes.toString());
        assertTrue(notes.stream().anyMatch(n -> n.contains("not a CA certificate")), notes.toString());
        String text = CertificateReport.describe(legacy, NOW);
        assertTrue(text.contains("Key usage:           digitalSignature\n") && text.contains("Note: "), text);
    }
}
