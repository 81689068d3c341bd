package io.p2sgw.bench;

import io.p2sgw.lab.GatewayServer;
import io.p2sgw.lab.Lab;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** {@link GatewayMain} in its own JVM in the gateway namespace, driven over its stdin/stdout. */
final class P2sgwServer implements VpnServer {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Process process;
    private final Path log;
    private final Writer commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

    private P2sgwServer(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofVirtual().name("p2sgw-gateway-stdout").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    // The JVM's own unified-logging lines (JFR's "Started recording") and async-profiler's banner,
                    // when a run is profiled, are not answers of GatewayMain's protocol.
                    if (line.startsWith("[") || line.equals("Profiling started")) {
                        continue;
                    }
                    answers.add(line);
                }
            } catch (IOException ignored) {
                // the gateway exited
            }
        });
    }

    /**
     * Starts the gateway JVM with this JVM's class path and the JDK's default collector and heap sizing (what a
     * plain {@code java -jar p2sgw.jar server} gets).
     */
    static P2sgwServer start(Lab lab, Path configDir, String tunName, List<String> jvmOptions, Path log) {
        return start(lab, configDir, tunName, List.of(), jvmOptions, log);
    }

    /** @param tunnel {@link GatewayMain}'s optional tunnel argument ({@code sstp}), or empty for OpenVPN */
    static P2sgwServer start(Lab lab, Path configDir, String tunName, List<String> tunnel, List<String> jvmOptions, Path log) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", lab.gatewayNamespace(), java.toString()));
        // As ./p2sgw runs the gateway (GatewayServer.JVM_OPTIONS says why), plus the export p2sgw.jar's manifest
        // carries (Add-Exports), which a class-path launch has to pass itself.
        cmd.addAll(GatewayServer.JVM_OPTIONS);
        cmd.addAll(List.of("--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED"));
        // Log timestamps to the millisecond, to read handshake timing from the gateway log afterwards, and a GC log
        // next to it (pauses explain throughput dips); both are logging only, no tuning.
        cmd.addAll(List.of("-Dorg.slf4j.simpleLogger.showDateTime=true", "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                "-Xlog:gc:file=" + log.resolveSibling(log.getFileName().toString().replace(".log", "") + "-gc.log") + ":uptime"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), GatewayMain.class.getName(), configDir.toString(), tunName));
        cmd.addAll(tunnel);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.to(log.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the p2sgw gateway JVM: " + e.getMessage(), e);
        }
        P2sgwServer s = new P2sgwServer(p, log);
        try {
            String first = s.answer(START_TIMEOUT);
            if (!first.equals("ready")) {
                throw new IllegalStateException("p2sgw gateway did not start: " + first + "\n" + s.tail());
            }
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private synchronized String ask(String command) {
        try {
            commands.write(command + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new IllegalStateException("p2sgw gateway is gone: " + e.getMessage() + "\n" + tail(), e);
        }
        return answer(ANSWER_TIMEOUT);
    }

    private String answer(Duration timeout) {
        try {
            String line = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new IllegalStateException("p2sgw gateway did not answer within " + timeout
                        + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")") + "\n" + tail());
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String label() {
        return "p2sgw";
    }

    @Override
    public Memory memory() {
        String[] a = ask("mem").split(" ");
        if (a.length != 3 || !a[0].equals("mem")) {
            throw new IllegalStateException("unexpected answer to mem: " + String.join(" ", a));
        }
        return new Memory(OptionalLong.of(Long.parseLong(a[1])), ProcStatus.rssBytes(process.pid()),
                OptionalInt.of(Integer.parseInt(a[2])));
    }

    @Override
    public java.util.Optional<Path> heapHistogram() {
        String[] a = ask("histogram").split(" ", 2);
        if (a.length != 2 || !a[0].equals("histogram")) {
            throw new IllegalStateException("unexpected answer to histogram: " + String.join(" ", a));
        }
        return java.util.Optional.of(Path.of(a[1]));
    }

    @Override
    public OptionalInt sessions() {
        String[] a = ask("sessions").split(" ");
        if (a.length != 2 || !a[0].equals("sessions")) {
            throw new IllegalStateException("unexpected answer to sessions: " + String.join(" ", a));
        }
        return OptionalInt.of(Integer.parseInt(a[1]));
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public String tail() {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        try {
            commands.write("quit\n");
            commands.flush();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
