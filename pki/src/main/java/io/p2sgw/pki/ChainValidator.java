package io.p2sgw.pki;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * The one certificate policy for client certificates of all protocols (DESIGN.md "One certificate
 * policy"), minus revocation, which the data plane checks by thumbprint.
 *
 * <p>Rules:
 * <ul>
 *   <li>The chain is trusted if it leads, by signature, to any certificate of the trusted set. Roots
 *       <em>and</em> uploaded intermediates act as anchors (azure-p2s.md §2.3: intermediates are
 *       uploaded to the gateway, OpenVPN Connect 3 no longer sends them). Intermediates may come from
 *       the presented chain or from the trusted set.</li>
 *   <li>Anchors need no basicConstraints: OpenSSL's default self-signed root is accepted (§5.3).
 *       Intermediates taken from the presented chain must be CAs (RFC 5280 §4.2.1.9).</li>
 *   <li>SHA-1 signatures are accepted: the legacy makecert recipe makes them (§5.2). Signatures are
 *       checked with {@link X509Certificate#verify}, which the JDK's certpath algorithm constraints do
 *       not restrict.</li>
 *   <li>Every certificate on the path, anchor included, must be within its validity dates.</li>
 *   <li>The leaf's EKU must include Client Authentication 1.3.6.1.5.5.7.3.2, or anyExtendedKeyUsage
 *       (§2.5).</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class ChainValidator {
    /** Longest path we build (leaf, intermediates, anchor); real P2S chains have 2 or 3. */
    public static final int MAX_PATH_LENGTH = 8;
    /** Most certificates a client may present; OpenVPN/EAP-TLS chains are short. */
    public static final int MAX_PRESENTED_CERTIFICATES = 16;

    static final String EKU_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    static final String EKU_ANY = "2.5.29.37.0";

    private ChainValidator() {
    }

    public static ChainValidation validate(List<X509Certificate> presentedChainLeafFirst,
                                           Collection<X509Certificate> trusted, Instant now) {
        if (presentedChainLeafFirst.isEmpty()) {
            return new ChainValidation.Invalid(ChainValidation.Reason.MALFORMED, "no client certificate presented");
        }
        if (presentedChainLeafFirst.size() > MAX_PRESENTED_CERTIFICATES) {
            return new ChainValidation.Invalid(ChainValidation.Reason.MALFORMED, "client presented "
                    + presentedChainLeafFirst.size() + " certificates, more than " + MAX_PRESENTED_CERTIFICATES);
        }
        X509Certificate leaf = presentedChainLeafFirst.getFirst();
        String leafName = name(leaf);

        List<String> eku;
        try {
            eku = Optional.ofNullable(leaf.getExtendedKeyUsage()).orElse(List.of());
        } catch (CertificateParsingException e) {
            return new ChainValidation.Invalid(ChainValidation.Reason.MALFORMED,
                    "cannot parse the extended key usage of " + leafName + ": " + e.getMessage());
        }

        List<X509Certificate> intermediates = presentedChainLeafFirst.subList(1, presentedChainLeafFirst.size());
        Search search = new Search(List.copyOf(trusted), intermediates, new Date(now.toEpochMilli()));
        List<X509Certificate> path = new ArrayList<>();
        path.add(leaf);
        search.explore(path);
        if (search.validPath.isEmpty()) {
            if (search.expiredDetail.isPresent()) {
                return new ChainValidation.Invalid(ChainValidation.Reason.EXPIRED, search.expiredDetail.get());
            }
            return new ChainValidation.Invalid(ChainValidation.Reason.UNTRUSTED, leafName
                    + " (issuer " + leaf.getIssuerX500Principal().getName() + ") does not chain to any trusted root or intermediate");
        }
        if (!eku.contains(EKU_CLIENT_AUTH) && !eku.contains(EKU_ANY)) {
            return new ChainValidation.Invalid(ChainValidation.Reason.NO_CLIENT_AUTH_EKU, leafName
                    + " has no Client Authentication extended key usage (" + EKU_CLIENT_AUTH + ")");
        }
        return new ChainValidation.Valid(leaf, Certificates.thumbprint(leaf), Certificates.commonName(leaf));
    }

    /** Depth-first path building; remembers the first fully valid path and the first date failure. */
    private static final class Search {
        private final List<X509Certificate> trusted;
        private final List<X509Certificate> intermediates;
        private final Date now;
        Optional<List<X509Certificate>> validPath = Optional.empty();
        Optional<String> expiredDetail = Optional.empty();

        Search(List<X509Certificate> trusted, List<X509Certificate> intermediates, Date now) {
            this.trusted = trusted;
            this.intermediates = intermediates;
            this.now = now;
        }

        void explore(List<X509Certificate> path) {
            if (validPath.isPresent() || path.size() > MAX_PATH_LENGTH) {
                return;
            }
            X509Certificate current = path.getLast();
            if (trusted.contains(current)) {
                // The presented certificate is itself uploaded (e.g. a self-signed client uploaded as root).
                finish(path);
                return;
            }
            for (X509Certificate candidate : trusted) {
                if (signedBy(current, candidate)) {
                    List<X509Certificate> p = new ArrayList<>(path);
                    p.add(candidate);
                    finish(p);
                    if (validPath.isPresent()) {
                        return;
                    }
                }
            }
            for (X509Certificate candidate : intermediates) {
                if (!path.contains(candidate) && candidate.getBasicConstraints() >= 0 && signedBy(current, candidate)) {
                    List<X509Certificate> p = new ArrayList<>(path);
                    p.add(candidate);
                    explore(p);
                    if (validPath.isPresent()) {
                        return;
                    }
                }
            }
        }

        private void finish(List<X509Certificate> path) {
            for (X509Certificate c : path) {
                try {
                    c.checkValidity(now);
                } catch (CertificateExpiredException e) {
                    expiredDetail = expiredDetail.or(() -> Optional.of(name(c) + " expired on " + c.getNotAfter().toInstant()));
                    return;
                } catch (CertificateNotYetValidException e) {
                    expiredDetail = expiredDetail.or(() -> Optional.of(name(c) + " is not valid before " + c.getNotBefore().toInstant()));
                    return;
                }
            }
            validPath = Optional.of(List.copyOf(path));
        }
    }

    private static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
        if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static String name(X509Certificate c) {
        return "certificate '" + Certificates.commonName(c) + "' (thumbprint " + Certificates.thumbprint(c) + ")";
    }
}
