package io.p2sgw.testkit.pki;

import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.KeyType;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The one test PKI of the project: a certificate authority made with Bouncy Castle that issues the certificates
 * protocol, data-plane and control tests need, including shapes the product's {@code io.p2sgw.pki.CertificateIssuer}
 * never makes (no Client Authentication EKU, expired, not yet valid). It is independent of {@code CertificateIssuer} on
 * purpose: a bug there must not hide in the tests of the certificate policy.
 *
 * <p>What it makes, and what the policy (DESIGN.md "One certificate policy", azure-p2s.md §4) and the protocols see:
 * <ul>
 *   <li>{@link #ec} / {@link #rsa}: a self-signed root CA (basicConstraints CA, keyCertSign and cRLSign), ECDSA P-256
 *       with SHA-256 or RSA-2048 with SHA-256 (what Azure's P2S guide makes, sstp.md §4.3, ikev2.md §9.6). RSA keys
 *       make longer flights (several EAP fragments); EC keys are quick to make.</li>
 *   <li>{@link #intermediate}: a PKI whose CA is an intermediate under this one (chains of three).</li>
 *   <li>{@link #client}: a client certificate with the Client Authentication EKU (1.3.6.1.5.5.7.3.2).</li>
 *   <li>{@link #server}: a server certificate with the Server Authentication EKU (openvpn.md §10.2 {@code
 *       remote-cert-tls server}) and DNS subjectAltNames if given (ikev2.md §9.6: Windows checks the SAN).</li>
 *   <li>{@link #leaf}: any other leaf (no EKU, the wrong EKU, expired, not yet valid, another key type), for the
 *       refusals the policy must give.</li>
 *   <li>an "other root" (a CA the gateway does not trust) is just another {@code TestPki}.</li>
 *   <li>revoked: the policy revokes by thumbprint, {@link Issued#thumbprint()}.</li>
 * </ul>
 * Leaves are valid from a day ago for a year unless the test says otherwise, so no test fails on clock skew; every
 * certificate gets a serial number unique in the JVM. Thread-safe.
 */
public final class TestPki {
    /** How far back certificates are valid by default (clock skew between a test and a client process). */
    public static final Duration DEFAULT_BACKDATE = Duration.ofDays(1);
    /** How long certificates are valid by default. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis() * 1000);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyType keyType;
    private final Issued ca;

    private TestPki(KeyType keyType, Issued ca) {
        this.keyType = keyType;
        this.ca = ca;
    }

    /** A PKI whose root and leaves have ECDSA P-256 keys (signatures SHA256withECDSA). */
    public static TestPki ec(String rootName) {
        return root(rootName, KeyType.EC256);
    }

    /** A PKI whose root and leaves have RSA-2048 keys (signatures SHA256withRSA), like the Azure guide's certificates. */
    public static TestPki rsa(String rootName) {
        return root(rootName, KeyType.RSA2048);
    }

    /** A PKI with a self-signed root CA named {@code CN=<rootName>} whose keys (and its leaves' keys) are {@code keyType}. */
    public static TestPki root(String rootName, KeyType keyType) {
        KeyPair keys = keyType.generate(RANDOM);
        X500Principal name = new X500Principal("CN=" + rootName);
        Instant now = Instant.now();
        X509Certificate cert = sign(new JcaX509v3CertificateBuilder(name, nextSerial(), Date.from(now.minus(DEFAULT_BACKDATE)),
                Date.from(now.plus(DEFAULT_VALIDITY)), name, keys.getPublic()), true, keys.getPublic(), null, List.of(), keys.getPrivate());
        return new TestPki(keyType, new Issued(keys, List.of(cert)));
    }

    /**
     * A PKI whose CA is an existing one, e.g. the root a gateway under test trusts that the product's
     * {@code CertificateIssuer} made: its leaves (expired, without the Client Authentication EKU, ...) then chain to
     * that root, so the refusal a test sees is the one the leaf's shape earns, not "untrusted". Leaves get
     * {@code keyType} keys.
     */
    public static TestPki under(KeyAndChain ca, KeyType keyType) {
        Objects.requireNonNull(ca, "ca");
        return new TestPki(Objects.requireNonNull(keyType, "keyType"),
                new Issued(new KeyPair(ca.certificate().getPublicKey(), ca.key()), ca.chain()));
    }

    /**
     * A PKI whose CA is a new intermediate CA {@code CN=<name>} signed by this PKI's CA. Its leaves' chains are leaf,
     * intermediate, root; trust this PKI's {@link #ca()} (the root) or the intermediate itself.
     */
    public TestPki intermediate(String name) {
        KeyPair keys = keyType.generate(RANDOM);
        Instant now = Instant.now();
        X509Certificate cert = sign(new JcaX509v3CertificateBuilder(ca.certificate(), nextSerial(),
                Date.from(now.minus(DEFAULT_BACKDATE)), Date.from(now.plus(DEFAULT_VALIDITY)), new X500Principal("CN=" + name),
                keys.getPublic()), true, keys.getPublic(), null, List.of(), ca.privateKey());
        List<X509Certificate> chain = new ArrayList<>(List.of(cert));
        chain.addAll(ca.chain());
        return new TestPki(keyType, new Issued(keys, chain));
    }

    /** The CA that signs this PKI's leaves: the root, or the intermediate for a PKI made by {@link #intermediate}. */
    public Issued ca() {
        return ca;
    }

    /** The CA's certificate: what a gateway snapshot or a trust store holds. */
    public X509Certificate caCertificate() {
        return ca.certificate();
    }

    /** A client certificate {@code CN=<cn>} with the Client Authentication EKU, valid now. */
    public Issued client(String cn) {
        return leaf(cn).issue();
    }

    /** A server certificate {@code CN=<cn>} with the Server Authentication EKU and these DNS subjectAltNames. */
    public Issued server(String cn, String... dnsNames) {
        return leaf(cn).serverAuth().dnsNames(dnsNames).issue();
    }

    /** A leaf to shape before issuing it; by default a client certificate like {@link #client}. */
    public LeafSpec leaf(String cn) {
        return new LeafSpec(cn);
    }

    /** The shape of one leaf certificate: EKU, validity, key, subjectAltNames. Not thread-safe; issue once. */
    public final class LeafSpec {
        private final String cn;
        private KeyPurposeId eku = KeyPurposeId.id_kp_clientAuth;
        private Instant notBefore;
        private Instant notAfter;
        private KeyPair keys;
        private List<String> dnsNames = List.of();

        private LeafSpec(String cn) {
            this.cn = Objects.requireNonNull(cn, "cn");
            Instant now = Instant.now();
            notBefore = now.minus(DEFAULT_BACKDATE);
            notAfter = now.plus(DEFAULT_VALIDITY);
        }

        /** The one extended key usage the certificate carries (client authentication by default). */
        public LeafSpec eku(KeyPurposeId purpose) {
            eku = Objects.requireNonNull(purpose, "purpose");
            return this;
        }

        /** The Server Authentication EKU instead of Client Authentication (a server certificate offered as a client's). */
        public LeafSpec serverAuth() {
            return eku(KeyPurposeId.id_kp_serverAuth);
        }

        /** No extendedKeyUsage extension at all (the policy refuses it: NO_CLIENT_AUTH_EKU). */
        public LeafSpec noEku() {
            eku = null;
            return this;
        }

        /** Valid from {@code from} until {@code until}. */
        public LeafSpec validity(Instant from, Instant until) {
            notBefore = from;
            notAfter = until;
            return this;
        }

        /** Valid from 30 days ago until yesterday. */
        public LeafSpec expired() {
            Instant now = Instant.now();
            return validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
        }

        /** Valid from tomorrow for 30 days. */
        public LeafSpec notYetValid() {
            Instant now = Instant.now();
            return validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(31)));
        }

        /** A new key of this type instead of the PKI's (an RSA client under an EC root, say). */
        public LeafSpec keyType(KeyType type) {
            return keys(type.generate(RANDOM));
        }

        /** This key pair (a test that needs a known key, or one key in two certificates). */
        public LeafSpec keys(KeyPair pair) {
            keys = Objects.requireNonNull(pair, "pair");
            return this;
        }

        /** DNS subjectAltNames. */
        public LeafSpec dnsNames(String... names) {
            dnsNames = List.of(names);
            return this;
        }

        /** Signs the leaf with the PKI's CA. Its chain is the leaf and the CA's chain (up to the root). */
        public Issued issue() {
            KeyPair pair = keys != null ? keys : keyType.generate(RANDOM);
            X509Certificate cert = sign(new JcaX509v3CertificateBuilder(ca.certificate(), nextSerial(), Date.from(notBefore),
                    Date.from(notAfter), new X500Principal("CN=" + cn), pair.getPublic()), false, pair.getPublic(), eku, dnsNames, ca.privateKey());
            List<X509Certificate> chain = new ArrayList<>(List.of(cert));
            chain.addAll(ca.chain());
            return new Issued(pair, chain);
        }
    }

    private static BigInteger nextSerial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    /**
     * Adds the extensions and signs. CA: basicConstraints cA (critical), keyCertSign and cRLSign. Leaf: basicConstraints
     * not-cA (critical), digitalSignature plus keyEncipherment (RSA) or keyAgreement (EC) as TLS and IKE certificates
     * carry (RFC 5280 §4.2.1.3), the EKU if any, the DNS names if any.
     */
    private static X509Certificate sign(JcaX509v3CertificateBuilder b, boolean isCa, PublicKey subjectKey, KeyPurposeId eku,
            List<String> dnsNames, PrivateKey issuerKey) {
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (isCa) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                boolean rsa = subjectKey.getAlgorithm().equals("RSA");
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
                        | (rsa ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement)));
            }
            if (eku != null) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
            }
            if (!dnsNames.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(dnsNames.stream()
                        .map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new)));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder(signatureAlgorithm(issuerKey)).build(issuerKey)));
        } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("test certificate: " + e.getMessage(), e);
        }
    }

    /** SHA-256 with the issuer's key algorithm. */
    private static String signatureAlgorithm(PrivateKey issuerKey) {
        return switch (issuerKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> throw new IllegalArgumentException("no test signature for " + issuerKey.getAlgorithm() + " keys");
        };
    }
}
