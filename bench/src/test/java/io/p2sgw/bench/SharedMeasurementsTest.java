package io.p2sgw.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The measurement pieces every tunnel shares: the handshake rounds, the drain, the idle-memory samples. */
class SharedMeasurementsTest {
    /** No pause, a long timeout: the fake server's answers decide, never the clock. */
    private static final ServerDrain DRAIN = new ServerDrain(Duration.ZERO, Duration.ZERO, Duration.ofMinutes(5), "SAs", "the test");
    private static final long MIB = 1024 * 1024;

    private static final class Result extends ServerResult {
        Result() {
            super("p2sgw");
        }
    }

    private static FakeServer drainedServer() {
        FakeServer s = new FakeServer();
        s.sessions.add(OptionalInt.of(0));
        return s;
    }

    @Test
    void measuredRoundsMakeTheFiguresAndEveryRoundItsCpuNote() {
        List<HandshakeRounds.HandshakeRound> measured = List.of(
                new HandshakeRounds.HandshakeRound(1_000_000_000L, List.of(100.0, 200.0), 0),
                new HandshakeRounds.HandshakeRound(1_000_000_000L, List.of(300.0), 1),
                new HandshakeRounds.HandshakeRound(2_000_000_000L, List.of(400.0, 500.0, 600.0), 0));
        List<Boolean> asked = new ArrayList<>();
        Result r = new Result();
        HandshakeFigures f = HandshakeRounds.run(drainedServer(), 2, 3, m -> {
            asked.add(m);
            // Warm-up rounds count for nothing, whatever they report.
            return m ? measured.get((int) asked.stream().filter(x -> x).count() - 1)
                    : new HandshakeRounds.HandshakeRound(9_000_000_000L, List.of(1.0), 5);
        }, DRAIN, r);
        assertEquals(List.of(false, false, true, true, true), asked);
        assertEquals(6, f.ok());
        assertEquals(1, f.failed());
        assertEquals(Optional.of(6 / 4.0), f.perSecond());
        assertEquals(Optional.of(300.0), f.medianMs());
        assertEquals(Optional.of(600.0), f.p95Ms());
        assertTrue(f.serverCpuMs().orElseThrow() >= 0, f.toString());
        assertEquals(1, r.notes.size(), r.notes.toString());
        String note = r.notes.getFirst();
        String prefix = "handshakes: server CPU ms per handshake in each round (2 warm-up, then 3 measured): ";
        assertTrue(note.startsWith(prefix), note);
        assertEquals(5, note.substring(prefix.length()).split(" ").length, note);
    }

    @Test
    void aServerThatExitsEndsTheRoundsWithANote() {
        FakeServer s = drainedServer();
        s.alive.clear();
        // Alive through the first round's drain, gone when the bench looks after it.
        s.alive.addAll(List.of(true, false));
        Result r = new Result();
        int[] rounds = {0};
        HandshakeFigures f = HandshakeRounds.run(s, 0, 10, m -> {
            rounds[0]++;
            return new HandshakeRounds.HandshakeRound(1_000_000L, List.of(5.0), 0);
        }, DRAIN, r);
        assertEquals(1, rounds[0]);
        assertEquals(1, f.ok());
        assertTrue(r.notes.contains("handshakes: the server exited: last words"), r.notes.toString());
    }

    @Test
    void noSuccessfulHandshakeLeavesTheRatesEmpty() {
        HandshakeFigures f = HandshakeRounds.run(drainedServer(), 0, 2, m -> new HandshakeRounds.HandshakeRound(1_000L, List.of(), 3), DRAIN,
                new Result());
        assertEquals(new HandshakeFigures(0, 6, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()), f);
        assertEquals("-", HandshakeRounds.cpuPerHandshake(OptionalLong.of(1), OptionalLong.of(9), 0));
        assertEquals("20.00", HandshakeRounds.cpuPerHandshake(OptionalLong.of(100), OptionalLong.of(104), 2));
    }

