package io.p2sgw.bench;

import java.util.Optional;

/**
 * The handshake figures of one server ({@link HandshakeRounds}): over the measured rounds only.
 *
 * @param ok          successful handshakes
 * @param failed      clients that did not connect
 * @param perSecond   successful handshakes / the rounds' total duration
 * @param medianMs    a client's time to connected, median
 * @param p95Ms       the same, 95th percentile
 * @param serverCpuMs the server process's user+system CPU over the rounds / successful handshakes
 */
record HandshakeFigures(int ok, int failed, Optional<Double> perSecond, Optional<Double> medianMs, Optional<Double> p95Ms,
        Optional<Double> serverCpuMs) {
    /** Before (or without) a handshake measurement. */
    static final HandshakeFigures NONE = new HandshakeFigures(0, 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
}
