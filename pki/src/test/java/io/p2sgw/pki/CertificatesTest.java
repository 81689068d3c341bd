package io.p2sgw.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CertificatesTest {
    private final X509Certificate root = TestPki.root("P2SRootCert").certificate();

    @Test
    void publicCertDataRoundTrips() {
        String data = Certificates.publicCertData(root);
        assertTrue(data.matches("[A-Za-z0-9+/=]+"), data);
        assertEquals(root, Certificates.parsePublicCertData(data));
        assertArrayEquals(Base64.getDecoder().decode(data), Certificates.der(root));
    }

    @Test
    void publicCertDataRejectsLineBreakSpacePemAndGarbage() {
        String data = Certificates.publicCertData(root);
        String withBreak = data.substring(0, 64) + "\n" + data.substring(64);
        var e = assertThrows(InvalidCertificateDataException.class, () -> Certificates.parsePublicCertData(withBreak));
        assertTrue(e.getMessage().contains("line break at position 64"), e.getMessage());

        String withCr = data.substring(0, 10) + "\r\n" + data.substring(10);
        assertTrue(assertThrows(InvalidCertificateDataException.class, () -> Certificates.parsePublicCertData(withCr))
                .getMessage().contains("line break"));

        String withSpace = data.substring(0, 5) + " " + data.substring(5);
        assertTrue(assertThrows(InvalidCertificateDataException.class, () -> Certificates.parsePublicCertData(withSpace))
                .getMessage().contains("space at position 5"));

        String pem = Certificates.toOneLinePem(root).strip();
        assertTrue(assertThrows(InvalidCertificateDataException.class, () -> Certificates.parsePublicCertData(pem))
                .getMessage().contains("BEGIN CERTIFICATE"));

        assertTrue(assertThrows(InvalidCertificateDataException.class, () -> Certificates.parsePublicCertData("not*base64"))
                .getMessage().contains("'*'"));
        assertThrows(InvalidCertificateDataException.class, () -> Certificates.parsePublicCertData(""));
        // Valid Base-64, but not a certificate.
        String garbage = Base64.getEncoder().encodeToString("hello, world".getBytes(StandardCharsets.US_ASCII));
        assertTrue(assertThrows(InvalidCertificateDataException.class, () -> Certificates.parsePublicCertData(garbage))
                .getMessage().contains("DER"));
        // A truncated certificate.
        String truncated = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(Certificates.der(root), 100));
        assertThrows(InvalidCertificateDataException.class, () -> Certificates.parsePublicCertData(truncated));
        // Base-64 of the PEM text (a classic mistake): decodes to text, which the X.509 factory would accept.
        String b64OfPem = Base64.getEncoder().encodeToString(Certificates.toPem(root).getBytes(StandardCharsets.US_ASCII));
        assertThrows(InvalidCertificateDataException.class, () -> Certificates.parsePublicCertData(b64OfPem));
        // Trailing bytes after the DER.
        byte[] der = Certificates.der(root);
        byte[] longer = java.util.Arrays.copyOf(der, der.length + 2);
        assertTrue(assertThrows(InvalidCertificateDataException.class,
                () -> Certificates.parsePublicCertData(Base64.getEncoder().encodeToString(longer))).getMessage().contains("unexpected bytes"));
        // Bad padding.
        assertThrows(InvalidCertificateDataException.class, () -> Certificates.parsePublicCertData(data.replace("=", "") + "A"));
        // Over the size limit.
        assertThrows(InvalidCertificateDataException.class,
                () -> Certificates.parsePublicCertData("A".repeat(Certificates.MAX_PUBLIC_CERT_DATA_CHARS + 4)));
    }

    @Test
    void thumbprintIsLowerHexSha1OfDer() throws Exception {
        String tp = Certificates.thumbprint(root);
        assertTrue(tp.matches("[0-9a-f]{40}"), tp);
        byte[] sha1 = java.security.MessageDigest.getInstance("SHA-1").digest(root.getEncoded());
        assertEquals(java.util.HexFormat.of().formatHex(sha1), tp);
    }

    @Test
    void commonNameReadsTheAttributeNotTheCommaSeparatedString() throws Exception {
        // RFC 4514 §2.4: a comma inside a value is escaped ("CN=Doe\\, John"); splitting the string form on
        // commas cut it to "Doe\\".
        KeyAndChain doe = TestPki.client(TestPki.root("Root, Inc."), "Doe, John");
        assertEquals("CN=Doe\\, John", doe.certificate().getSubjectX500Principal().getName());
        assertEquals("Doe, John", Certificates.commonName(doe.certificate()));
        assertEquals("Root, Inc.", Certificates.commonName(doe.chain().get(1)));
        // Plus signs, quotes, a leading '#' and non-ASCII are values too.
        assertEquals("a+b=\"c\" #1 Ünïcode", Certificates.commonName(
                TestPki.client(TestPki.root("r"), "a+b=\"c\" #1 Ünïcode").certificate()));
        // A multi-valued RDN (RFC 4514 §2.2 "+"): the CN is found even when another attribute comes first
        // (DER sorts a SET by encoding, so the shorter C=NL precedes it).
        X509Certificate multi = TestPki.withSubject(new org.bouncycastle.asn1.x500.X500Name("C=NL+CN=Alice, O=Contoso"));
        assertEquals("Alice", Certificates.commonName(multi));
        // No CN at all: the whole subject, RFC 2253 form.
        X509Certificate noCn = TestPki.withSubject(new org.bouncycastle.asn1.x500.X500Name("O=Contoso\\, Ltd, C=NL"));
        assertEquals("C=NL,O=Contoso\\, Ltd", Certificates.commonName(noCn));
    }

    @Test
    void normalizeThumbprintAcceptsWhatUsersPaste() {
        String tp = "51ab1edd8da4cfed77e20061c5eb6d2ef2f778c7";
        assertEquals(Optional.of(tp), Certificates.normalizeThumbprint(tp));
        assertEquals(Optional.of(tp), Certificates.normalizeThumbprint(tp.toUpperCase()));
        assertEquals(Optional.of(tp), Certificates.normalizeThumbprint("\u200e51 ab 1e dd 8d a4 cf ed 77 e2 00 61 c5 eb 6d 2e f2 f7 78 c7"));
        assertEquals(Optional.of(tp), Certificates.normalizeThumbprint("51:AB:1E:DD:8D:A4:CF:ED:77:E2:00:61:C5:EB:6D:2E:F2:F7:78:C7"));
        assertEquals(Optional.empty(), Certificates.normalizeThumbprint(tp.substring(1)));
        assertEquals(Optional.empty(), Certificates.normalizeThumbprint(tp + "00"));
        assertEquals(Optional.empty(), Certificates.normalizeThumbprint(tp.replace('a', 'g')));
        assertEquals(Optional.empty(), Certificates.normalizeThumbprint(""));
        // As openssl x509 -noout -fingerprint -sha1 prints it (OpenSSL 1.1 and 3 spell the prefix differently).
        assertEquals(Optional.of(tp), Certificates.normalizeThumbprint("SHA1 Fingerprint=51:AB:1E:DD:8D:A4:CF:ED:77:E2:00:61:C5:EB:6D:2E:F2:F7:78:C7"));
        assertEquals(Optional.of(tp), Certificates.normalizeThumbprint("sha1 Fingerprint=51:AB:1E:DD:8D:A4:CF:ED:77:E2:00:61:C5:EB:6D:2E:F2:F7:78:C7\n"));
        String sha256 = "SHA256 Fingerprint=" + "AB:".repeat(31) + "AB";
        assertEquals(Optional.empty(), Certificates.normalizeThumbprint(sha256));
        assertTrue(Certificates.looksLikeSha256Fingerprint(sha256));
        assertTrue(Certificates.looksLikeSha256Fingerprint("ab".repeat(32)));
        assertFalse(Certificates.looksLikeSha256Fingerprint(tp));
    }

    @Test
    void parseAnyReadsPemOneLinePemBase64AndDer() {
        assertEquals(root, Certificates.parseAny(Certificates.toPem(root)));
        assertEquals(root, Certificates.parseAny(Certificates.toOneLinePem(root)));
        assertEquals(root, Certificates.parseAny(Certificates.publicCertData(root)));
        assertEquals(root, Certificates.parseAny(Certificates.der(root)));
        assertEquals(root, Certificates.parseAny(Certificates.toPem(root).replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII)));
        String mime = Base64.getMimeEncoder().encodeToString(Certificates.der(root));
        assertEquals(root, Certificates.parseAny(mime));
        assertThrows(InvalidCertificateDataException.class, () -> Certificates.parseAny("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"));
        assertThrows(InvalidCertificateDataException.class, () -> Certificates.parseAny("garbage!"));
        assertThrows(InvalidCertificateDataException.class, () -> Certificates.parseAny(new byte[] {0x30, 0x03, 0x01}));
    }

    @Test
    void commonNameOfSubject() throws Exception {
        assertEquals("P2SRootCert", Certificates.commonName(root));
        KeyAndChain odd = TestPki.custom(Optional.empty(), "a\\,b", "EC", "SHA256withECDSA",
                TestPki.NOW.minusSeconds(60), TestPki.NOW.plusSeconds(3600), true, false);
        assertEquals("a,b", Certificates.commonName(odd.certificate()));
    }
}
