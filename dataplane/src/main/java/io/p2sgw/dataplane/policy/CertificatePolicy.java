package io.p2sgw.dataplane.policy;

import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.TrustedCertificate;
import io.p2sgw.dataplane.spi.RefusalReason;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.ChainValidation;
import io.p2sgw.pki.ChainValidator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one certificate policy for every protocol (DESIGN.md "One certificate policy"): the chain leads to a
 * certificate in {@code vpnClientRootCertificates}, every certificate is within its dates, the leaf has the
 * Client Authentication EKU (azure-p2s.md §2.5), and the leaf's SHA-1 thumbprint is not in
 * {@code vpnClientRevokedCertificates} (§2.4). Stateless; the inputs come from the snapshot in force.
 */
public final class CertificatePolicy {
    private CertificatePolicy() {}

    public static PolicyDecision evaluate(List<X509Certificate> chainLeafFirst, GatewaySnapshot snapshot, Instant now) {
        return evaluate(chainLeafFirst, trustedOf(snapshot), snapshot.revokedThumbprints(), now);
    }

    public static PolicyDecision evaluate(
            List<X509Certificate> chainLeafFirst, Collection<X509Certificate> trusted, Set<String> revoked, Instant now) {
        ChainValidation v = ChainValidator.validate(chainLeafFirst, trusted, now);
        return switch (v) {
            case ChainValidation.Valid ok -> {
                String tp = ok.thumbprint().toLowerCase(Locale.ROOT);
                if (revoked.contains(tp)) {
                    yield new PolicyDecision.Rejected(RefusalReason.REVOKED, tp, ok.commonName(),
                            "client certificate thumbprint " + tp + " is in vpnClientRevokedCertificates");
                }
                yield new PolicyDecision.Accepted(tp, ok.commonName());
            }
            case ChainValidation.Invalid bad -> {
                X509Certificate leaf = chainLeafFirst.getFirst();
                yield new PolicyDecision.Rejected(map(bad.reason()), Certificates.thumbprint(leaf), Certificates.commonName(leaf),
                        bad.detail());
            }
        };
    }

    public static List<X509Certificate> trustedOf(GatewaySnapshot snapshot) {
        return snapshot.trustedCertificates().stream().map(TrustedCertificate::certificate).toList();
    }

    private static RefusalReason map(ChainValidation.Reason reason) {
        return switch (reason) {
            case UNTRUSTED, MALFORMED -> RefusalReason.UNTRUSTED;
            case EXPIRED -> RefusalReason.EXPIRED;
            case NO_CLIENT_AUTH_EKU -> RefusalReason.NO_CLIENT_AUTH_EKU;
        };
    }
}
