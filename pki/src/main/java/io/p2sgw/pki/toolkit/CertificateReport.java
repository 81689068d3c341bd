package io.p2sgw.pki.toolkit;

import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.Keys;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A human-readable description of a certificate for {@code pki show}, with notes on what would stop it
 * from working as a P2S root or client certificate (azure-p2s.md §2.3, §2.5). Never prints key material.
 */
public final class CertificateReport {
    static final String EKU_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String EKU_ANY = "2.5.29.37.0";
    private static final Map<String, String> EKU_NAMES = Map.of(
            "1.3.6.1.5.5.7.3.1", "Server Authentication",
            EKU_CLIENT_AUTH, "Client Authentication",
            "1.3.6.1.5.5.8.2.2", "IP security IKE intermediate",
            EKU_ANY, "Any purpose");
    private static final String[] KEY_USAGE_NAMES = {"digitalSignature", "nonRepudiation", "keyEncipherment",
        "dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"};
    private static final Map<Integer, String> SAN_TYPES = Map.of(1, "email", 2, "DNS", 6, "URI", 7, "IP");

    private CertificateReport() {
    }

    /** The description, one "Label: value" per line, followed by notes if any. */
    public static String describe(X509Certificate c, Instant now) {
        StringBuilder sb = new StringBuilder();
        line(sb, "Subject", c.getSubjectX500Principal().getName());
        line(sb, "Issuer", c.getIssuerX500Principal().getName() + (Certificates.isSelfSigned(c) ? " (self-signed)" : ""));
        line(sb, "Serial number", c.getSerialNumber().toString(16));
        line(sb, "Valid from", c.getNotBefore().toInstant().toString());
        line(sb, "Valid until", c.getNotAfter().toInstant() + " (" + validity(c, now) + ")");
        line(sb, "Public key", Keys.describe(c.getPublicKey()));
        line(sb, "Signature", c.getSigAlgName());
        int pathLen = c.getBasicConstraints();
        line(sb, "CA", pathLen < 0 ? "no" : "yes" + (pathLen == Integer.MAX_VALUE ? "" : " (path length " + pathLen + ")"));
        keyUsage(c).ifPresent(ku -> line(sb, "Key usage", ku));
        List<String> eku = extendedKeyUsage(c);
        if (!eku.isEmpty()) {
            line(sb, "Extended key usage", eku.stream().map(o -> EKU_NAMES.getOrDefault(o, o) + " (" + o + ")")
                    .collect(Collectors.joining(", ")));
        }
        String san = subjectAltNames(c);
        if (!san.isEmpty()) {
            line(sb, "Subject alt names", san);
        }
        line(sb, "Thumbprint (SHA-1)", Certificates.thumbprint(c));
        line(sb, "SHA-256 fingerprint", sha256(c));
        for (String note : notes(c, now)) {
            sb.append("Note: ").append(note).append('\n');
        }
        return sb.toString();
    }

    /** What would keep the certificate from working as a P2S root or client certificate. */
    static List<String> notes(X509Certificate c, Instant now) {
        List<String> notes = new ArrayList<>();
        String v = validity(c, now);
        if (!v.equals("valid")) {
            notes.add("the certificate is " + v + "; the gateway refuses chains with such a certificate");
        }
        if (c.getSigAlgName().toUpperCase(java.util.Locale.ROOT).startsWith("SHA1")) {
            notes.add("signed with SHA-1 (legacy makecert recipe); accepted by p2sgw, but prefer SHA-256");
        }
        List<String> eku = extendedKeyUsage(c);
        if (c.getBasicConstraints() < 0 && !Certificates.isSelfSigned(c)
                && !eku.contains(EKU_CLIENT_AUTH) && !eku.contains(EKU_ANY)) {
            notes.add("no Client Authentication extended key usage: it cannot be used as a P2S client certificate");
        }
        if (c.getBasicConstraints() < 0 && Certificates.isSelfSigned(c)) {
            notes.add("self-signed but not a CA certificate (no basicConstraints CA:TRUE): "
                    + "'p2sgw pki client create' refuses to issue from it");
        }
        return notes;
    }

    static String validity(X509Certificate c, Instant now) {
        if (now.isAfter(c.getNotAfter().toInstant())) {
            return "expired";
        }
        if (now.isBefore(c.getNotBefore().toInstant())) {
            return "not yet valid";
        }
        return "valid";
    }

    private static Optional<String> keyUsage(X509Certificate c) {
        boolean[] ku = c.getKeyUsage();
        if (ku == null) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < ku.length && i < KEY_USAGE_NAMES.length; i++) {
            if (ku[i]) {
                names.add(KEY_USAGE_NAMES[i]);
            }
        }
        return Optional.of(String.join(", ", names));
    }

    private static List<String> extendedKeyUsage(X509Certificate c) {
        try {
            return Optional.ofNullable(c.getExtendedKeyUsage()).orElse(List.of());
        } catch (CertificateParsingException e) {
            return List.of("unparsable");
        }
    }

    private static String subjectAltNames(X509Certificate c) {
        try {
            Collection<List<?>> names = Optional.ofNullable(c.getSubjectAlternativeNames()).orElse(List.of());
            return names.stream()
                    .map(n -> SAN_TYPES.getOrDefault((Integer) n.get(0), "type" + n.get(0)) + ":" + n.get(1))
                    .collect(Collectors.joining(", "));
        } catch (CertificateParsingException e) {
            return "unparsable";
        }
    }

    private static String sha256(X509Certificate c) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Certificates.der(c)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a mandatory JCA algorithm", e);
        }
    }

    private static void line(StringBuilder sb, String label, String value) {
        sb.append(String.format(java.util.Locale.ROOT, "%-20s %s\n", label + ":", value));
    }
}
