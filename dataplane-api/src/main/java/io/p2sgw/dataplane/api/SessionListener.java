package io.p2sgw.dataplane.api;

/** Receives {@link SessionEvent}s. Called on data-plane threads: implementations must be quick and thread-safe. */
@FunctionalInterface
public interface SessionListener {
    void onEvent(SessionEvent event);
}
