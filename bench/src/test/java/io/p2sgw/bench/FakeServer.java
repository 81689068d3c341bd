package io.p2sgw.bench;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** A server under test for the shared measurements: scripted memory samples, histograms and session counts. */
final class FakeServer implements VpnServer {
    final Deque<Memory> memory = new ArrayDeque<>();
    final Deque<Path> histograms = new ArrayDeque<>();
    final Deque<OptionalInt> sessions = new ArrayDeque<>();
    /** isAlive() answers these in turn, then the last one for ever. */
    final Deque<Boolean> alive = new ArrayDeque<>(List.of(true));

    @Override
    public String label() {
        return "fake";
    }

    @Override
    public Memory memory() {
        return memory.remove();
    }

    @Override
    public Optional<Path> heapHistogram() {
        return Optional.ofNullable(histograms.poll());
    }

    /** This JVM: /proc has its CPU time. */
    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public OptionalInt sessions() {
        return sessions.size() > 1 ? sessions.remove() : sessions.getFirst();
    }

    @Override
    public boolean isAlive() {
        return alive.size() > 1 ? alive.remove() : alive.getFirst();
    }

    @Override
    public String tail() {
        return "last words";
    }

    @Override
    public void close() {}
}
