package io.p2sgw.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The idle-session memory measurement every tunnel runs the same way (bench/RESULTS*.md "Method"): with no session
 * left, a sample of the server (heap after full GCs and RSS, and p2sgw's live-object histogram); then the tunnel's
 * own K clients connect; after {@link #SETTLE} idle, a second sample. Per session = (after - before) / sessions up,
 * and the heap growth by class goes into a file and the notes.
 */
final class IdleMemory {
    /** Idle sessions sit this long (keepalives or echo flowing) before the second sample. */
    static final Duration SETTLE = Duration.ofSeconds(5);
    private static final int HISTOGRAM_TOP = 25;
    private static final int NOTE_TOP = 6;

    private final VpnServer server;
    private final VpnServer.Memory before;
    private final Optional<HeapHistogram> histogramBefore;
    private final Duration settle;

    private IdleMemory(VpnServer server, VpnServer.Memory before, Optional<HeapHistogram> histogramBefore, Duration settle) {
        this.server = server;
        this.before = before;
        this.histogramBefore = histogramBefore;
        this.settle = settle;
    }

    /** Waits until the server holds no session, then takes the first sample. */
    static IdleMemory sampleBefore(VpnServer server, ServerDrain drain, ServerResult r) {
        return sampleBefore(server, drain, r, SETTLE);
    }

    static IdleMemory sampleBefore(VpnServer server, ServerDrain drain, ServerResult r, Duration settle) {
        drain.await(server, r, "before idle");
        return new IdleMemory(server, server.memory(), histogram(server, r), settle);
    }

    /**
     * After {@code connected} sessions came up: lets them sit idle, takes the second sample and sets the result's
     * per-session figures and its idle detail.
     *
     * @param unit       what one session is called in the notes ("session", "SA")
     * @param how        said after "N idle units" in the detail (how they connected), or empty
     * @param growthFile where the heap growth by class goes in {@code logs}
     */
    void sampleAfter(int connected, String unit, String how, LogDir logs, String growthFile, ServerResult r) {
        Measurements.sleep(settle);
        VpnServer.Memory after = server.memory();
        int sessions = after.sessions().orElse(connected);
        if (sessions != connected) {
            r.notes.add("idle: " + connected + " clients connected but the server counts " + sessions + " sessions");
        }
        if (before.heapBytes().isPresent() && after.heapBytes().isPresent()) {
            r.heapPerSessionKiB = Stats.perItemKiB(before.heapBytes().getAsLong(), after.heapBytes().getAsLong(), connected);
        }
        if (before.rssBytes().isPresent() && after.rssBytes().isPresent()) {
            r.rssPerSessionKiB = Stats.perItemKiB(before.rssBytes().getAsLong(), after.rssBytes().getAsLong(), connected);
        }
        Optional<HeapHistogram> histogramAfter = histogram(server, r);
        if (histogramBefore.isPresent() && histogramAfter.isPresent()) {
            List<HeapHistogram.Growth> growth = histogramAfter.get().growthSince(histogramBefore.get(), connected, HISTOGRAM_TOP);
            logs.save(growthFile, HeapHistogram.format(growth));
            r.notes.add("idle: largest heap growth per " + unit + ": " + growth.stream().limit(NOTE_TOP)
                    .map(g -> g.className() + " " + Format.number(g.bytesPerSession() / 1024) + " KiB").toList());
        }
        r.idleDetail = connected + " idle " + unit + "s" + how + "; heap " + Format.mib(before.heapBytes()) + " -> "
                + Format.mib(after.heapBytes()) + "; RSS " + Format.mib(before.rssBytes()) + " -> " + Format.mib(after.rssBytes());
    }

    /**
     * Once the idle clients are gone: waits until the server holds no session and adds its heap to the detail. It
     * should be back near the first sample; a large remainder is a leak.
     */
    void afterTheyLeft(ServerDrain drain, ServerResult r) {
        drain.await(server, r, "idle");
        VpnServer.Memory gone = server.memory();
        if (gone.heapBytes().isPresent()) {
            r.idleDetail += "; heap after they left " + Format.mib(gone.heapBytes());
        }
    }

    /** The server's live-object histogram, when it has one (p2sgw); a failure is noted, not fatal. */
    private static Optional<HeapHistogram> histogram(VpnServer server, ServerResult r) {
        try {
            Optional<Path> h = server.heapHistogram();
            return h.isEmpty() ? Optional.empty() : Optional.of(HeapHistogram.parse(Files.readAllLines(h.get())));
        } catch (IOException | RuntimeException e) {
            r.notes.add("idle: no heap histogram: " + e.getMessage());
            return Optional.empty();
        }
    }
}
