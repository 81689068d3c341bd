package io.p2sgw.api.packages;

import io.p2sgw.control.store.Database;
import io.p2sgw.control.store.PackageLinkRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Generated client packages, each behind an unguessable download token that works without the bearer
 * token until it expires — the way Azure's SAS URL does (azure-p2s.md §3.1). Kept in the store (issue 17): a link
 * issued through one instance downloads through any other, and survives a restart. Only the token's SHA-256 is
 * stored: reading the store does not give working links.
 */
public final class PackageDownloads {
    /** 32 random bytes: as unguessable as the API tokens. */
    private static final int TOKEN_BYTES = 32;
    /** A package is a few KiB; this bounds the store if someone generates in a loop. */
    public static final int MAX_PACKAGES = 256;
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);

    public record Download(String fileName, byte[] zip, Instant expires) {}

    private final PackageLinkRepository store;
    private final Clock clock;
    private final Duration ttl;
    private final SecureRandom random;

    public PackageDownloads(Clock clock, Duration ttl, SecureRandom random, Database db) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("package TTL must be positive");
        }
        this.clock = clock;
        this.ttl = ttl;
        this.random = random;
        this.store = new PackageLinkRepository(db);
    }

    public Duration ttl() {
        return ttl;
    }

    /** Stores a package and returns its download token. */
    public String add(String fileName, byte[] zip) {
        byte[] b = new byte[TOKEN_BYTES];
        random.nextBytes(b);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        Instant now = clock.instant();
        store.insert(hash(token), fileName, zip, now, now.plus(ttl), MAX_PACKAGES);
        return token;
    }

    /** The package for a token that exists and has not expired. */
    public Optional<Download> get(String token) {
        if (token == null || token.isEmpty() || token.length() > 2 * TOKEN_BYTES) {
            return Optional.empty(); // not one of ours: not even hashed
        }
        return store.get(hash(token), clock.instant()).map(p -> new Download(p.fileName(), p.zip(), p.expiresAt()));
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
