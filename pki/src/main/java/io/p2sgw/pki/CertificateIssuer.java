package io.p2sgw.pki;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues root, intermediate, client and server certificates.
 *
 * <ul>
 *   <li>Root: like the docs' PowerShell recipe (azure-p2s.md §5.1): self-signed, RSA 2048 / SHA-256 by
 *       default, basicConstraints CA (critical), keyUsage keyCertSign | cRLSign | digitalSignature.</li>
 *   <li>Intermediate: CA with pathLen 0, same key usage.</li>
 *   <li>Client: EKU Client Authentication (§2.5), keyUsage digitalSignature (+ keyEncipherment for RSA),
 *       SAN DNS = CN like {@code -DnsName P2SChildCert} (or rfc822Name for {@code name@domain}).</li>
 *   <li>Server: EKU serverAuth + IKE intermediate 1.3.6.1.5.5.8.2.2, SAN dNSName for every name and for
 *       every IP (Windows wants a dNSName even for IPs, ikev2.md §2.4/§9.6) plus iPAddress SANs,
 *       CN = the server name (OpenVPN {@code verify-x509-name ... name}, openvpn.md §10.2), no CDP/AIA
 *       so that Windows' revocation check has nothing unreachable to fetch (sstp.md §5.2).</li>
 * </ul>
 * A child certificate's validity is clamped to its issuer's.
 */
public final class CertificateIssuer {
    public static final Duration DEFAULT_ROOT_VALIDITY = Duration.ofDays(3650);
    /** One year, the default of {@code New-SelfSignedCertificate} (azure-p2s.md §5.1). */
    public static final Duration DEFAULT_CLIENT_VALIDITY = Duration.ofDays(365);
    /** Apple accepts TLS server certificates of at most 825 days. */
    public static final Duration DEFAULT_SERVER_VALIDITY = Duration.ofDays(825);
    /** "IP security IKE intermediate" EKU (ikev2.md §2.4). */
    public static final String EKU_IKE_INTERMEDIATE = "1.3.6.1.5.5.8.2.2";
    /** Backdating absorbs small clock differences between gateway and clients. */
    static final Duration BACKDATE = Duration.ofMinutes(5);

    private static final Pattern DNS_NAME = Pattern.compile("[A-Za-z0-9*]([A-Za-z0-9_-]*[A-Za-z0-9])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9])?)*");

    private final Clock clock;
    private final SecureRandom random;

    public CertificateIssuer(Clock clock, SecureRandom random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    public static CertificateIssuer withSystemClock() {
        return new CertificateIssuer(Clock.systemUTC(), new SecureRandom());
    }

    public KeyAndChain createRoot(String commonName, KeyType keyType, Duration validity) {
        KeyPair kp = keyType.generate(random);
        X500Name subject = cn(commonName);
        Instant from = clock.instant().minus(BACKDATE);
        Instant to = clock.instant().plus(validity);
        X509v3CertificateBuilder b = builder(subject, subject, kp.getPublic(), from, to);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
        } catch (CertIOException | java.security.NoSuchAlgorithmException e) {
            throw new PkiException("cannot build the root certificate: " + e.getMessage(), e);
        }
        return new KeyAndChain(kp.getPrivate(), List.of(sign(b, kp.getPrivate())));
    }

    public KeyAndChain createIntermediate(KeyAndChain issuer, String commonName, KeyType keyType, Duration validity) {
        return issue(issuer, commonName, keyType, validity, Profile.INTERMEDIATE, List.of(), List.of());
    }

    public KeyAndChain createClient(KeyAndChain issuer, String commonName, KeyType keyType, Duration validity) {
        return issue(issuer, commonName, keyType, validity, Profile.CLIENT, List.of(), List.of());
    }

    public KeyAndChain createServer(KeyAndChain issuer, String commonName, List<String> dnsNames,
                                    List<String> ipAddresses, KeyType keyType, Duration validity) {
        return issue(issuer, commonName, keyType, validity, Profile.SERVER, dnsNames, ipAddresses);
    }

    /**
     * Checks that a CA can issue: its key matches its certificate, it is a CA (basicConstraints
     * CA:TRUE, keyCertSign when keyUsage is present) and it is valid now.
     *
     * @throws PkiException with a message the CLI prints as is
     */
    public void checkIssuer(KeyAndChain issuer) {
        X509Certificate ca = issuer.certificate();
        String name = "'" + Certificates.commonName(ca) + "'";
        if (!Keys.matches(issuer.key(), ca.getPublicKey())) {
            throw new PkiException("the private key does not match the CA certificate " + name);
        }
        if (ca.getBasicConstraints() < 0) {
            throw new PkiException("the certificate " + name + " is not a CA certificate "
                    + "(it has no basicConstraints CA:TRUE) and cannot issue certificates");
        }
        boolean[] ku = ca.getKeyUsage();
        if (ku != null && (ku.length <= 5 || !ku[5])) {
            throw new PkiException("the CA certificate " + name + " does not allow certificate signing (keyUsage lacks keyCertSign)");
        }
        Date now = Date.from(clock.instant());
        if (now.after(ca.getNotAfter())) {
            throw new PkiException("the CA certificate " + name + " expired on " + ca.getNotAfter().toInstant());
        }
        if (now.before(ca.getNotBefore())) {
            throw new PkiException("the CA certificate " + name + " is not valid before " + ca.getNotBefore().toInstant());
        }
    }

