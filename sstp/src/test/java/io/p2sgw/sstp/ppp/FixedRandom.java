package io.p2sgw.sstp.ppp;

import java.util.random.RandomGenerator;

/** Test randomness: Identifiers start at 1, Magic-Numbers are 0x0A0B0C0D, then 0x0A0B0C0E... */
final class FixedRandom implements RandomGenerator {
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
}
