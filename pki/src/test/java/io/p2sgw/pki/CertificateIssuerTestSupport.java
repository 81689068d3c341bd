package io.p2sgw.pki;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

final class CertificateIssuerTestSupport {
    private CertificateIssuerTestSupport() {
    }

    /** ca.crt, ca.key, client.crt, client.key in dir (RSA root, EC client). */
    static KeyAndChain writeRootAndClient(Path dir) throws Exception {
        CertificateIssuer issuer = CertificateIssuer.withSystemClock();
        KeyAndChain root = issuer.createRoot("P2SRootCert", KeyType.RSA2048, Duration.ofDays(3650));
        KeyAndChain client = issuer.createClient(root, "P2SChildCert", KeyType.EC256, Duration.ofDays(365));
        Files.writeString(dir.resolve("ca.crt"), Certificates.toPem(root.certificate()));
        Files.writeString(dir.resolve("ca.key"), Pem.privateKeyToPem(root.key()));
        Files.writeString(dir.resolve("client.crt"), Certificates.toPem(client.certificate()));
        Files.writeString(dir.resolve("client.key"), Pem.privateKeyToPem(client.key()));
        return client;
    }
}
