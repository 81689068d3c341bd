package io.p2sgw.bench;

import java.util.OptionalInt;
import java.util.OptionalLong;

/** A server under test in the lab's gateway namespace, listening on 198.51.100.4. */
interface VpnServer extends AutoCloseable {
    /** "p2sgw" or "stock openvpn". */
    String label();

    /**
     * A memory sample of the idle server.
     *
     * @param heapBytes heap in use after full GC (p2sgw only)
     * @param rssBytes  the server process's resident set size
     * @param sessions  live sessions, when the server can tell
     */
    record Memory(OptionalLong heapBytes, OptionalLong rssBytes, OptionalInt sessions) {}

    Memory memory();

    /** Where the server's memory goes, if it can tell: a text file, or empty. */
    default java.util.Optional<java.nio.file.Path> heapHistogram() {
        return java.util.Optional.empty();
    }

    /** The server's process id (for its CPU time in /proc). */
    long pid();

    /** Live sessions, when the server can tell (p2sgw); empty otherwise. */
    OptionalInt sessions();

    /** Whether the server process is still running (a crash ends the measurements of this server). */
    boolean isAlive();

    /** The end of the server's log, for error messages. */
    String tail();

    @Override
    void close();
}
