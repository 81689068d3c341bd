package io.p2sgw.pki;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Certificate encodings the gateway and its users exchange: {@code publicCertData} (azure-p2s.md
 * §2.3), SHA-1 thumbprints (§2.4), PEM, DER.
 */
public final class Certificates {
    /**
     * Upper bound on a {@code publicCertData} value. Real roots are 1–3 KB of Base-64; 64 KiB leaves
     * room for huge certificates while bounding the work done on hostile input.
     */
    public static final int MAX_PUBLIC_CERT_DATA_CHARS = 64 * 1024;
    /** Upper bound for any certificate file we read (PEM bundle, DER). */
    public static final int MAX_CERTIFICATE_FILE_BYTES = 1024 * 1024;
    /** A SHA-1 thumbprint is 20 bytes = 40 hex digits (azure-p2s.md §2.4). */
    public static final int THUMBPRINT_HEX_LENGTH = 40;

    private static final byte DER_SEQUENCE = 0x30;
    private static final Pattern HEX40 = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    /** Longest pasted thumbprint looked at: a SHA-256 fingerprint with prefix and colons is about 120 characters. */
    private static final int MAX_PASTED_THUMBPRINT_CHARS = 200;

    private Certificates() {
    }

    /**
     * Parses {@code publicCertData}: the Base-64 of the DER certificate as one continuous line, no
     * line breaks, no spaces, no {@code -----BEGIN CERTIFICATE-----} lines (azure-p2s.md §2.3; the
     * troubleshooting article's "invalid character such as a space or line break").
     *
     * @throws InvalidCertificateDataException with a message naming what is wrong
     */
    public static X509Certificate parsePublicCertData(String data) {
        if (data.isEmpty()) {
            throw new InvalidCertificateDataException("publicCertData is empty");
        }
        if (data.length() > MAX_PUBLIC_CERT_DATA_CHARS) {
            throw new InvalidCertificateDataException("publicCertData is " + data.length()
                    + " characters, more than the limit of " + MAX_PUBLIC_CERT_DATA_CHARS);
        }
        if (data.contains("-----BEGIN") || data.contains("-----END")) {
            throw new InvalidCertificateDataException("publicCertData must not contain the "
                    + "-----BEGIN CERTIFICATE-----/-----END CERTIFICATE----- lines: "
                    + "send only the Base-64 text between them, as one line");
        }
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c == '\r' || c == '\n') {
                throw new InvalidCertificateDataException("publicCertData contains a line break at position " + i
                        + ": it must be the Base-64 DER certificate as one continuous line");
            }
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                throw new InvalidCertificateDataException("publicCertData contains a space at position " + i
                        + ": it must be the Base-64 DER certificate as one continuous line");
            }
            if (!isBase64Char(c)) {
                throw new InvalidCertificateDataException("publicCertData contains the invalid character "
                        + describe(c) + " at position " + i + ": only Base-64 characters (A-Z a-z 0-9 + / =) are allowed");
            }
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw new InvalidCertificateDataException("publicCertData is not valid Base-64: " + e.getMessage(), e);
        }
        return parseDer(der, "publicCertData");
    }

    /** The {@code publicCertData} form of a certificate: Base-64 of its DER, one line. */
    public static String publicCertData(X509Certificate certificate) {
        return Base64.getEncoder().encodeToString(der(certificate));
    }

    /**
     * The SHA-1 thumbprint of the DER certificate, 40 lower-case hex digits: what Windows shows, what
     * {@code openssl x509 -fingerprint -sha1} prints without colons, and what the revocation list takes
     * (azure-p2s.md §2.4).
     */
    public static String thumbprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(der(certificate)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is a mandatory JCA algorithm", e);
        }
    }

    /**
     * Normalises a thumbprint as users paste it: an {@code openssl x509 -fingerprint} prefix such as
     * {@code SHA1 Fingerprint=} is dropped, spaces (Windows' certificate dialog groups digits in pairs), colons
     * ({@code openssl -fingerprint}) and the invisible U+200E/U+200F/U+FEFF marks that the Windows dialog copies
     * along are removed, letters lower-cased. Empty unless exactly 40 hex digits remain (azure-p2s.md §2.4: "all
     * spaces removed", compare case-insensitively).
     */
    public static Optional<String> normalizeThumbprint(String thumbprint) {
        String s = hexDigitsOf(thumbprint);
        return HEX40.matcher(s).matches() ? Optional.of(s) : Optional.empty();
    }

    /**
     * Whether a thumbprint that {@link #normalizeThumbprint} refuses is a SHA-256 fingerprint (64 hex digits once
     * cleaned, or a {@code SHA256 Fingerprint=} prefix): what {@code openssl x509 -fingerprint} prints by default
     * since OpenSSL 3 and what browsers show first, while the revocation list takes SHA-1 (azure-p2s.md §2.4).
     */
    public static boolean looksLikeSha256Fingerprint(String thumbprint) {
        return HEX64.matcher(hexDigitsOf(thumbprint)).matches()
                || thumbprint.strip().toLowerCase(Locale.ROOT).startsWith("sha256 fingerprint=");
    }

    /** The thumbprint's characters without the prefix, separators and invisible marks, lower-cased; "" when too long. */
    private static String hexDigitsOf(String thumbprint) {
        if (thumbprint.length() > MAX_PASTED_THUMBPRINT_CHARS) {
            return "";
        }
        String t = thumbprint.strip();
        int eq = t.indexOf('=');
        if (eq > 0 && t.substring(0, eq).toLowerCase(Locale.ROOT).strip().endsWith("fingerprint")) {
            t = t.substring(eq + 1);
        }
        StringBuilder sb = new StringBuilder(THUMBPRINT_HEX_LENGTH);
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || c == ':' || c == '\u200e' || c == '\u200f'
                    || c == '\ufeff') {
                continue;
            }
            sb.append(Character.toLowerCase(c));
        }
        return sb.toString();
    }

    /** PEM with 64-character lines, as {@code openssl x509} writes it. */
    public static String toPem(X509Certificate certificate) {
        return Pem.armor("CERTIFICATE", der(certificate));
    }

    /** PEM whose body is the single line {@link #publicCertData} — the {@code .cer} the docs upload. */
    public static String toOneLinePem(X509Certificate certificate) {
        return "-----BEGIN CERTIFICATE-----\n" + publicCertData(certificate) + "\n-----END CERTIFICATE-----\n";
    }

    /** The certificate's DER encoding. */
    public static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new InvalidCertificateDataException("certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    /**
     * Reads one certificate in any form users have: PEM (the first CERTIFICATE block; 64-column or
     * one-line body), bare Base-64 (with or without line breaks) or DER.
     */
    public static X509Certificate parseAny(String text) {
        if (text.length() > MAX_CERTIFICATE_FILE_BYTES) {
            throw new InvalidCertificateDataException("certificate text is larger than " + MAX_CERTIFICATE_FILE_BYTES + " bytes");
        }
        if (text.contains("-----BEGIN")) {
            List<X509Certificate> certs = Pem.readCertificates(text);
            if (certs.isEmpty()) {
                throw new InvalidCertificateDataException("no -----BEGIN CERTIFICATE----- block found");
            }
            return certs.getFirst();
        }
        String compact = text.replaceAll("[\\s\\u200e\\ufeff]", "");
        if (compact.isEmpty()) {
            throw new InvalidCertificateDataException("certificate data is empty");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            throw new InvalidCertificateDataException("certificate is neither PEM nor valid Base-64: " + e.getMessage(), e);
        }
        return parseDer(der, "certificate");
    }

    /** {@link #parseAny(String)} for file contents: DER if it starts like DER, text otherwise. */
    public static X509Certificate parseAny(byte[] bytes) {
        if (bytes.length > MAX_CERTIFICATE_FILE_BYTES) {
            throw new InvalidCertificateDataException("certificate file is larger than " + MAX_CERTIFICATE_FILE_BYTES + " bytes");
        }
        if (bytes.length > 0 && bytes[0] == DER_SEQUENCE) {
            return parseDer(bytes, "certificate");
        }
        return parseAny(new String(bytes, StandardCharsets.UTF_8));
    }

    /** Parses exactly one DER certificate; trailing bytes or anything else is rejected. */
    public static X509Certificate parseDer(byte[] der, String what) {
        if (der.length == 0 || der[0] != DER_SEQUENCE) {
            throw new InvalidCertificateDataException(what + " does not decode to a DER X.509 certificate "
                    + "(a DER certificate starts with a SEQUENCE, byte 0x30)");
        }
        X509Certificate cert;
        try {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw new InvalidCertificateDataException(what + " is not a valid X.509 certificate: " + e.getMessage(), e);
        }
        if (!Arrays.equals(der(cert), der)) {
            throw new InvalidCertificateDataException(what + " has " + (der.length - der(cert).length)
                    + " unexpected bytes after the certificate");
        }
        return cert;
    }

    /**
     * The subject's first common name (what session health shows as {@code vpnUserName},
     * azure-p2s.md §2.5, and what OpenVPN's {@code verify-x509-name ... name} compares). It is read from
     * the DER attributes, never from the string form, where RFC 4514 §2.4 escapes commas and plus signs
     * ({@code CN=Doe\, John}); a multi-valued RDN (§2.2, {@code C=NL+CN=Alice}) is searched for its CN.
     * A certificate without a CN yields its whole subject in RFC 2253 form, so callers always get a
     * printable name. This is the one CN parser of the project: protocol and data-plane log lines use it too.
     */
    public static String commonName(X509Certificate certificate) {
        X500Name name = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        for (RDN rdn : name.getRDNs(BCStyle.CN)) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                if (BCStyle.CN.equals(atv.getType())) {
                    ASN1Encodable value = atv.getValue();
                    return value instanceof ASN1String s ? s.getString() : IETFUtils.valueToString(value);
                }
            }
        }
        return certificate.getSubjectX500Principal().getName();
    }

    /** True when subject and issuer are equal and the certificate verifies with its own key. */
    public static boolean isSelfSigned(X509Certificate certificate) {
        if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(certificate.getPublicKey());
            return true;
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean isBase64Char(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format(Locale.ROOT, "U+%04X", (int) c);
    }
}
