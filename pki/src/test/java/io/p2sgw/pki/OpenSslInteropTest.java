package io.p2sgw.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Known facts checked against the real openssl binary (azure-p2s.md §5.3). */
class OpenSslInteropTest {
    private static final String OPENSSL = "/usr/bin/openssl";

    @TempDir
    Path dir;

    @BeforeAll
    static void requireOpenSsl() {
        Tools.requireTool(OPENSSL);
    }

    private static String fingerprint(Path dir, String file) throws Exception {
        String out = Tools.ok(dir, OPENSSL, "x509", "-in", file, "-noout", "-fingerprint", "-sha1").strip();
        // "SHA1 Fingerprint=AB:CD:..."
        return out.substring(out.indexOf('=') + 1).replace(":", "").toLowerCase(Locale.ROOT);
    }

    @Test
    void docsOpenSslRecipeCertificatesGoThroughUploadThumbprintAndValidation() throws Exception {
        // Root, exactly as point-to-site-certificates-linux-openssl.md (azure-p2s.md §5.3).
        Tools.ok(dir, OPENSSL, "genrsa", "-out", "caKey.pem", "2048");
        Tools.ok(dir, OPENSSL, "req", "-x509", "-new", "-nodes", "-key", "caKey.pem", "-subj", "/CN=VPN CA", "-days", "3650", "-out", "caCert.pem");
        String publicCertData = Tools.sh(dir, OPENSSL + " x509 -in caCert.pem -outform der | base64 -w0");
        // Client.
        Tools.ok(dir, OPENSSL, "genrsa", "-out", "aliceKey.pem", "2048");
        Tools.ok(dir, OPENSSL, "req", "-new", "-key", "aliceKey.pem", "-out", "alice.csr", "-subj", "/CN=alice");
        Files.writeString(dir.resolve("ext.cnf"), "subjectAltName=DNS:alice\nextendedKeyUsage=clientAuth\n");
        Tools.ok(dir, OPENSSL, "x509", "-req", "-days", "365", "-in", "alice.csr", "-CA", "caCert.pem", "-CAkey", "caKey.pem",
                "-CAcreateserial", "-out", "aliceCert.pem", "-extfile", "ext.cnf");

        X509Certificate root = Certificates.parsePublicCertData(publicCertData);
        assertEquals("VPN CA", Certificates.commonName(root));
        assertEquals(fingerprint(dir, "caCert.pem"), Certificates.thumbprint(root));

        X509Certificate alice = Certificates.parseAny(Files.readString(dir.resolve("aliceCert.pem")));
        assertEquals(fingerprint(dir, "aliceCert.pem"), Certificates.thumbprint(alice));
        var v = assertInstanceOf(ChainValidation.Valid.class, ChainValidator.validate(List.of(alice), List.of(root), Instant.now()));
        assertEquals("alice", v.commonName());

        // openssl genrsa keys (PKCS#8 in OpenSSL 3) read back and match.
        var key = Pem.readPrivateKey(Files.readString(dir.resolve("aliceKey.pem")), Optional.empty());
        assertTrue(Keys.matches(key, alice.getPublicKey()));

        // Bundle as the docs do; our Pkcs12 reads openssl's .p12 with the chain.
        Tools.ok(dir, OPENSSL, "pkcs12", "-in", "aliceCert.pem", "-inkey", "aliceKey.pem", "-certfile", "caCert.pem",
                "-export", "-out", "alice.p12", "-password", "pass:s3cret");
        KeyAndChain kc = Pkcs12.read(dir.resolve("alice.p12"), "s3cret".toCharArray());
        assertEquals(List.of(alice, root), kc.chain());
        assertTrue(Keys.matches(kc.key(), alice.getPublicKey()));
    }

    @Test
    void ourThumbprintEqualsOpenSslFingerprintForEveryKeyType() throws Exception {
        for (KeyType t : KeyType.values()) {
            if (t == KeyType.RSA4096) {
                continue; // slow to generate, nothing different to learn
            }
            KeyAndChain root = CertificateIssuer.withSystemClock().createRoot("Root " + t, t, Duration.ofDays(30));
            Path f = dir.resolve(t.cliName() + ".cer");
            Files.writeString(f, Certificates.toOneLinePem(root.certificate()));
            // openssl reads the one-line .cer body too
            assertEquals(Certificates.thumbprint(root.certificate()), fingerprint(dir, f.getFileName().toString()), t.name());
        }
    }

