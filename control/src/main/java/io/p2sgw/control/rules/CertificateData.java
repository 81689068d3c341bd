package io.p2sgw.control.rules;

import io.p2sgw.pki.Certificates;
import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code publicCertData}: the Base-64 encoding of one DER X.509 certificate on one continuous line,
 * without PEM armour (azure-p2s.md §2.3, §8.1). Anything else — line breaks, spaces, PEM headers,
 * trailing bytes after the certificate, garbage — is rejected.
 */
public final class CertificateData {
    /** Longest publicCertData we accept: 16 KiB of Base-64 (~12 KiB DER) is far above real roots. */
    public static final int MAX_LENGTH = 16 * 1024;
    private static final Pattern ONE_LINE_BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");

    private CertificateData() {}

    /** What is wrong with {@code data}, in words a user can act on; empty when it is a valid publicCertData. */
    public static Optional<String> problem(String data) {
        if (data == null || data.isEmpty()) {
            return Optional.of("it is empty");
        }
        if (data.length() > MAX_LENGTH) {
            return Optional.of("it is " + data.length() + " characters long; at most " + MAX_LENGTH + " are accepted");
        }
        if (data.contains("-----BEGIN") || data.contains("-----END")) {
            return Optional.of("it contains PEM armour (-----BEGIN/END CERTIFICATE-----); send only the Base-64 between those lines");
        }
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c == '\n' || c == '\r') {
                return Optional.of("it contains a line break at character " + (i + 1) + "; join the lines into one");
            }
            if (Character.isWhitespace(c)) {
                return Optional.of("it contains whitespace at character " + (i + 1));
            }
            if (!(Character.isLetterOrDigit(c) && c < 128) && c != '+' && c != '/' && c != '=') {
                return Optional.of("character " + (i + 1) + " ('" + c + "') is not Base-64");
            }
        }
        if (parse(data).isPresent()) {
            return Optional.empty();
        }
        if (data.length() % 4 != 0 || !ONE_LINE_BASE64.matcher(data).matches()) {
            return Optional.of("it is not complete Base-64 (length " + data.length() + " is not a multiple of 4, or '=' is misplaced)");
        }
        return Optional.of("it is Base-64 but does not decode to exactly one DER X.509 certificate");
    }

    public static Optional<X509Certificate> parse(String data) {
        if (data == null || data.isEmpty() || data.length() > MAX_LENGTH || data.length() % 4 != 0
                || !ONE_LINE_BASE64.matcher(data).matches()) {
            return Optional.empty();
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            X509Certificate cert = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der));
            // The factory tolerates trailing bytes; one certificate means the encoding is exactly the input.
            if (!Arrays.equals(cert.getEncoded(), der)) {
                return Optional.empty();
            }
            return Optional.of(cert);
        } catch (CertificateException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** SHA-1 of the DER, 40 lower-case hex digits: Azure's thumbprint (azure-p2s.md §2.4). */
    public static String thumbprint(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(cert.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Base-64 DER on one line, the form {@code publicCertData} takes. */
    public static String encode(X509Certificate cert) {
        try {
            return Base64.getEncoder().encodeToString(cert.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Normalises a revoked-certificate thumbprint as tools print it: Windows' dialog (spaces, invisible marks),
     * {@code openssl x509 -fingerprint -sha1} ({@code SHA1 Fingerprint=} and colons), any case; stored as 40
     * lower-case hex digits (azure-p2s.md §2.4; issue 16). Empty when the result is not 40 hex digits.
     */
    public static Optional<String> normaliseThumbprint(String thumbprint) {
        return thumbprint == null ? Optional.empty() : Certificates.normalizeThumbprint(thumbprint);
    }
}
