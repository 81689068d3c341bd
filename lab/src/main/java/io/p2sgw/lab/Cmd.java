package io.p2sgw.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short host command to completion with a time limit and returns its exit code and output. */
public final class Cmd {
    /** The result of a finished command (exit -1 when it timed out and was killed). */
    public record Result(List<String> command, int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** Returns this result, or throws with the command and its output when it failed. */
        public Result orThrow() {
            if (!ok()) {
                throw new LabException(String.join(" ", command) + " failed (exit " + exitCode + "): " + output.strip());
            }
            return this;
        }
    }

    /** Default time limit for setup commands (ip, sysctl). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    private Cmd() {}

    public static Result run(Duration timeout, List<String> command) {
        Process p;
        try {
            p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new LabException("cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        // Read output on a virtual thread so a chatty command cannot block on a full pipe.
        StringBuilder out = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the process was killed; keep what we have
            }
        });
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                reader.join(2000);
                return new Result(List.copyOf(command), -1, out + "\n[timed out after " + timeout + "]");
            }
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new LabException("interrupted while running " + String.join(" ", command), e);
        }
        return new Result(List.copyOf(command), p.exitValue(), out.toString());
    }

    public static Result run(List<String> command) {
        return run(DEFAULT_TIMEOUT, command);
    }

    public static Result run(String... command) {
        return run(DEFAULT_TIMEOUT, List.of(command));
    }
}
