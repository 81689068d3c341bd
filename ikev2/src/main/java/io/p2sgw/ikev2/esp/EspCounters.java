package io.p2sgw.ikev2.esp;

import java.util.EnumMap;
import java.util.Map;

/**
 * Packets and bytes through one half of an ESP SA, and drops by {@link EspDrop reason}. Written only by the thread
 * that owns the half (plain fields, no allocation, no atomic per packet); another thread reading them for status
 * sees values that may lag by a few packets.
 */
public final class EspCounters {
    private final long[] drops = new long[EspDrop.values().length];
    private long packets;
    private long bytes;

    void packet(int innerLength) {
        packets++;
        bytes += innerLength;
    }

    void drop(EspDrop reason) {
        drops[reason.ordinal()]++;
    }

    /** Packets that went through: opened (inner packet returned) or sealed. Dummy packets are not counted here. */
    public long packets() {
        return packets;
    }

    /** The inner (IP packet) bytes of {@link #packets}. */
    public long bytes() {
        return bytes;
    }

    public long drops(EspDrop reason) {
        return drops[reason.ordinal()];
    }

    /** Every drop reason seen at least once, with its count, for the status page and logs. */
    public Map<EspDrop, Long> dropsByReason() {
        Map<EspDrop, Long> m = new EnumMap<>(EspDrop.class);
        for (EspDrop d : EspDrop.values()) {
            if (drops[d.ordinal()] != 0) {
                m.put(d, drops[d.ordinal()]);
            }
        }
        return m;
    }

    @Override
    public String toString() {
        return "EspCounters[packets " + packets + ", bytes " + bytes + ", drops " + dropsByReason() + "]";
    }
}
