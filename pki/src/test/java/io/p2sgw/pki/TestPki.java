package io.p2sgw.pki;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates for tests, including shapes CertificateIssuer never makes (SHA-1, no EKU, expired). */
final class TestPki {
    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final CertificateIssuer ISSUER = new CertificateIssuer(Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom());

    private TestPki() {
    }

    static KeyAndChain root(String cn) {
        return ISSUER.createRoot(cn, KeyType.EC256, Duration.ofDays(3650));
    }

    static KeyAndChain client(KeyAndChain ca, String cn) {
        return ISSUER.createClient(ca, cn, KeyType.EC256, Duration.ofDays(365));
    }

    /**
     * A hand-made certificate: issued by {@code issuer} (or self-signed when empty), with the given
     * signature algorithm, validity, CA flag and client-auth EKU on or off.
     */
    static KeyAndChain custom(java.util.Optional<KeyAndChain> issuer, String cn, String keyAlg, String sigAlg,
                              Instant notBefore, Instant notAfter, boolean ca, boolean clientAuth) throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance(keyAlg);
        g.initialize(keyAlg.equals("RSA") ? 2048 : 256);
        KeyPair kp = g.generateKeyPair();
        X500Name subject = new X500Name("CN=" + cn);
        X500Name issuerName = issuer.map(i -> X500Name.getInstance(i.certificate().getSubjectX500Principal().getEncoded())).orElse(subject);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(new SecureRandom().nextInt(1, Integer.MAX_VALUE)),
                Date.from(notBefore), Date.from(notAfter), subject, kp.getPublic());
        if (ca) {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        }
        if (clientAuth) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        }
        java.security.PrivateKey signer = issuer.map(KeyAndChain::key).orElse(kp.getPrivate());
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(sigAlg).build(signer)));
        List<X509Certificate> chain = new java.util.ArrayList<>(List.of(cert));
        issuer.ifPresent(i -> chain.addAll(i.chain()));
        return new KeyAndChain(kp.getPrivate(), chain);
    }

    /** A self-signed certificate with exactly the given subject (shapes CertificateIssuer never makes). */
    static X509Certificate withSubject(X500Name subject) throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair kp = g.generateKeyPair();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, BigInteger.ONE,
                Date.from(NOW.minusSeconds(60)), Date.from(NOW.plusSeconds(3600)), subject, kp.getPublic());
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
    }
}
