package io.p2sgw.ikev2.engine;

import io.p2sgw.ikev2.crypto.DhGroup;
import io.p2sgw.ikev2.crypto.EncryptionAlgorithm;
import io.p2sgw.ikev2.crypto.IntegrityAlgorithm;
import io.p2sgw.ikev2.crypto.PrfAlgorithm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the responder accepts in IKE_SA_INIT and how it protects itself, each list in our order of preference
 * (ikev2.md §2.4 "Recommended server suites"). A proposal is acceptable when each of its transform types offers one
 * of ours; among acceptable proposals the one with our most preferred cipher wins.
 *
 * @param trustedRootSpkiSha1 SHA-1 of each trusted client root's SubjectPublicKeyInfo, for CERTREQ (ikev2.md §1.11)
 * @param cookieThreshold half-open SAs from which every new IKE_SA_INIT must carry a COOKIE (RFC 7296 §2.6);
 *     strongSwan's default is 30 (ikev2.md §2.2)
 * @param halfOpenTimeout how long a half-open SA waits for its IKE_AUTH (about 30 s, ikev2.md §2.2 step 6)
 * @param cookieSecretLifetime how often the cookie secret rotates; a cookie stays valid for up to two lifetimes
 */
public record IkePolicy(List<EncryptionAlgorithm> encryptions, List<IntegrityAlgorithm> integrities,
        List<PrfAlgorithm> prfs, List<DhGroup> groups, List<byte[]> trustedRootSpkiSha1, boolean fragmentation,
        int cookieThreshold, Duration halfOpenTimeout, Duration cookieSecretLifetime) {

    /** RFC 7427 hash ids we verify and sign with: SHA2-256, -384, -512 (ikev2.md §1.6, §2.2 step 4). */
    public static final byte[] SIGNATURE_HASHES = {0, 2, 0, 3, 0, 4};
    public static final int DEFAULT_COOKIE_THRESHOLD = 30;

    public IkePolicy {
        encryptions = List.copyOf(encryptions);
        integrities = List.copyOf(integrities);
        prfs = List.copyOf(prfs);
        groups = List.copyOf(groups);
        trustedRootSpkiSha1 = trustedRootSpkiSha1.stream().map(byte[]::clone).toList();
        if (encryptions.isEmpty() || prfs.isEmpty() || groups.isEmpty() || cookieThreshold < 0) {
            throw new IllegalArgumentException("empty policy");
        }
        for (byte[] h : trustedRootSpkiSha1) {
            if (h.length != 20) {
                throw new IllegalArgumentException("SPKI hash of " + h.length + " bytes");
            }
        }
    }

    /**
     * Our default: AES-GCM-16 then AES-CBC (256 before 128), SHA-2 before SHA-1, and the groups x25519, ECP-256,
     * ECP-384, MODP-2048, ECP-521, Azure's 24; MODP-1024 (group 2) only with {@code legacyWindows}, because it is the
     * only group an unconfigured Windows client offers (ikev2.md §2.4, pitfall §10.18).
     */
    public static IkePolicy defaults(List<byte[]> trustedRootSpkiSha1, boolean legacyWindows) {
        List<DhGroup> groups = new ArrayList<>(List.of(DhGroup.CURVE25519, DhGroup.ECP_256, DhGroup.ECP_384,
                DhGroup.MODP_2048, DhGroup.ECP_521, DhGroup.MODP_2048_256));
        if (legacyWindows) {
            groups.add(DhGroup.MODP_1024);
        }
        return new IkePolicy(
                List.of(EncryptionAlgorithm.AES_GCM_16_256, EncryptionAlgorithm.AES_GCM_16_128,
                        EncryptionAlgorithm.AES_CBC_256, EncryptionAlgorithm.AES_CBC_128),
                List.of(IntegrityAlgorithm.HMAC_SHA2_256_128, IntegrityAlgorithm.HMAC_SHA2_384_192,
                        IntegrityAlgorithm.HMAC_SHA2_512_256, IntegrityAlgorithm.HMAC_SHA1_96),
                List.of(PrfAlgorithm.HMAC_SHA2_256, PrfAlgorithm.HMAC_SHA2_384, PrfAlgorithm.HMAC_SHA2_512,
                        PrfAlgorithm.HMAC_SHA1),
                groups, trustedRootSpkiSha1, true, DEFAULT_COOKIE_THRESHOLD, Duration.ofSeconds(30),
                Duration.ofMinutes(2));
    }

    public IkePolicy withCookieThreshold(int threshold) {
        return new IkePolicy(encryptions, integrities, prfs, groups, trustedRootSpkiSha1, fragmentation, threshold,
                halfOpenTimeout, cookieSecretLifetime);
    }

    @Override
    public List<byte[]> trustedRootSpkiSha1() {
        return trustedRootSpkiSha1.stream().map(byte[]::clone).toList();
    }
}
