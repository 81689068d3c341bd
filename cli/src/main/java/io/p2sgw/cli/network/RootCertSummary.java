package io.p2sgw.cli.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.pki.Certificates;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code root-cert list -o table} shows of each root besides its name: the SHA-1 thumbprint, the expiry date
 * (UTC) and a warning when the certificate is not a CA or has expired. The gateway accepts such a root, as Azure
 * does (azure-p2s.md §2.3), but no client certificate can chain to it for long (issue 16). Computed from
 * {@code publicCertData} here; the JSON output keeps ARM's shape.
 */
final class RootCertSummary {
    static final String FIELD = "p2sgwSummary";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private RootCertSummary() {}

    /** Copies of {@code roots} with a {@value #FIELD} object (thumbprint, expires, warning) added to each. */
    static ArrayNode addTo(JsonNode roots, Instant now) {
        ArrayNode out = roots.deepCopy();
        for (JsonNode root : out) {
            if (root instanceof ObjectNode o) {
                ObjectNode s = o.putObject(FIELD);
                try {
                    X509Certificate c = Certificates.parsePublicCertData(root.path("properties").path("publicCertData").asText());
                    s.put("thumbprint", Certificates.thumbprint(c));
                    s.put("expires", DATE.format(c.getNotAfter().toInstant()));
                    s.put("warning", String.join("; ", warnings(c, now)));
                } catch (RuntimeException e) {
                    s.put("warning", "unreadable certificate data");
                }
            }
        }
        return out;
    }

    /** The warnings for {@code publicCertData}; none when it cannot be parsed here (the API explains that). */
    static List<String> warnings(String publicCertData, Instant now) {
        try {
            return warnings(Certificates.parsePublicCertData(publicCertData), now);
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    static List<String> warnings(X509Certificate c, Instant now) {
        List<String> w = new ArrayList<>();
        if (c.getBasicConstraints() < 0) {
            w.add("not a CA certificate");
        }
        if (c.getNotAfter().toInstant().isBefore(now)) {
            w.add("expired");
        } else if (c.getNotBefore().toInstant().isAfter(now)) {
            w.add("not yet valid");
        }
        return w;
    }
}
