package io.p2sgw.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificates made with strongSwan's pki tool, the docs' Linux recipe (azure-p2s.md §5.4). */
class StrongSwanPkiInteropTest {
    private static final String PKI = "/usr/bin/pki";
    private static final String OPENSSL = "/usr/bin/openssl";

    @TempDir
    Path dir;

    @Test
    void strongSwanRecipeCertificatesGoThroughUploadThumbprintAndValidation() throws Exception {
        Tools.requireTool(PKI);
        Tools.requireTool(OPENSSL);
        // The docs say "ipsec pki"; with strongswan-pki alone the binary is "pki" with the same options.
        Tools.sh(dir, PKI + " --gen --outform pem > caKey.pem");
        Tools.sh(dir, PKI + " --self --in caKey.pem --dn 'CN=VPN CA' --ca --outform pem > caCert.pem");
        Tools.sh(dir, PKI + " --gen --outform pem > bobKey.pem");
        Tools.sh(dir, PKI + " --pub --in bobKey.pem | " + PKI + " --issue --cacert caCert.pem --cakey caKey.pem"
                + " --dn 'CN=bob' --san bob --flag clientAuth --outform pem > bobCert.pem");
        String publicCertData = Tools.sh(dir, OPENSSL + " x509 -in caCert.pem -outform der | base64 -w0");

        X509Certificate root = Certificates.parsePublicCertData(publicCertData);
        X509Certificate bob = Certificates.parseAny(Files.readAllBytes(dir.resolve("bobCert.pem")));
        String fp = Tools.ok(dir, OPENSSL, "x509", "-in", "bobCert.pem", "-noout", "-fingerprint", "-sha1").strip();
        assertEquals(fp.substring(fp.indexOf('=') + 1).replace(":", "").toLowerCase(Locale.ROOT), Certificates.thumbprint(bob));
        var v = assertInstanceOf(ChainValidation.Valid.class, ChainValidator.validate(List.of(bob), List.of(root), Instant.now()));
        assertEquals("bob", v.commonName());

        // pki --gen writes a traditional "RSA PRIVATE KEY"; we read it and it matches.
        var key = Pem.readPrivateKey(Files.readString(dir.resolve("bobKey.pem")), Optional.empty());
        assertTrue(Keys.matches(key, bob.getPublicKey()));

        // the docs' bundling step, read by us
        Tools.ok(dir, OPENSSL, "pkcs12", "-in", "bobCert.pem", "-inkey", "bobKey.pem", "-certfile", "caCert.pem",
                "-export", "-out", "bob.p12", "-password", "pass:pw");
        assertEquals(List.of(bob, root), Pkcs12.read(dir.resolve("bob.p12"), "pw".toCharArray()).chain());
    }

    @Test
    void strongSwanPkiAcceptsOurCertificates() throws Exception {
        Tools.requireTool(PKI);
        CertificateIssuerTestSupport.writeRootAndClient(dir);
        String out = Tools.ok(dir, PKI, "--print", "--in", "client.crt");
        assertTrue(out.contains("clientAuth"), out);
        assertTrue(out.contains("P2SChildCert"), out);
        String verify = Tools.ok(dir, PKI, "--verify", "--in", "client.crt", "--cacert", "ca.crt");
        assertTrue(verify.contains("certificate trusted"), verify);
    }
}
