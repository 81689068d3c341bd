package io.p2sgw.dataplane.api;

import java.time.Instant;
import java.util.Objects;

/**
 * What the data plane reports back: a session came up, went down (with why), or a client was refused
 * before a session existed. Refusals carry the reason an operator reads in the log ("revoked", "untrusted
 * root", "pool exhausted", ...).
 */
public record SessionEvent(Kind kind, Instant at, SessionInfo session, String reason) {
    public enum Kind { CONNECTED, DISCONNECTED, REFUSED }

    public SessionEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(reason, "reason");
    }
}
