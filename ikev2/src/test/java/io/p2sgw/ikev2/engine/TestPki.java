package io.p2sgw.ikev2.engine;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates for the IKE_AUTH tests, shaped like ikev2.md §9.6: a root, a server cert with a SAN, client certs. */
final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(1);

    record Issued(KeyPair keys, X509Certificate cert) {}

    private TestPki() {}

    static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return g.generateKeyPair();
    }

    static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    static Issued root(String cn) throws Exception {
        KeyPair k = rsa(2048);
        return new Issued(k, sign(new X500Name("CN=" + cn), k.getPublic(), new X500Name("CN=" + cn), k.getPrivate(),
                true, null, null));
    }

    static Issued intermediate(String cn, Issued issuer) throws Exception {
        KeyPair k = rsa(2048);
        return new Issued(k, sign(new X500Name("CN=" + cn), k.getPublic(),
                new X500Name(issuer.cert().getSubjectX500Principal().getName()), issuer.keys().getPrivate(), true,
                null, null));
    }

    static Issued leaf(String cn, String dnsSan, KeyPurposeId eku, Issued issuer, KeyPair k) throws Exception {
        return new Issued(k, sign(new X500Name("CN=" + cn), k.getPublic(),
                new X500Name(issuer.cert().getSubjectX500Principal().getName()), issuer.keys().getPrivate(), false,
                dnsSan, eku));
    }

    private static X509Certificate sign(X500Name subject, PublicKey key, X500Name issuer, PrivateKey issuerKey,
            boolean ca, String dnsSan, KeyPurposeId eku) throws Exception {
        long now = System.currentTimeMillis();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
                BigInteger.valueOf(SERIAL.getAndIncrement()), new Date(now - 3_600_000), new Date(now + 86_400_000L),
                subject, key);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        if (dnsSan != null) {
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, dnsSan)));
        }
        if (eku != null) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
    }
}
