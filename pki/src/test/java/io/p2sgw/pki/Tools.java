package io.p2sgw.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs external tools (openssl, strongSwan pki) with a time limit; skips if a tool is not installed. */
final class Tools {
    static final long TIMEOUT_SECONDS = 60;

    record Result(int exitCode, String output) {
    }

    private Tools() {
    }

    static void requireTool(String path) {
        assumeTrue(Files.isExecutable(Path.of(path)), path + " is not installed (scripts/install-deps.sh installs it)");
    }

    static Result run(Path dir, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "tool-", ".out");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(command + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(out);
        }
    }

    /** Runs a command and asserts exit status 0; returns its output. */
    static String ok(Path dir, String... command) throws IOException, InterruptedException {
        Result r = run(dir, List.of(command));
        assertEquals(0, r.exitCode(), () -> String.join(" ", command) + " failed:\n" + r.output());
        return r.output();
    }

    /** Runs a shell pipeline (bash -c) and asserts exit status 0. */
    static String sh(Path dir, String script) throws IOException, InterruptedException {
        return ok(dir, "bash", "-o", "pipefail", "-c", script);
    }
}
