package io.p2sgw.pki;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code .pfx}/{@code .p12} files (PKCS#12), the form the docs export client certificates in, "include
 * all certificates in the certification path" (azure-p2s.md §2.5, §5.1).
 *
 * <p>Writing uses the JDK's PKCS#12 key store, whose defaults since JDK 12 are PBES2 (PBKDF2-HMAC-SHA256,
 * AES-256-CBC) for keys and certificates and an HMAC-SHA256 MAC: OpenSSL 3 reads that without
 * {@code -legacy}, Windows 10 1709+ and macOS import it.
 */
public final class Pkcs12 {
    /** Upper bound for a .pfx we read. */
    public static final int MAX_PFX_BYTES = 1024 * 1024;
    /** Friendly name of the key entry when none is given. */
    public static final String DEFAULT_ALIAS = "p2sgw";

    private Pkcs12() {
    }

    public static KeyAndChain read(Path file, char[] password) {
        try {
            long size = Files.size(file);
            if (size > MAX_PFX_BYTES) {
                throw new PkiException(file + " is " + size + " bytes, larger than a .pfx can reasonably be (" + MAX_PFX_BYTES + ")");
            }
            return read(Files.readAllBytes(file), password);
        } catch (IOException e) {
            throw new PkiException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads the first key entry and its chain (leaf first). */
    public static KeyAndChain read(byte[] pfx, char[] password) {
        if (pfx.length > MAX_PFX_BYTES) {
            throw new PkiException("the .pfx is larger than " + MAX_PFX_BYTES + " bytes");
        }
        KeyStore ks;
        try {
            ks = KeyStore.getInstance("PKCS12");
            ks.load(new ByteArrayInputStream(pfx), password);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new PkiException("wrong password for the .pfx file (its integrity check failed)", e);
            }
            throw new PkiException("the .pfx file is not a valid PKCS#12 file: " + e.getMessage(), e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new PkiException("the .pfx file is not a valid PKCS#12 file: " + e.getMessage(), e);
        }
        try {
            for (String alias : Collections.list(ks.aliases())) {
                if (!ks.isKeyEntry(alias)) {
                    continue;
                }
                Key key = ks.getKey(alias, password);
                if (!(key instanceof PrivateKey pk)) {
                    continue;
                }
                Certificate[] chain = ks.getCertificateChain(alias);
                if (chain == null || chain.length == 0) {
                    throw new PkiException("the .pfx holds a private key without its certificate");
                }
                List<X509Certificate> certs = new ArrayList<>();
                for (Certificate c : chain) {
                    certs.add((X509Certificate) c);
                }
                addMissingIssuers(ks, certs);
                return new KeyAndChain(pk, certs);
            }
        } catch (UnrecoverableKeyException e) {
            throw new PkiException("wrong password for the private key in the .pfx file", e);
        } catch (GeneralSecurityException e) {
            throw new PkiException("the .pfx file cannot be read: " + e.getMessage(), e);
        }
        throw new PkiException("the .pfx file holds no private key (export it \"with the private key\")");
    }

    /** Writes a key with its whole chain, protected by the password. */
    public static byte[] write(KeyAndChain keyAndChain, char[] password, String friendlyName) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(friendlyName, keyAndChain.key(), password,
                    keyAndChain.chain().toArray(new X509Certificate[0]));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ks.store(out, password);
            return out.toByteArray();
        } catch (IOException | GeneralSecurityException e) {
            throw new PkiException("cannot write the .pfx file: " + e.getMessage(), e);
        }
    }

    /**
     * The JDK builds the key entry's chain from the certificates in the file; certificates the file
     * holds separately (openssl {@code -certfile}) that extend the chain are appended so that nothing
     * the user exported is lost.
     */
    private static void addMissingIssuers(KeyStore ks, List<X509Certificate> certs) throws GeneralSecurityException {
        List<X509Certificate> others = new ArrayList<>();
        for (String alias : Collections.list(ks.aliases())) {
            if (ks.getCertificate(alias) instanceof X509Certificate x && !certs.contains(x)) {
                others.add(x);
            }
        }
        boolean grew = true;
        while (grew && !Certificates.isSelfSigned(certs.getLast())) {
            grew = false;
            X509Certificate last = certs.getLast();
            for (X509Certificate o : others) {
                if (!certs.contains(o) && o.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
                    try {
                        last.verify(o.getPublicKey());
                        certs.add(o);
                        grew = true;
                        break;
                    } catch (GeneralSecurityException | RuntimeException e) {
                        // not the issuer after all
                    }
                }
            }
        }
    }
}
