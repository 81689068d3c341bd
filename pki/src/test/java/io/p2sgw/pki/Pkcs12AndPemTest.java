package io.p2sgw.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class Pkcs12AndPemTest {
    private final KeyAndChain root = TestPki.root("P2SRootCert");
    private final KeyAndChain client = TestPki.ISSUER.createClient(root, "P2SChildCert", KeyType.RSA2048, Duration.ofDays(365));

    @Test
    void pfxRoundTripKeepsKeyAndChain() {
        byte[] pfx = Pkcs12.write(client, "pw".toCharArray(), "P2SChildCert");
        KeyAndChain back = Pkcs12.read(pfx, "pw".toCharArray());
        assertEquals(client.chain(), back.chain());
        assertTrue(Keys.matches(back.key(), client.certificate().getPublicKey()));
    }

    @Test
    void wrongPfxPasswordIsAClearError() {
        byte[] pfx = Pkcs12.write(client, "right".toCharArray(), "x");
        PkiException e = assertThrows(PkiException.class, () -> Pkcs12.read(pfx, "wrong".toCharArray()));
        assertTrue(e.getMessage().contains("wrong password"), e.getMessage());
    }

    @Test
    void corruptPfxIsAClearError() {
        PkiException e = assertThrows(PkiException.class, () -> Pkcs12.read(new byte[] {1, 2, 3}, "pw".toCharArray()));
        assertTrue(e.getMessage().contains("not a valid PKCS#12"), e.getMessage());
    }

    @Test
    void encryptedPemNeedsTheRightPassword() {
        String enc = Pem.privateKeyToPem(client.key(), "secret".toCharArray());
        assertTrue(enc.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"), enc);
        var k = Pem.readPrivateKey(enc, Optional.of("secret".toCharArray()));
        assertTrue(Keys.matches(k, client.certificate().getPublicKey()));
        assertTrue(assertThrows(PkiException.class, () -> Pem.readPrivateKey(enc, Optional.of("nope".toCharArray())))
                .getMessage().contains("wrong password"));
        assertTrue(assertThrows(PkiException.class, () -> Pem.readPrivateKey(enc, Optional.empty()))
                .getMessage().contains("password is needed"));
    }

    @Test
    void plainPemAndMismatchedKey() {
        String plain = Pem.privateKeyToPem(client.key());
        assertTrue(plain.startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertTrue(Keys.matches(Pem.readPrivateKey(plain, Optional.empty()), client.certificate().getPublicKey()));
        assertEquals(false, Keys.matches(Pem.readPrivateKey(plain, Optional.empty()), root.certificate().getPublicKey()));
        assertTrue(assertThrows(PkiException.class, () -> Pem.readPrivateKey(Certificates.toPem(root.certificate()), Optional.empty()))
                .getMessage().contains("no private key"));
        assertThrows(PkiException.class, () -> Pem.readPrivateKey("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", Optional.empty()));
    }

    @Test
    void certificatesPemRoundTrip() {
        assertEquals(client.chain(), Pem.readCertificates(Pem.certificatesToPem(client.chain())));
    }
}