    private enum Profile { INTERMEDIATE, CLIENT, SERVER }

    private KeyAndChain issue(KeyAndChain issuer, String commonName, KeyType keyType, Duration validity,
                              Profile profile, List<String> dnsNames, List<String> ipAddresses) {
        checkIssuer(issuer);
        X509Certificate ca = issuer.certificate();
        KeyPair kp = keyType.generate(random);
        Instant from = clock.instant().minus(BACKDATE);
        Instant to = clock.instant().plus(validity);
        if (to.isAfter(ca.getNotAfter().toInstant())) {
            to = ca.getNotAfter().toInstant();
        }
        X500Name issuerName = X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
        X509v3CertificateBuilder b = builder(issuerName, cn(commonName), kp.getPublic(), from, to);
        boolean rsa = kp.getPublic().getAlgorithm().equals("RSA");
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
            switch (profile) {
                case INTERMEDIATE -> {
                    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
                }
                case CLIENT -> {
                    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | (rsa ? KeyUsage.keyEncipherment : 0)));
                    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
                    clientSan(commonName).ifPresent(san -> addSan(b, List.of(san)));
                }
                case SERVER -> {
                    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | (rsa ? KeyUsage.keyEncipherment : 0)));
                    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                            KeyPurposeId.id_kp_serverAuth,
                            KeyPurposeId.getInstance(new ASN1ObjectIdentifier(EKU_IKE_INTERMEDIATE))}));
                    List<GeneralName> sans = new ArrayList<>();
                    for (String dns : dnsNames) {
                        sans.add(new GeneralName(GeneralName.dNSName, dns));
                    }
                    for (String ip : ipAddresses) {
                        checkIpLiteral(ip);
                        sans.add(new GeneralName(GeneralName.dNSName, ip));
                        sans.add(new GeneralName(GeneralName.iPAddress, ip));
                    }
                    if (!sans.isEmpty()) {
                        addSan(b, sans);
                    }
                }
            }
        } catch (CertIOException | java.security.NoSuchAlgorithmException | CertificateException e) {
            throw new PkiException("cannot build the certificate: " + e.getMessage(), e);
        }
        X509Certificate cert = sign(b, issuer.key());
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(cert);
        chain.addAll(issuer.chain());
        return new KeyAndChain(kp.getPrivate(), chain);
    }

    private static java.util.Optional<GeneralName> clientSan(String commonName) {
        if (commonName.contains("@")) {
            return java.util.Optional.of(new GeneralName(GeneralName.rfc822Name, commonName));
        }
        if (DNS_NAME.matcher(commonName).matches()) {
            return java.util.Optional.of(new GeneralName(GeneralName.dNSName, commonName));
        }
        return java.util.Optional.empty();
    }

    private static void addSan(X509v3CertificateBuilder b, List<GeneralName> names) {
        try {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
        } catch (CertIOException e) {
            throw new PkiException("cannot add subjectAltName: " + e.getMessage(), e);
        }
    }

    private static void checkIpLiteral(String ip) {
        boolean literal = ip.matches("[0-9.]+") || ip.contains(":");
        if (!literal) {
            throw new PkiException("not an IP address literal: " + ip);
        }
        try {
            InetAddress.ofLiteral(ip);
        } catch (IllegalArgumentException e) {
            throw new PkiException("not an IP address literal: " + ip, e);
        }
    }

    private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key, Instant from, Instant to) {
        byte[] serial = new byte[16];
        random.nextBytes(serial);
        serial[0] &= 0x7f; // positive, RFC 5280 §4.1.2.2
        serial[0] |= 0x01; // non-zero and always 16 bytes long
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(1, serial), Date.from(from), Date.from(to), subject, key);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) {
        try {
            ContentSigner cs = new JcaContentSignerBuilder(Keys.signatureAlgorithmFor(signer)).build(signer);
            return new JcaX509CertificateConverter().getCertificate(b.build(cs));
        } catch (OperatorCreationException | CertificateException e) {
            throw new PkiException("cannot sign the certificate: " + e.getMessage(), e);
        }
    }

    private static X500Name cn(String commonName) {
        if (commonName.isBlank()) {
            throw new PkiException("the common name (CN) must not be empty");
        }
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }
}
