package io.p2sgw.openvpn.wire;

/**
 * Packet-id replay protection (openvpn.md §4.2, §7.2; packet_id.c): ids start at 1 (0 is invalid), a
 * window of {@link #BACKTRACK} ids below the highest seen is accepted once, and in the long form the
 * time value must never decrease (a newer time resets the window). Not thread-safe.
 */
public final class ReplayWindow {
    /** {@code DEFAULT_SEQ_BACKTRACK}. */
    public static final int BACKTRACK = 64;

    private long highest; // 0 = nothing seen yet
    private long bitmap;  // bit i set = id (highest - i) seen
    private long time = -1;

    /** Checks (id, time) and records it when acceptable. Call only after authentication succeeded. */
    public boolean accept(long id, long packetTime) {
        if (id <= 0) {
            return false;
        }
        if (packetTime >= 0) {
            if (packetTime < time) {
                return false;
            }
            if (packetTime > time) {
                time = packetTime;
                highest = 0;
                bitmap = 0;
            }
        }
        if (id > highest) {
            long shift = id - highest;
            bitmap = shift >= 64 ? 0 : bitmap << shift;
            bitmap |= 1;
            highest = id;
            return true;
        }
        long back = highest - id;
        if (back >= BACKTRACK) {
            return false;
        }
        long bit = 1L << back;
        if ((bitmap & bit) != 0) {
            return false;
        }
        bitmap |= bit;
        return true;
    }

    /** Short-form (data channel) check: no time field. */
    public boolean accept(long id) {
        return accept(id, -1);
    }
}
