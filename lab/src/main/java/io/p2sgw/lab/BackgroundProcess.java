package io.p2sgw.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** A long-running process started by the lab (inside a namespace), with its output in a log file. */
public final class BackgroundProcess implements AutoCloseable {
    /** How long a process gets to exit after SIGTERM before SIGKILL. */
    private static final Duration GRACE = Duration.ofSeconds(3);
    private static final Duration POLL = Duration.ofMillis(100);

    private final String name;
    private final Process process;
    private final Path log;
    private final Optional<Path> pidFile;

    BackgroundProcess(String name, Process process, Path log, Optional<Path> pidFile) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.pidFile = pidFile;
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** The log so far (empty if not yet written). */
    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Waits until the log contains {@code text}; fails early when the process exits.
     *
     * @return true when the text appeared in time
     */
    public boolean awaitLog(String text, Duration timeout) {
        return awaitLog(Pattern.compile(Pattern.quote(text)), timeout);
    }

    public boolean awaitLog(Pattern pattern, Duration timeout) {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            if (pattern.matcher(logText()).find()) {
                return true;
            }
            if (!process.isAlive()) {
                return pattern.matcher(logText()).find();
            }
            sleep(POLL);
        }
        return false;
    }

    /** The last {@code n} lines of the log, for error messages. */
    public String tail(int n) {
        List<String> lines = logText().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGKILL to the process and no grace: what {@code kill -9} does to a gateway that is lost (issue 17). Waits until
     * it is gone; its sockets are then closed by the kernel.
     */
    public void killNow() {
        process.destroyForcibly(); // SIGKILL on Linux
        try {
            process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, then SIGKILL after a grace period; also the pid in the pid file, if the process wrote one. */
    @Override
    public void close() {
        pidFile.flatMap(BackgroundProcess::readPid).filter(pid -> pid != process.pid())
                .flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroy);
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        pidFile.flatMap(BackgroundProcess::readPid).flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
    }

    private static Optional<Long> readPid(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
