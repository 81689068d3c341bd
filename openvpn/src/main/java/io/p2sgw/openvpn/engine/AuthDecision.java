package io.p2sgw.openvpn.engine;

/** The host's verdict on a client that completed TLS and key method 2. */
public sealed interface AuthDecision {
    record Accepted(PushConfig push) implements AuthDecision {}

    /** @param reason the text after {@code AUTH_FAILED,} (short, no secrets) */
    record Rejected(String reason) implements AuthDecision {}
}
