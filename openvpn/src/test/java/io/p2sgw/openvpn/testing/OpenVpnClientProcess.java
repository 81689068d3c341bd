package io.p2sgw.openvpn.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The stock {@code openvpn} client as a child process; {@link #close} kills it (use in try-with-resources). */
public final class OpenVpnClientProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final Path status;

    private OpenVpnClientProcess(Process process, Path log, Path status) {
        this.process = process;
        this.log = log;
        this.status = status;
    }

    public static boolean available() {
        return Files.isExecutable(Path.of("/usr/sbin/openvpn")) || Files.isExecutable(Path.of("/usr/bin/openvpn"));
    }

    public static OpenVpnClientProcess start(Path dir, List<String> options) throws IOException {
        Path log = dir.resolve("client.log");
        Path status = dir.resolve("status.txt");
        List<String> cmd = new ArrayList<>();
        cmd.add(Files.isExecutable(Path.of("/usr/sbin/openvpn")) ? "/usr/sbin/openvpn" : "openvpn");
        cmd.addAll(List.of("--cd", dir.toString(), "--status", status.toString(), "1"));
        cmd.addAll(options);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new OpenVpnClientProcess(p, log, status);
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits until the log contains {@code needle}; false on timeout or if the process exited without it. */
    public boolean awaitLog(String needle, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (log().contains(needle)) {
                return true;
            }
            if (!process.isAlive()) {
                return log().contains(needle);
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** Counts occurrences of {@code needle} in the log. */
    public int count(String needle) {
        String l = log();
        int n = 0;
        for (int i = l.indexOf(needle); i >= 0; i = l.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    /** A counter from the status file, e.g. "Auth read bytes" (authenticated data bytes received). */
    public Optional<Long> statusCounter(String name) {
        try {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + ",(\\d+)").matcher(Files.readString(status));
            return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public boolean waitForExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
