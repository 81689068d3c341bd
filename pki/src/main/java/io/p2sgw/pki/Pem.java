package io.p2sgw.pki;

import java.io.IOException;
import java.io.StringReader;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMDecryptorProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.openssl.PKCS8Generator;

/**
 * PEM text for keys and certificates, in the forms {@code openssl}, strongSwan's {@code pki} and
 * Windows exports write: PKCS#8 ("PRIVATE KEY", "ENCRYPTED PRIVATE KEY") and the traditional
 * "RSA/EC PRIVATE KEY" (also with the legacy Proc-Type encryption header).
 */
public final class Pem {
    /** Upper bound for a PEM text we parse (a key or a certificate bundle). */
    public static final int MAX_PEM_CHARS = 1024 * 1024;
    /** PBKDF2 iterations for keys we encrypt; OpenSSL 3's {@code pkcs8 -v2} default is 2048, we use more. */
    public static final int PBKDF2_ITERATIONS = 100_000;

    /** A provider instance used explicitly, never registered globally (other modules use JSSE). */
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private Pem() {
    }

    /** Unencrypted PKCS#8 "PRIVATE KEY" PEM (what {@code openssl genpkey} writes). */
    public static String privateKeyToPem(PrivateKey key) {
        return armor("PRIVATE KEY", key.getEncoded());
    }

    /**
     * Encrypted PKCS#8 "ENCRYPTED PRIVATE KEY" PEM: PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC,
     * which OpenSSL 3, OpenVPN and strongSwan read.
     */
    public static String privateKeyToPem(PrivateKey key, char[] password) {
        try {
            OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(PBKDF2_ITERATIONS)
                    .setRandom(new SecureRandom())
                    .setProvider(BC)
                    .setPassword(password)
                    .build();
            byte[] der = new PKCS8Generator(PrivateKeyInfo.getInstance(key.getEncoded()), encryptor).generate().getContent();
            return armor("ENCRYPTED PRIVATE KEY", der);
        } catch (OperatorCreationException | org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new PkiException("cannot encrypt the private key: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the first private key in a PEM text. An encrypted key needs the password; a missing or
     * wrong password gives a {@link PkiException} that says so.
     */
    public static PrivateKey readPrivateKey(String pem, Optional<char[]> password) {
        checkSize(pem);
        // Keys come out as JDK (SunRsaSign/SunEC) objects so that JSSE and the KeyStore take them as is.
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                switch (o) {
                    case PrivateKeyInfo info -> {
                        return converter.getPrivateKey(info);
                    }
                    case PEMKeyPair pair -> {
                        return converter.getPrivateKey(pair.getPrivateKeyInfo());
                    }
                    case PKCS8EncryptedPrivateKeyInfo enc -> {
                        char[] pw = password.orElseThrow(() -> new PkiException(
                                "the private key is encrypted: a password is needed"));
                        try {
                            InputDecryptorProvider dec = new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(pw);
                            return converter.getPrivateKey(enc.decryptPrivateKeyInfo(dec));
                        } catch (PKCSException | OperatorCreationException e) {
                            throw new PkiException("wrong password for the encrypted private key (or the key is corrupt)", e);
                        }
                    }
                    case PEMEncryptedKeyPair enc -> {
                        char[] pw = password.orElseThrow(() -> new PkiException(
                                "the private key is encrypted: a password is needed"));
                        try {
                            PEMDecryptorProvider dec = new JcePEMDecryptorProviderBuilder().setProvider(BC).build(pw);
                            return converter.getPrivateKey(enc.decryptKeyPair(dec).getPrivateKeyInfo());
                        } catch (IOException e) {
                            throw new PkiException("wrong password for the encrypted private key (or the key is corrupt)", e);
                        }
                    }
                    default -> {
                        // certificates or parameters in the same file: skip them
                    }
                }
            }
        } catch (PEMException e) {
            throw new PkiException("the private key PEM is not valid: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof PkiException pe) {
                throw pe;
            }
            throw new PkiException("the private key PEM is not valid: " + e.getMessage(), e);
        }
        throw new PkiException("no private key found (expected a -----BEGIN PRIVATE KEY----- or "
                + "-----BEGIN RSA/EC PRIVATE KEY----- block)");
    }

    /** All CERTIFICATE blocks of a PEM text, in file order. Other blocks are skipped. */
    public static List<X509Certificate> readCertificates(String pem) {
        checkSize(pem);
        List<X509Certificate> out = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof X509CertificateHolder h) {
                    out.add(Certificates.parseDer(h.getEncoded(), "PEM certificate"));
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof PkiException pe) {
                throw pe;
            }
            throw new InvalidCertificateDataException("the PEM certificate is not valid: " + e.getMessage(), e);
        }
        return out;
    }

    /** A list of certificates as concatenated PEM blocks. */
    public static String certificatesToPem(List<X509Certificate> certificates) {
        StringBuilder sb = new StringBuilder();
        certificates.forEach(c -> sb.append(Certificates.toPem(c)));
        return sb.toString();
    }

    /** PEM armour with 64-column Base-64 lines and LF line ends. */
    static String armor(String type, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
    }

    private static void checkSize(String pem) {
        if (pem.length() > MAX_PEM_CHARS) {
            throw new PkiException("PEM text is larger than " + MAX_PEM_CHARS + " characters");
        }
    }
}
