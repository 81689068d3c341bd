package io.p2sgw.openvpn.engine;

import java.time.Duration;

/**
 * Timers of a server session (openvpn.md §9.2).
 *
 * @param tlsTimeout        first control retransmit (doubles after)
 * @param handshakeWindow   TLS + key method 2 must finish within this (hand-window)
 * @param ping              pushed {@code ping}; the server also pings after this much send silence
 * @param pingRestart       pushed {@code ping-restart}; the server ends a session silent for twice this
 * @param renegotiate       server-initiated renegotiation interval; zero = only when the client asks
 * @param transitionWindow  lame-duck key lifetime (tran-window)
 * @param closeLinger       how long a closing session waits for its last control message to be ACKed
 */
public record SessionSettings(
        Duration tlsTimeout, Duration handshakeWindow, Duration ping, Duration pingRestart, Duration renegotiate,
        Duration transitionWindow, Duration closeLinger) {
    public static SessionSettings defaults() {
        return new SessionSettings(Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofSeconds(10),
                Duration.ofSeconds(60), Duration.ZERO, Duration.ofSeconds(3600), Duration.ofSeconds(1));
    }

    public SessionSettings withRenegotiate(Duration d) {
        return new SessionSettings(tlsTimeout, handshakeWindow, ping, pingRestart, d, transitionWindow, closeLinger);
    }
}
