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
import org.junit.jupiter.api.Test;

class PackageDownloadsTest {
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
        PackageDownloads d = new PackageDownloads(clock, Duration.ofMinutes(60), new SecureRandom());
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
        PackageDownloads d = new PackageDownloads(new ManualClock(), Duration.ofMinutes(5), new SecureRandom());
        String first = d.add("a.zip", new byte[0]);
        String second = d.add("a.zip", new byte[0]);
        assertNotEquals(first, second);
        for (int i = 0; i < PackageDownloads.MAX_PACKAGES; i++) {
            d.add("x.zip", new byte[0]);
        }
        assertTrue(d.get(first).isEmpty(), "the oldest link is dropped beyond MAX_PACKAGES");
    }
}