    @Test
    void opensslReadsOurPfxWithTheWholeChainWithoutLegacy() throws Exception {
        CertificateIssuer issuer = CertificateIssuer.withSystemClock();
        KeyAndChain root = issuer.createRoot("P2SRootCert", KeyType.RSA2048, Duration.ofDays(3650));
        KeyAndChain inter = issuer.createIntermediate(root, "P2SIntermediate", KeyType.EC256, Duration.ofDays(1000));
        KeyAndChain client = issuer.createClient(inter, "P2SChildCert", KeyType.RSA2048, Duration.ofDays(365));
        Files.write(dir.resolve("client.pfx"), Pkcs12.write(client, "pa55word".toCharArray(), "P2SChildCert"));

        String out = Tools.ok(dir, OPENSSL, "pkcs12", "-in", "client.pfx", "-passin", "pass:pa55word", "-nodes");
        assertEquals(3, count(out, "-----BEGIN CERTIFICATE-----"), out);
        assertEquals(1, count(out, "-----BEGIN PRIVATE KEY-----"), out);
        List<X509Certificate> certs = Pem.readCertificates(out);
        assertTrue(certs.containsAll(client.chain()), "all three certificates of the chain are in the .pfx");
        var key = Pem.readPrivateKey(out, Optional.empty());
        assertTrue(Keys.matches(key, client.certificate().getPublicKey()));
        // no legacy algorithms: the info dump names PBES2/AES-256
        String info = Tools.ok(dir, OPENSSL, "pkcs12", "-in", "client.pfx", "-passin", "pass:pa55word", "-info", "-noout");
        assertTrue(info.contains("AES-256-CBC"), info);
        assertTrue(!info.contains("RC2") && !info.contains("3DES"), info);

        // wrong password
        Tools.Result wrong = Tools.run(dir, List.of(OPENSSL, "pkcs12", "-in", "client.pfx", "-passin", "pass:nope", "-nodes"));
        assertNotEquals(0, wrong.exitCode());
    }

    @Test
    void opensslReadsOurEncryptedAndPlainPemKeys() throws Exception {
        KeyAndChain root = CertificateIssuer.withSystemClock().createRoot("R", KeyType.RSA2048, Duration.ofDays(30));
        Files.writeString(dir.resolve("enc.key"), Pem.privateKeyToPem(root.key(), "k3y!".toCharArray()));
        Files.writeString(dir.resolve("plain.key"), Pem.privateKeyToPem(root.key()));
        Files.writeString(dir.resolve("ca.crt"), Certificates.toPem(root.certificate()));
        String modCert = Tools.ok(dir, OPENSSL, "x509", "-in", "ca.crt", "-noout", "-modulus");
        assertEquals(modCert, Tools.ok(dir, OPENSSL, "rsa", "-in", "enc.key", "-passin", "pass:k3y!", "-noout", "-modulus"));
        assertEquals(modCert, Tools.ok(dir, OPENSSL, "rsa", "-in", "plain.key", "-noout", "-modulus"));
        // and our reader reads what openssl re-encrypts (traditional format, legacy Proc-Type header)
        Tools.ok(dir, OPENSSL, "rsa", "-in", "plain.key", "-aes256", "-traditional", "-passout", "pass:abc", "-out", "trad.key");
        var k = Pem.readPrivateKey(Files.readString(dir.resolve("trad.key")), Optional.of("abc".toCharArray()));
        assertTrue(Keys.matches(k, root.certificate().getPublicKey()));
        // openssl verifies our chain
        KeyAndChain client = CertificateIssuer.withSystemClock().createClient(root, "c", KeyType.EC256, Duration.ofDays(3));
        Files.writeString(dir.resolve("c.crt"), Certificates.toPem(client.certificate()));
        String verify = Tools.ok(dir, OPENSSL, "verify", "-CAfile", "ca.crt", "-purpose", "sslclient", "c.crt");
        assertTrue(verify.contains("c.crt: OK"), verify);
        String text = Tools.ok(dir, OPENSSL, "x509", "-in", "c.crt", "-noout", "-text");
        assertTrue(text.contains("TLS Web Client Authentication"), text);
        assertTrue(text.contains("DNS:c"), text);
        String rootText = Tools.ok(dir, OPENSSL, "x509", "-in", "ca.crt", "-noout", "-text");
        assertTrue(rootText.contains("CA:TRUE") && rootText.contains("Certificate Sign"), rootText);
        assertTrue(rootText.contains("sha256WithRSAEncryption") && rootText.contains("2048 bit"), rootText);
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    @SuppressWarnings("unused")
    private static String read(Path p) throws Exception {
        return Files.readString(p, StandardCharsets.US_ASCII);
    }
}
