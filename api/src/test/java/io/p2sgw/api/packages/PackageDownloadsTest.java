package io.p2sgw.api.packages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import io.p2sgw.control.store.Database;
import io.p2sgw.control.testing.StoreKind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Download links in the store (issue 17): any instance of a store serves a link another one issued. */
class PackageDownloadsTest {
    @TempDir
    Path dir;

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-24T12:00:00Z");

        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    @Test
    void aLinkWorksUntilItExpiresAndNotAfter() {
        ManualClock clock = new ManualClock();
        PackageDownloads d = new PackageDownloads(clock, Duration.ofMinutes(60), new SecureRandom(),
                Database.open(Database.sqliteUrl(dir)));
        String token = d.add("VNet1GW.zip", new byte[] {1, 2, 3});
        assertTrue(token.length() >= 43, "256-bit token: " + token);
        assertArrayEquals(new byte[] {1, 2, 3}, d.get(token).orElseThrow().zip());
        clock.now = clock.now.plus(Duration.ofMinutes(59));
        assertEquals("VNet1GW.zip", d.get(token).orElseThrow().fileName());
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertTrue(d.get(token).isEmpty(), "expired at exactly the TTL");
        assertTrue(d.get("not-a-token").isEmpty());
    }

    @Test
    void tokensDifferAndMemoryIsBounded() {
        PackageDownloads d = new PackageDownloads(new ManualClock(), Duration.ofMinutes(5), new SecureRandom(),
                Database.open(Database.sqliteUrl(dir)));
        String first = d.add("a.zip", new byte[0]);
        String second = d.add("a.zip", new byte[0]);
        assertNotEquals(first, second);
        String last = second;
        for (int i = 0; i < PackageDownloads.MAX_PACKAGES - 1; i++) {
            last = d.add("x.zip", new byte[0]);
        }
        assertTrue(d.get(first).isEmpty(), "the oldest link is dropped beyond MAX_PACKAGES");
        assertTrue(d.get(second).isPresent(), "the MAX_PACKAGES newest are kept");
        assertTrue(d.get(last).isPresent());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aLinkIssuedByOneInstanceDownloadsThroughAnotherAndTheStoreHoldsNoToken(StoreKind kind) {
        String url = kind.newUrl(dir);
        ManualClock clock = new ManualClock();
        PackageDownloads a = new PackageDownloads(clock, Duration.ofMinutes(60), new SecureRandom(), Database.open(url));
        PackageDownloads b = new PackageDownloads(clock, Duration.ofMinutes(60), new SecureRandom(), Database.open(url));
        byte[] zip = {0x50, 0x4b, 3, 4};
        String token = a.add("VNet1GW.zip", zip);
        assertArrayEquals(zip, b.get(token).orElseThrow().zip());
        assertEquals("VNet1GW.zip", b.get(token).orElseThrow().fileName());
        String stored = Database.open(url).inTransaction(c -> {
            try (var s = c.prepareStatement("SELECT token_hash FROM package_links"); var r = s.executeQuery()) {
                r.next();
                return r.getString(1);
            }
        });
        assertNotEquals(token, stored, "only the token's hash is stored");
    }
}
