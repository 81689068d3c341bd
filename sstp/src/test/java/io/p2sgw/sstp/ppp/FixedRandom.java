package io.p2sgw.sstp.ppp;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The sstp tests' one randomness (PPP engine and SSTP connection), so that every byte they send is known: PPP
 * Identifiers ({@code nextInt(256)}) are 1, Magic-Numbers are 0x0A0B0C0D, then 0x0A0B0C0E..., and nonce bytes (the
 * SSTP crypto-binding request's, {@code nextBytes}) are 0x01.
 *
 * <p>It stays in this module's tests: no other module's tests need a fixed random, and the testkit holds only what
 * several modules share.
 */
public final class FixedRandom implements RandomGenerator {
    private int next = 0x0A0B0C0D;

    @Override
    public long nextLong() {
        return next++;
    }

    @Override
    public int nextInt() {
        return next++;
    }

    @Override
    public int nextInt(int bound) {
        return 1;
    }

    @Override
    public void nextBytes(byte[] bytes) {
        Arrays.fill(bytes, (byte) 1);
    }
}
