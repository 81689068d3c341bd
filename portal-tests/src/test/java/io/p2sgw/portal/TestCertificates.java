package io.p2sgw.portal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made the way the seed's PowerShell recipe makes them (azure-p2s.md §2.5, §5.1): an
 * RSA-2048 SHA-256 self-signed root with CertSign, and a client certificate with the Client
 * Authentication EKU signed by it.
 */
record TestCertificates(X509Certificate root, KeyPair rootKey, X509Certificate client) {

    static TestCertificates create(String rootCn, String clientCn, Duration rootValidity) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair rootKey = gen.generateKeyPair();
        X500Name rootName = new X500Name("CN=" + rootCn);
        Instant now = Instant.now();
        X509v3CertificateBuilder rb = new JcaX509v3CertificateBuilder(rootName, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minusSeconds(3600)), Date.from(now.plus(rootValidity)), rootName, rootKey.getPublic());
        rb.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        rb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
        X509Certificate root = sign(rb, rootKey);

        KeyPair clientKey = gen.generateKeyPair();
        X509v3CertificateBuilder cb = new JcaX509v3CertificateBuilder(rootName, BigInteger.valueOf(now.toEpochMilli() + 1),
                Date.from(now.minusSeconds(3600)), Date.from(now.plus(Duration.ofDays(365))), new X500Name("CN=" + clientCn),
                clientKey.getPublic());
        cb.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        X509Certificate client = sign(cb, rootKey);
        return new TestCertificates(root, rootKey, client);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) throws GeneralSecurityException, OperatorCreationException {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate())));
    }

    /** The root as a PEM file's text, with its 64-column lines and armour, as a user would paste it. */
    String rootPem() throws GeneralSecurityException {
        return pem(root);
    }

    static String pem(X509Certificate c) throws GeneralSecurityException {
        String body = Base64.getMimeEncoder(64, "\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).encodeToString(c.getEncoded());
        return "-----BEGIN CERTIFICATE-----\r\n" + body + "\r\n-----END CERTIFICATE-----\r\n";
    }

    /** publicCertData: the DER in Base-64 on one line (azure-p2s.md §2.3). */
    static String publicCertData(X509Certificate c) throws GeneralSecurityException {
        return Base64.getEncoder().encodeToString(c.getEncoded());
    }

    /** SHA-1 thumbprint, lower-case hex (azure-p2s.md §2.4). */
    static String thumbprint(X509Certificate c) throws GeneralSecurityException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(c.getEncoded()));
    }

    /** The thumbprint as Windows' certificate dialog shows it: upper-case pairs separated by spaces. */
    static String windowsStyleThumbprint(X509Certificate c) throws GeneralSecurityException {
        String hex = thumbprint(c).toUpperCase(java.util.Locale.ROOT);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            sb.append(i == 0 ? "" : " ").append(hex, i, i + 2);
        }
        return sb.toString();
    }
}
