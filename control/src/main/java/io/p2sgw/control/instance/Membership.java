package io.p2sgw.control.instance;

import io.p2sgw.control.store.InstanceRepository.InstanceRow;
import java.util.List;
import java.util.Optional;

/**
 * This instance and the live instances of its store, as of the last registration or heartbeat, and what that makes
 * this instance do for a gateway ({@link #roleFor}).
 *
 * @param self      this instance's name
 * @param selfIndex this instance's slot
 * @param live      every live instance (this one included), lowest slot first
 */
public record Membership(String self, int selfIndex, List<InstanceRow> live) {
    /** Slots that share an active-active gateway's pool: Azure's two instances (azure-p2s.md §2.1). */
    public static final int ACTIVE_ACTIVE_SLOTS = 2;

    public Membership {
        live = List.copyOf(live);
    }

    /** A store with one instance, before (or without) registration: it serves every gateway whole. */
    public static Membership alone(String self) {
        return new Membership(self, 0, List.of());
    }

    /** What this instance does for one gateway. */
    public sealed interface Role {}

    /** Serves the slice {@code instanceIndex} of {@code instanceCount} of the pool (1: the whole pool). */
    public record Serves(int instanceIndex, int instanceCount) implements Role {}

    /** Serves nothing: another instance does; the reason is for the log. */
    public record Standby(String reason) implements Role {}

    /**
     * The split of issue 17: an active-active gateway is served by slots 0 and 1, each with its half of the pool, or
     * whole by the one of them that is live; an instance in a higher slot stands by (it moves into a slot that frees
     * up, {@link InstanceRegistry}). An active-standby gateway is served whole by the live instance in the lowest
     * slot; the others stand by and the next takes over once that one's heartbeat lapses.
     */
    public Role roleFor(boolean activeActive) {
        if (activeActive) {
            if (selfIndex >= ACTIVE_ACTIVE_SLOTS) {
                return new Standby("slots 0 and 1 serve the active-active gateway; this instance has slot " + selfIndex);
            }
            boolean otherLive = live.stream().anyMatch(r -> r.index() == 1 - selfIndex);
            return otherLive ? new Serves(selfIndex, ACTIVE_ACTIVE_SLOTS) : new Serves(0, 1);
        }
        Optional<InstanceRow> lowest = live.stream().filter(r -> !r.name().equals(self)).filter(r -> r.index() < selfIndex)
                .findFirst();
        return lowest.<Role>map(r -> new Standby("instance " + r.name() + " (slot " + r.index()
                + ") serves the active-standby gateway")).orElse(new Serves(0, 1));
    }

    /** The names and slots only: what a change of membership is judged by (heartbeat times change every time). */
    List<String> slots() {
        return live.stream().map(r -> r.index() + "=" + r.name()).toList();
    }
}
