package io.p2sgw.pki.toolkit;

import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.InvalidCertificateDataException;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.Pem;
import io.p2sgw.pki.Pkcs12;
import io.p2sgw.pki.PkiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads certificate and key files in the forms users have (azure-p2s.md §5): PEM (64-column or one-line
 * body, possibly several blocks), bare Base-64 ({@code .cer} as Windows exports it), DER, and PKCS#12
 * ({@code .pfx}/{@code .p12}). Every error names the file.
 */
public final class CertificateFiles {
    private CertificateFiles() {
    }

    /** True when the file name says PKCS#12. */
    public static boolean isPkcs12(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".pfx") || n.endsWith(".p12");
    }

    /**
     * The certificates of a file in file order (a .pfx: leaf first, then its chain). A .pfx needs its
     * password; other files ignore it.
     */
    public static List<X509Certificate> readCertificates(Path file, Optional<char[]> pfxPassword) {
        if (isPkcs12(file)) {
            char[] pw = pfxPassword.orElseThrow(() -> new PkiException(file + " is a .pfx file: its password is needed"));
            return readPkcs12(file, pw).chain();
        }
        byte[] bytes = readBounded(file, Certificates.MAX_CERTIFICATE_FILE_BYTES);
        try {
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (bytes.length > 0 && bytes[0] != 0x30 && text.contains("-----BEGIN")) {
                List<X509Certificate> certs = Pem.readCertificates(text);
                if (certs.isEmpty()) {
                    throw new InvalidCertificateDataException("it has no -----BEGIN CERTIFICATE----- block"
                            + (text.contains("PRIVATE KEY") ? " (it is a private key file)" : ""));
                }
                return certs;
            }
            return List.of(Certificates.parseAny(bytes));
        } catch (PkiException e) {
            throw new InvalidCertificateDataException(file + " is not a valid certificate file: " + e.getMessage(), e);
        }
    }

    /** The first certificate of a file (the leaf of a chain or .pfx). */
    public static X509Certificate readCertificate(Path file, Optional<char[]> pfxPassword) {
        return readCertificates(file, pfxPassword).getFirst();
    }

    public static KeyAndChain readPkcs12(Path file, char[] password) {
        try {
            return Pkcs12.read(readBounded(file, Pkcs12.MAX_PFX_BYTES), password);
        } catch (PkiException e) {
            throw new PkiException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A client's key and certificate chain from a {@code .pfx}/{@code .p12} (password, empty if none) or from PEM:
     * the certificate file (leaf first, then its issuers) plus a key file, or one PEM file holding both, as
     * {@code openssl pkcs12 -nodes} writes it. Fails when the key does not belong to the certificate.
     */
    public static KeyAndChain readKeyAndChain(Path certificateFile, Optional<Path> keyFile, Optional<char[]> password) {
        if (isPkcs12(certificateFile)) {
            if (keyFile.isPresent()) {
                throw new PkiException(certificateFile + " is a .pfx file, which holds the key itself: give no separate key file");
            }
            return readPkcs12(certificateFile, password.orElse(new char[0]));
        }
        List<X509Certificate> chain = readCertificates(certificateFile, Optional.empty());
        Path keyPath = keyFile.orElse(certificateFile);
        PrivateKey key;
        try {
            key = readPrivateKey(keyPath, password);
        } catch (PkiException e) {
            if (keyFile.isEmpty() && e.getMessage().contains("no private key found")) {
                throw new PkiException(certificateFile + " holds no private key: give the key file too "
                        + "(e.g. the NAME.key.pem that 'p2sgw pki client create' wrote)", e);
            }
            throw e;
        }
        if (!io.p2sgw.pki.Keys.matches(key, chain.getFirst().getPublicKey())) {
            throw new PkiException("the private key in " + keyPath + " does not match the certificate '"
                    + Certificates.commonName(chain.getFirst()) + "' in " + certificateFile);
        }
        return new KeyAndChain(key, chain);
    }

    /** A PEM private key; an encrypted one needs its password. */
    public static PrivateKey readPrivateKey(Path file, Optional<char[]> password) {
        byte[] bytes = readBounded(file, Pem.MAX_PEM_CHARS);
        try {
            return Pem.readPrivateKey(new String(bytes, StandardCharsets.UTF_8), password);
        } catch (PkiException e) {
            throw new PkiException(file + ": " + e.getMessage(), e);
        }
    }

    static byte[] readBounded(Path file, int maxBytes) {
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new PkiException(file + " is " + size + " bytes, more than the limit of " + maxBytes);
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new PkiException(file + " does not exist", e);
        } catch (IOException e) {
            throw new PkiException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
