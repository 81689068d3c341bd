package io.p2sgw.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The handshake measurement every tunnel runs the same way (bench/RESULTS*.md "Method"): {@code warmupRounds} rounds
 * not counted, then {@code rounds} measured ones, each a round of N clients connecting at once (the tunnel's own
 * {@link Round}), the server drained after each. The server's CPU per handshake is noted for every round, warm-up
 * included: it shows how far JIT compilation has got (a JVM's first rounds cost several times the steady state; a
 * C server's do not).
 */
final class HandshakeRounds {
    /** One round of N clients started together. */
    interface Round {
        /** @param measured false in warm-up: failures are then not noted */
        HandshakeRound run(boolean measured);
    }

    /**
     * One round's outcome.
     *
     * @param nanos       from the first client's start to the last one connected
     * @param latenciesMs each successful client's time to connected
     * @param failures    clients that did not connect
     */
    record HandshakeRound(long nanos, List<Double> latenciesMs, int failures) {}

    private HandshakeRounds() {}

    /** Runs the rounds against {@code server}; the per-round CPU and a server that exited go into the notes. */
    static HandshakeFigures run(VpnServer server, int warmupRounds, int rounds, Round round, ServerDrain drain, ServerResult r) {
        List<String> perRound = new ArrayList<>();
        for (int w = 0; w < warmupRounds; w++) {
            OptionalLong cpu0 = ProcStatus.cpuTicks(server.pid());
            HandshakeRound rr = round.run(false);
            OptionalLong cpu1 = ProcStatus.cpuTicks(server.pid());
            perRound.add(cpuPerHandshake(cpu0, cpu1, rr.latenciesMs().size()));
            drain.await(server, r, "handshake warm-up");
        }
        List<Double> latenciesMs = new ArrayList<>();
        long totalNanos = 0;
        long cpuTicks = 0;
        int ok = 0;
        int failed = 0;
        for (int n = 0; n < rounds; n++) {
            OptionalLong cpu0 = ProcStatus.cpuTicks(server.pid());
            HandshakeRound rr = round.run(true);
            OptionalLong cpu1 = ProcStatus.cpuTicks(server.pid());
            if (cpu0.isPresent() && cpu1.isPresent()) {
                cpuTicks += cpu1.getAsLong() - cpu0.getAsLong();
            }
            perRound.add(cpuPerHandshake(cpu0, cpu1, rr.latenciesMs().size()));
            totalNanos += rr.nanos();
            ok += rr.latenciesMs().size();
            failed += rr.failures();
            latenciesMs.addAll(rr.latenciesMs());
            drain.await(server, r, "handshake round " + (n + 1));
            if (!server.isAlive()) {
                r.notes.add("handshakes: the server exited: " + server.tail());
                break;
            }
        }
        r.notes.add("handshakes: server CPU ms per handshake in each round (" + warmupRounds + " warm-up, then " + rounds + " measured): "
                + String.join(" ", perRound));
        return new HandshakeFigures(ok, failed,
                ok > 0 && totalNanos > 0 ? Optional.of(ok / (totalNanos / 1e9)) : Optional.empty(),
                Stats.quantile(latenciesMs, 0.5), Stats.quantile(latenciesMs, 0.95),
                ok > 0 ? Optional.of(cpuTicks * 1000.0 / ProcStatus.USER_HZ / ok) : Optional.empty());
    }

    /** The server's CPU ms per successful handshake of one round, "-" when there is none or no CPU reading. */
    static String cpuPerHandshake(OptionalLong ticks0, OptionalLong ticks1, int handshakes) {
        return ticks0.isPresent() && ticks1.isPresent() && handshakes > 0
                ? Format.number((ticks1.getAsLong() - ticks0.getAsLong()) * 1000.0 / ProcStatus.USER_HZ / handshakes)
                : "-";
    }
}