    @Test
    void theDrainNotesWhatTheServerStillCountedWhenItGaveUp() {
        FakeServer gone = drainedServer();
        Result r = new Result();
        DRAIN.await(gone, r, "idle");
        assertEquals(List.of(), r.notes);
        // Still three SAs when the server stops answering: the note says so, in the drain's words.
        FakeServer stuck = new FakeServer();
        stuck.sessions.add(OptionalInt.of(3));
        stuck.alive.clear();
        stuck.alive.addAll(List.of(true, false));
        DRAIN.await(stuck, r, "idle");
        assertEquals(List.of("idle: the server still counted 3 SAs 300 s after the test"), r.notes);
    }

    @Test
    void idleMemoryIsTheGrowthPerSessionWithTheHeapGrowthByClass(@TempDir Path dir) throws Exception {
        Path before = Files.writeString(dir.resolve("before.txt"), "   1:         1000        500000  [B (java.base@25)\n");
        Path after = Files.writeString(dir.resolve("after.txt"),
                "   1:         1400       1500000  [B (java.base@25)\n   2:          4          4000  io.p2sgw.Session\n");
        FakeServer s = drainedServer();
        s.memory.add(new VpnServer.Memory(OptionalLong.of(MIB), OptionalLong.of(10 * MIB), OptionalInt.of(0)));
        s.memory.add(new VpnServer.Memory(OptionalLong.of(MIB + 4 * 64 * 1024), OptionalLong.of(10 * MIB + 4 * 128 * 1024), OptionalInt.of(5)));
        s.memory.add(new VpnServer.Memory(OptionalLong.of(MIB), OptionalLong.of(10 * MIB), OptionalInt.of(0)));
        s.histograms.addAll(List.of(before, after));
        Result r = new Result();
        IdleMemory idle = IdleMemory.sampleBefore(s, DRAIN, r, Duration.ZERO);
        idle.sampleAfter(4, "SA", " (by hand)", new LogDir(dir), "growth.txt", r);
        assertEquals(Optional.of(64.0), r.heapPerSessionKiB);
        assertEquals(Optional.of(128.0), r.rssPerSessionKiB);
        assertEquals("4 idle SAs (by hand); heap 1.00 MiB -> 1.25 MiB; RSS 10.00 MiB -> 10.50 MiB", r.idleDetail);
        assertEquals(List.of("idle: 4 clients connected but the server counts 5 sessions",
                "idle: largest heap growth per SA: [[B 244.1 KiB, io.p2sgw.Session 0.9766 KiB]"), r.notes);
        assertTrue(Files.readString(dir.resolve("growth.txt")).contains("io.p2sgw.Session"));
        idle.afterTheyLeft(DRAIN, r);
        assertTrue(r.idleDetail.endsWith("; heap after they left 1.00 MiB"), r.idleDetail);
    }

    @Test
    void aServerWithoutHeapFiguresGetsRssOnlyAndAMissingHistogramANote(@TempDir Path dir) {
        FakeServer s = drainedServer();
        s.memory.add(new VpnServer.Memory(OptionalLong.empty(), OptionalLong.of(10 * MIB), OptionalInt.empty()));
        s.memory.add(new VpnServer.Memory(OptionalLong.empty(), OptionalLong.of(12 * MIB), OptionalInt.empty()));
        s.memory.add(new VpnServer.Memory(OptionalLong.empty(), OptionalLong.of(10 * MIB), OptionalInt.empty()));
        s.histograms.add(dir.resolve("never-written.txt"));
        Result r = new Result();
        IdleMemory idle = IdleMemory.sampleBefore(s, DRAIN, r, Duration.ZERO);
        idle.sampleAfter(2, "session", "", new LogDir(dir), "growth.txt", r);
        assertEquals(Optional.empty(), r.heapPerSessionKiB);
        assertEquals(Optional.of(1024.0), r.rssPerSessionKiB);
        assertEquals("2 idle sessions; heap - -> -; RSS 10.00 MiB -> 12.00 MiB", r.idleDetail);
        assertEquals(1, r.notes.size(), r.notes.toString());
        assertTrue(r.notes.getFirst().startsWith("idle: no heap histogram: "), r.notes.toString());
        idle.afterTheyLeft(DRAIN, r);
        assertFalse(r.idleDetail.contains("after they left"), r.idleDetail);
    }
}
