package io.p2sgw.api.packages;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Generated client packages, each behind an unguessable download token that works without the bearer
 * token until it expires — the way Azure's SAS URL does (azure-p2s.md §3.1). Held in memory; a restart
 * invalidates the links (generating a new one takes a moment).
 */
public final class PackageDownloads {
    /** 32 random bytes: as unguessable as the API tokens. */
    private static final int TOKEN_BYTES = 32;
    /** A package is a few KiB; this bounds memory if someone generates in a loop. */
    public static final int MAX_PACKAGES = 256;
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);

    public record Download(String fileName, byte[] zip, Instant expires) {}

    private final Map<String, Download> byToken = new LinkedHashMap<>();
    private final Clock clock;
    private final Duration ttl;
    private final SecureRandom random;

    public PackageDownloads(Clock clock, Duration ttl, SecureRandom random) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("package TTL must be positive");
        }
        this.clock = clock;
        this.ttl = ttl;
        this.random = random;
    }

    public Duration ttl() {
        return ttl;
    }

    /** Stores a package and returns its download token. */
    public synchronized String add(String fileName, byte[] zip) {
        evictExpired();
        while (byToken.size() >= MAX_PACKAGES) {
            byToken.remove(byToken.keySet().iterator().next());
        }
        byte[] b = new byte[TOKEN_BYTES];
        random.nextBytes(b);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        byToken.put(token, new Download(fileName, zip, clock.instant().plus(ttl)));
        return token;
    }

    /** The package for a token that exists and has not expired. */
    public synchronized Optional<Download> get(String token) {
        evictExpired();
        return Optional.ofNullable(byToken.get(token));
    }

    private void evictExpired() {
        Instant now = clock.instant();
        byToken.values().removeIf(d -> !d.expires().isAfter(now));
    }
}
