package io.p2sgw.bench;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * Waits until the server under test holds no session (p2sgw asks its core; the stock servers their management
 * interface or {@code swanctl --stats}), between measurements and after each handshake round, so that one phase's
 * clients are gone before the next phase samples anything. A server that still counts sessions after
 * {@code timeout} gets a note, not an error.
 *
 * @param pause   the same short pause for both servers first, to let them take in the clients' last packets
 * @param poll    between two questions to the server
 * @param timeout how long to wait at most
 * @param unit    what the server counts, for the note ("sessions", "SAs")
 * @param after   what happened before the wait, for the note ("every client had exited")
 */
record ServerDrain(Duration pause, Duration poll, Duration timeout, String unit, String after) {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    void await(VpnServer server, ServerResult r, String phase) {
        if (pause.isPositive()) {
            Measurements.sleep(pause);
        }
        long end = System.nanoTime() + timeout.toNanos();
        OptionalInt s = OptionalInt.empty();
        while (System.nanoTime() < end && server.isAlive()) {
            s = server.sessions();
            if (s.isPresent() && s.getAsInt() == 0) {
                return;
            }
            Measurements.sleep(poll);
        }
        r.notes.add(phase + ": the server still counted " + (s.isPresent() ? s.getAsInt() : "?") + " " + unit + " " + timeout.toSeconds()
                + " s after " + after);
    }
}
