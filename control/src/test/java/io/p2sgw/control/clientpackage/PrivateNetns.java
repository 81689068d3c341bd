package io.p2sgw.control.clientpackage;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs a shell script in a network namespace of its own ({@code unshare -n}, loopback up, nothing else), so
 * that a client started from a generated profile cannot reach any real network (the profile's remotes are
 * public names and addresses) and daemons bind no port of the host. The namespace disappears with the
 * process; {@link #close} kills the whole process tree, also when a test fails.
 */
final class PrivateNetns implements AutoCloseable {
    /** Only a hang guard: every wait below ends as soon as its condition holds. */
    static final long HANG_GUARD_SECONDS = 120;
    private static final long POLL_MILLIS = 100;

    private final Process process;
    private final Path log;

    private PrivateNetns(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Skips the test unless it runs as root with unshare and the given tools. */
    static void requireRootAnd(String... tools) {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for a private network namespace");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "unshare is not installed");
        for (String t : tools) {
            assumeTrue(Files.isExecutable(Path.of(t)), t + " is not installed");
        }
    }

    static PrivateNetns start(Path dir, String script) throws IOException {
        Path log = Files.createTempFile(dir, "netns-", ".log");
        Process p = new ProcessBuilder(List.of("/usr/bin/unshare", "-n", "/bin/sh", "-c", "ip link set lo up && " + script))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        return new PrivateNetns(p, log);
    }

    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Waits until the output satisfies the condition or the process ends; returns the output then. */
    String awaitOutput(Predicate<String> condition) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_GUARD_SECONDS);
        while (System.nanoTime() < deadline) {
            String out = output();
            if (condition.test(out) || !process.isAlive()) {
                return output();
            }
            Thread.sleep(POLL_MILLIS);
        }
        throw new AssertionError("no result within " + HANG_GUARD_SECONDS + " s; output so far:\n" + output());
    }

    /** Waits for the process to end; returns its exit code. */
    int awaitExit() throws InterruptedException, IOException {
        if (!process.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("did not finish within " + HANG_GUARD_SECONDS + " s; output:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor();
    }
}
