package io.p2sgw.cli.pki;

import static io.p2sgw.cli.pki.ExternalTool.sh;
import static io.p2sgw.cli.pki.PkiCreateCommandsTest.pki;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.cli.testing.CliRun;
import io.p2sgw.pki.Certificates;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code pki} commands against the other tools users have (issue #3 "Done when"; azure-p2s.md §5.3, §5.4):
 * openssl reads our .pfx and agrees on thumbprints and chains, and certificates made by openssl's and strongSwan's
 * recipes go through {@code thumbprint}, {@code show}, {@code verify} and serve as {@code --ca-cert/--ca-key}.
 * (Library-level interop is in the pki module's OpenSslInteropTest/StrongSwanPkiInteropTest; this covers the
 * commands and their file handling.)
 */
class PkiToolInteropTest {
    private static final String OPENSSL = "/usr/bin/openssl";
    private static final String STRONGSWAN_PKI = "/usr/bin/pki";

    private static CliRun ok(String... args) {
        CliRun r = pki(args);
        assertEquals(0, r.exitCode(), String.join(" ", args) + "\n" + r.err());
        return r;
    }

    private static String opensslSha1(Path dir, String file) throws Exception {
        String out = sh(dir, "openssl x509 -in " + file + " -noout -fingerprint -sha1");
        // "SHA1 Fingerprint=AB:CD:..." -> "abcd..."
        return out.strip().substring(out.indexOf('=') + 1).replace(":", "").toLowerCase(Locale.ROOT);
    }

    @Test
    void opensslReadsOurPfxWithThePasswordAndAgreesOnThumbprintAndChain(@TempDir Path dir) throws Exception {
        ExternalTool.require(OPENSSL);
        ok("root", "create", "--cn", "P2SRootCert", "--out", dir.resolve("root").toString());
        String thumb = ok("client", "create", "--ca", dir.resolve("root").toString(), "--cn", "P2SChildCert",
                "--pfx-password", "Pfx pass!", "--out", dir.toString()).out().strip();

        String info = sh(dir, "openssl pkcs12 -info -in P2SChildCert.pfx -passin 'pass:Pfx pass!' -nodes 2>&1");
        assertEquals(2, info.split("-----BEGIN CERTIFICATE-----", -1).length - 1, "leaf and root in the .pfx:\n" + info);
        assertTrue(info.contains("subject=CN = P2SChildCert") && info.contains("subject=CN = P2SRootCert"), info);
        assertTrue(info.contains("-----BEGIN PRIVATE KEY-----"), "key readable with the password");
        ExternalTool.Result wrong = ExternalTool.run(dir, "openssl", "pkcs12", "-info", "-in", "P2SChildCert.pfx",
                "-passin", "pass:wrong", "-nodes");
        assertNotEquals(0, wrong.exitCode(), "openssl must refuse a wrong password: the .pfx is really protected");

        // the key openssl extracts belongs to the certificate openssl extracts
        sh(dir, "openssl pkcs12 -in P2SChildCert.pfx -passin 'pass:Pfx pass!' -nodes -nocerts -out k.pem"
                + " && openssl pkcs12 -in P2SChildCert.pfx -passin 'pass:Pfx pass!' -clcerts -nokeys -out c.pem"
                + " && test \"$(openssl pkey -in k.pem -pubout)\" = \"$(openssl x509 -in c.pem -noout -pubkey)\"");

        assertEquals(opensslSha1(dir, "P2SChildCert.pem"), thumb, "client create prints openssl's fingerprint");
        assertEquals(opensslSha1(dir, "root/ca.cer"), ok("thumbprint", dir.resolve("root/ca.cer").toString()).out().strip());
        // openssl verifies our chain and the publicCertData line is the DER openssl sees
        sh(dir, "openssl verify -purpose sslclient -CAfile root/ca.pem P2SChildCert.pem");
        String b64 = sh(dir, "openssl x509 -in root/ca.cer -outform der | base64 -w0").strip();
        assertEquals(b64, Certificates.publicCertData(Certificates.parseAny(java.nio.file.Files.readString(dir.resolve("root/ca.cer")))));
    }

    @Test
    void opensslRecipeCertificatesWorkWithEveryCommand(@TempDir Path dir) throws Exception {
        ExternalTool.require(OPENSSL);
        // the docs' Linux OpenSSL recipe (azure-p2s.md §5.3)
        sh(dir, "openssl genrsa -out caKey.pem 2048 2>/dev/null"
                + " && openssl req -x509 -new -nodes -key caKey.pem -subj '/CN=VPN CA' -days 3650 -out caCert.pem"
                + " && openssl genrsa -out aliceKey.pem 2048 2>/dev/null"
                + " && openssl req -new -key aliceKey.pem -out alice.csr -subj '/CN=alice'"
                + " && openssl x509 -req -days 365 -in alice.csr -CA caCert.pem -CAkey caKey.pem -CAcreateserial -out aliceCert.pem"
                + " -extfile <(printf 'subjectAltName=DNS:alice\\nextendedKeyUsage=clientAuth') 2>/dev/null"
                + " && openssl pkcs12 -export -in aliceCert.pem -inkey aliceKey.pem -certfile caCert.pem -out alice.p12 -password pass:pw"
                + " && openssl x509 -in caCert.pem -outform der -out caCert.der");

        assertEquals(opensslSha1(dir, "aliceCert.pem"), ok("thumbprint", dir.resolve("aliceCert.pem").toString()).out().strip());
        assertEquals(opensslSha1(dir, "aliceCert.pem"),
                ok("thumbprint", dir.resolve("alice.p12").toString(), "--password", "pw").out().strip());
        assertEquals(opensslSha1(dir, "caCert.pem"), ok("thumbprint", dir.resolve("caCert.der").toString()).out().strip());
        String shown = ok("show", dir.resolve("alice.p12").toString(), "--password", "pw").out();
        assertTrue(shown.contains("Certificate 2 of 2") && shown.contains("CN=VPN CA (self-signed)"), shown);
        assertTrue(ok("verify", dir.resolve("alice.p12").toString(), "--password", "pw", "--trusted",
                dir.resolve("caCert.der").toString()).out().startsWith("OK: 'alice'"));

        // openssl's CA issues through our command, and openssl accepts the result
        ok("client", "create", "--ca-cert", dir.resolve("caCert.pem").toString(), "--ca-key", dir.resolve("caKey.pem").toString(),
                "--cn", "bob", "--pfx-password", "pw", "--out", dir.toString());
        sh(dir, "openssl verify -purpose sslclient -CAfile caCert.pem bob.pem");

        // the same CA certificate with alice's key: the mismatch is reported, nothing written
        CliRun mismatch = pki("client", "create", "--ca-cert", dir.resolve("caCert.pem").toString(), "--ca-key",
                dir.resolve("aliceKey.pem").toString(), "--cn", "carol", "--pfx-password", "pw", "--out", dir.toString());
        assertEquals(2, mismatch.exitCode());
        assertTrue(mismatch.err().contains("aliceKey.pem does not match the certificate 'VPN CA'"), mismatch.err());
        assertTrue(!java.nio.file.Files.exists(dir.resolve("carol.pfx")));
    }

    @Test
    void strongSwanRecipeCertificatesWorkWithEveryCommand(@TempDir Path dir) throws Exception {
        ExternalTool.require(STRONGSWAN_PKI);
        ExternalTool.require(OPENSSL);
        // the docs' strongSwan recipe (azure-p2s.md §5.4), with 'pki' for 'ipsec pki'
        sh(dir, "pki --gen --outform pem > caKey.pem"
                + " && pki --self --in caKey.pem --dn 'CN=VPN CA' --ca --outform pem > caCert.pem"
                + " && pki --gen --outform pem > daveKey.pem"
                + " && pki --pub --in daveKey.pem | pki --issue --cacert caCert.pem --cakey caKey.pem --dn 'CN=dave'"
                + " --san dave --flag clientAuth --outform pem > daveCert.pem"
                + " && openssl pkcs12 -in daveCert.pem -inkey daveKey.pem -certfile caCert.pem -export -out dave.p12 -password pass:pw");

        assertEquals(opensslSha1(dir, "daveCert.pem"), ok("thumbprint", dir.resolve("daveCert.pem").toString()).out().strip());
        assertTrue(ok("verify", dir.resolve("dave.p12").toString(), "--password", "pw", "--trusted",
                dir.resolve("caCert.pem").toString()).out().startsWith("OK: 'dave'"));
        assertTrue(ok("show", dir.resolve("caCert.pem").toString()).out().contains("CA:                  yes"));

        // strongSwan's CA key (traditional "RSA PRIVATE KEY" PEM) issues through our command; strongSwan verifies it
        ok("client", "create", "--ca-cert", dir.resolve("caCert.pem").toString(), "--ca-key", dir.resolve("caKey.pem").toString(),
                "--cn", "erin", "--pfx-password", "pw", "--out", dir.toString());
        String verified = sh(dir, "openssl x509 -in erin.pem -out erinLeaf.pem && pki --verify --in erinLeaf.pem --cacert caCert.pem");
        assertTrue(verified.contains("certificate trusted"), verified);

        // and strongSwan's pki accepts our root as a CA for its own issuing
        ok("root", "create", "--cn", "Our Root", "--out", dir.resolve("ours").toString(), "--key-type", "ec256");
        sh(dir, "pki --gen --type ecdsa --outform pem > fKey.pem"
                + " && pki --pub --in fKey.pem | pki --issue --cacert ours/ca.pem --cakey ours/ca.key.pem --dn 'CN=frank'"
                + " --flag clientAuth --outform pem > fCert.pem");
        assertTrue(ok("verify", dir.resolve("fCert.pem").toString(), "--trusted", dir.resolve("ours/ca.cer").toString())
                .out().startsWith("OK: 'frank'"));
    }
}
