package io.p2sgw.pki.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.pki.CertificateIssuer;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.KeyType;
import io.p2sgw.pki.Pem;
import io.p2sgw.pki.PkiException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OvpnProfilesTest {
    private static final String TEMPLATE = "# fill $CLIENTCERTIFICATE and $PRIVATEKEY\nclient\n<cert>\n$CLIENTCERTIFICATE\n</cert>\n<key>\n$PRIVATEKEY\n</key>\n";
    private final CertificateIssuer issuer = CertificateIssuer.withSystemClock();
    private final KeyAndChain root = issuer.createRoot("R", KeyType.EC256, Duration.ofDays(10));
    private final KeyAndChain client = issuer.createClient(root, "P2SChildCert", KeyType.EC256, Duration.ofDays(10));

    @Test
    void fillsCertificateAndKey() {
        // as `openssl pkcs12 -nodes` prints it: bag attributes before each block
        String chain = "Bag Attributes\n    friendlyName: P2SChildCert\n" + Certificates.toPem(client.certificate());
        String filled = OvpnProfiles.fill(TEMPLATE, chain, Pem.privateKeyToPem(client.key()));
        assertEquals("# fill $CLIENTCERTIFICATE and $PRIVATEKEY\nclient\n<cert>\n" + Certificates.toPem(client.certificate()) + "</cert>\n<key>\n"
                + Pem.privateKeyToPem(client.key()) + "</key>\n", filled);
    }

    @Test
    void keyThatDoesNotMatchIsRefused() {
        PkiException e = assertThrows(PkiException.class, () -> OvpnProfiles.fill(TEMPLATE,
                Certificates.toPem(client.certificate()), Pem.privateKeyToPem(root.key())));
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
        assertThrows(PkiException.class, () -> OvpnProfiles.fill("client\n", Certificates.toPem(client.certificate()), Pem.privateKeyToPem(client.key())));
        assertThrows(PkiException.class, () -> OvpnProfiles.fill(TEMPLATE, "nothing", Pem.privateKeyToPem(client.key())));
    }
}
