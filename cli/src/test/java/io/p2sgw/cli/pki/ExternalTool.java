package io.p2sgw.cli.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs openssl / strongSwan's pki in a directory with a time limit; tests skip when a tool is missing. */
final class ExternalTool {
    /** Generous: RSA key generation on a loaded machine; a hang is a failure, not a slow pass. */
    static final long TIMEOUT_SECONDS = 120;

    record Result(int exitCode, String output) {
    }

    private ExternalTool() {
    }

    static void require(String path) {
        assumeTrue(Files.isExecutable(Path.of(path)), path + " is not installed");
    }

    static Result run(Path dir, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "tool-", ".out");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly().waitFor();
            Files.deleteIfExists(out);
        }
    }

    /** A bash script (pipefail) that must succeed; returns its output. */
    static String sh(Path dir, String script) throws IOException, InterruptedException {
        Result r = run(dir, "bash", "-o", "pipefail", "-c", script);
        assertEquals(0, r.exitCode(), () -> script + " failed:\n" + r.output());
        return r.output();
    }

    static List<String> lines(String output) {
        return output.lines().toList();
    }
}
