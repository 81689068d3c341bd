package io.p2sgw.bench;

import io.p2sgw.lab.OpenVpnClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One stock {@code openvpn} client process in a lab namespace, its output read line by line so that the moment
 * of "Initialization Sequence Completed" is known to the millisecond (the lab's log polling is 100 ms).
 */
final class VpnClient implements AutoCloseable {
    private static final int TAIL_LINES = 40;
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final Process process;
    private final long startNanos;
    private final CompletableFuture<Long> connected = new CompletableFuture<>();
    private final Deque<String> tail = new ArrayDeque<>();
    private final StringBuilder full = new StringBuilder();
    private final boolean keepAll;
    private volatile String dataCipherLine = "";
    private volatile String controlChannelLine = "";

    private VpnClient(Process process, long startNanos, boolean keepAll) {
        this.process = process;
        this.startNanos = startNanos;
        this.keepAll = keepAll;
    }

    static VpnClient start(String namespace, Path dir, String profileFile) {
        return start(namespace, dir, profileFile, false);
    }

    /** @param keepAll keep the whole output (for {@link #fullLog}), not only its tail */
    static VpnClient start(String namespace, Path dir, String profileFile, boolean keepAll) {
        List<String> cmd = List.of("ip", "netns", "exec", namespace, "openvpn", "--cd", dir.toString(), "--config",
                dir.resolve(profileFile).toString());
        long t0 = System.nanoTime();
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start openvpn: " + e.getMessage(), e);
        }
        VpnClient c = new VpnClient(p, t0, keepAll);
        Thread.ofVirtual().name("openvpn-client-reader").start(c::readOutput);
        return c;
    }

    /** The openvpn process ({@code ip netns exec} execs it, so this is openvpn's own pid). */
    long pid() {
        return process.pid();
    }

    private void readOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                long now = System.nanoTime();
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                    if (keepAll) {
                        full.append(line).append('\n');
                    }
                }
                if (line.contains(OpenVpnClient.CONNECTED_MARKER)) {
                    connected.complete(now);
                } else if (line.contains("Data Channel: cipher")) {
                    dataCipherLine = line.replaceFirst("^.*?Data Channel", "Data Channel");
                } else if (line.contains("Control Channel: TLS")) {
                    controlChannelLine = line.replaceFirst("^.*?Control Channel", "Control Channel");
                }
            }
        } catch (IOException ignored) {
            // the process was killed
        }
        connected.completeExceptionally(new IllegalStateException("openvpn exited before connecting"));
    }

    /** Nanoseconds from process start to "Initialization Sequence Completed", or empty on failure or timeout. */
    Optional<Long> awaitConnected(Duration timeout) {
        try {
            return Optional.of(connected.get(timeout.toMillis(), TimeUnit.MILLISECONDS) - startNanos);
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The {@link System#nanoTime} at which the client connected (only after a successful {@link #awaitConnected}). */
    long connectedAtNanos() {
        return connected.join();
    }

    long startNanos() {
        return startNanos;
    }

    /** openvpn logs the data channel line just after "Initialization Sequence Completed": wait a little for it. */
    String dataCipherLine(Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        while (dataCipherLine.isEmpty() && System.nanoTime() < end && process.isAlive()) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return dataCipherLine;
    }

    String controlChannelLine() {
        return controlChannelLine;
    }

    /** The whole output so far (only when started with keepAll). */
    String fullLog() {
        synchronized (tail) {
            return full.toString();
        }
    }

    String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    /** Asks openvpn to stop (SIGTERM: UDP clients send their exit notification) without waiting. */
    void stopAsync() {
        process.destroy();
    }

    /** Waits for the exit after {@link #stopAsync}; SIGKILL after the grace period. */
    void awaitStopped() {
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        stopAsync();
        awaitStopped();
    }

    /** Stops many clients at once (SIGTERM to all, then wait), as a round ends. */
    static void closeAll(List<VpnClient> clients) {
        clients.forEach(VpnClient::stopAsync);
        clients.forEach(VpnClient::awaitStopped);
    }
}
