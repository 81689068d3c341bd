package io.p2sgw.openvpn.wire;

import io.p2sgw.common.replay.ReplayWindow;

/**
 * Packet-id replay protection (openvpn.md §4.2, §7.2; packet_id.c): ids start at 1 (0 is invalid), a
 * window of {@link #BACKTRACK} ids below the highest seen is accepted once (the core's {@link ReplayWindow}), and in
 * the long form the time value must never decrease (a newer time resets the window). Not thread-safe.
 */
public final class PacketIdWindow {
    /** {@code DEFAULT_SEQ_BACKTRACK}. */
    public static final int BACKTRACK = 64;

    private final ReplayWindow window = new ReplayWindow(BACKTRACK);
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
                window.reset();
            }
        }
        return window.accept(id);
    }

    /** Short-form (data channel) check: no time field. */
    public boolean accept(long id) {
        return accept(id, -1);
    }
}
