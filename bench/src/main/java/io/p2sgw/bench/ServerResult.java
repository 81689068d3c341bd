package io.p2sgw.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What every tunnel's run of one server records, whatever the tunnel: the server's name, the idle-session memory
 * ({@link IdleMemory} fills it) and the notes the measurements leave for the report's Details. A failed
 * measurement stays empty with a note why. {@link RunResult} (OpenVPN), {@link IkeResult} and {@link SstpResult}
 * add their tunnel's own figures.
 */
abstract class ServerResult {
    final String server;
    /** Heap growth per idle session (or SA) after full GCs; p2sgw only. */
    Optional<Double> heapPerSessionKiB = Optional.empty();
    /** RSS growth of the server process per idle session (or SA). */
    Optional<Double> rssPerSessionKiB = Optional.empty();
    String idleDetail = "";
    final List<String> notes = new ArrayList<>();

    ServerResult(String server) {
        this.server = server;
    }
}
