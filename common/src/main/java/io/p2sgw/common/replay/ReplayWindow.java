package io.p2sgw.common.replay;

/**
 * A sliding anti-replay window over increasing sequence numbers, sized by the caller: OpenVPN's packet ids use 64
 * (openvpn.md §4.2, {@code DEFAULT_SEQ_BACKTRACK}); ESP wants a wider one (RFC 4303 §3.4.3 suggests at least 64, real
 * implementations use 128 to 1024 because UDP reorders across CPUs). Sequence number 0 is never valid (both
 * protocols start at 1). A number is accepted once when it is above the highest seen or inside the window below it.
 * No allocation after construction. Not thread-safe: one per key, guarded by its owner.
 */
public final class ReplayWindow {
    /** The largest window a caller may ask for (a 512-byte bitmap). */
    public static final int MAX_SIZE = 4096;

    private final int size;
    private final long[] bitmap; // bit (seq % size) set = seq seen, for seq in (highest - size, highest]
    private long highest; // 0 = nothing seen yet

    /** @param size how far below the highest sequence number a late packet is still accepted; a multiple of 64 */
    public ReplayWindow(int size) {
        if (size < 64 || size > MAX_SIZE || size % 64 != 0) {
            throw new IllegalArgumentException("window size must be a multiple of 64 in 64.." + MAX_SIZE + ": " + size);
        }
        this.size = size;
        this.bitmap = new long[size / 64];
    }

    public int size() {
        return size;
    }

    /** The highest sequence number accepted so far (0 before the first). */
    public long highest() {
        return highest;
    }

    /** Whether {@code seq} would be accepted, without recording it (check before authenticating, record after). */
    public boolean check(long seq) {
        if (seq <= 0) {
            return false;
        }
        if (seq > highest) {
            return true;
        }
        if (highest - seq >= size) {
            return false;
        }
        return !isSet(seq);
    }

    /** Checks {@code seq} and records it when acceptable. Call only after the packet authenticated. */
    public boolean accept(long seq) {
        if (!check(seq)) {
            return false;
        }
        if (seq > highest) {
            long shift = seq - highest;
            if (shift >= size) {
                java.util.Arrays.fill(bitmap, 0);
            } else {
                for (long s = highest + 1; s < seq; s++) {
                    clear(s);
                }
            }
            highest = seq;
        }
        set(seq);
        return true;
    }

    /** Forgets everything (a new key or, for OpenVPN, a newer replay time). */
    public void reset() {
        java.util.Arrays.fill(bitmap, 0);
        highest = 0;
    }

    private boolean isSet(long seq) {
        int bit = (int) (seq % size);
        return (bitmap[bit >>> 6] & (1L << (bit & 63))) != 0;
    }

    private void set(long seq) {
        int bit = (int) (seq % size);
        bitmap[bit >>> 6] |= 1L << (bit & 63);
    }

    private void clear(long seq) {
        int bit = (int) (seq % size);
        bitmap[bit >>> 6] &= ~(1L << (bit & 63));
    }
}
