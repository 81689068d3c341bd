package io.p2sgw.bench;

import io.p2sgw.lab.BackgroundProcess;
import io.p2sgw.lab.Cmd;
import io.p2sgw.lab.Lab;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One strongSwan 5.9.8 daemon ({@code charon-systemd}) in a lab namespace with a swanctl directory of its own
 * (settings, vici socket and log inside it, as lab's StrongSwanClient does): a load client holding many
 * connections, or strongSwan's own responder. The lab kills it on close.
 */
final class Charon implements AutoCloseable {
    private static final Duration VICI_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration SWANCTL_TIMEOUT = Duration.ofSeconds(60);
    /** {@code swanctl --stats}: "IKE_SAs: 3 total, 0 half-open". */
    private static final Pattern IKE_SAS = Pattern.compile("IKE_SAs: (\\d{1,7}) total");

    private final Lab lab;
    private final String namespace;
    private final Path dir;
    private final BackgroundProcess process;

    private Charon(Lab lab, String namespace, Path dir, BackgroundProcess process) {
        this.lab = lab;
        this.namespace = namespace;
        this.dir = dir;
        this.process = process;
    }

    /**
     * Writes {@code strongswan.conf} (from {@link IkeProfiles}, given the directory) into {@code dir}, which already
     * holds {@code swanctl.conf}, {@code x509/}, {@code x509ca/} and {@code private/}; starts charon and loads
     * everything.
     */
    static Charon start(Lab lab, String namespace, Path dir, String strongswanConf, String name) {
        try {
            Files.writeString(dir.resolve("strongswan.conf"), strongswanConf, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write strongswan.conf: " + e.getMessage(), e);
        }
        BackgroundProcess p = lab.background(namespace, name,
                List.of("env", "STRONGSWAN_CONF=" + dir.resolve("strongswan.conf"), "/usr/sbin/charon-systemd"));
        Charon c = new Charon(lab, namespace, dir, p);
        Instant end = Instant.now().plus(VICI_TIMEOUT);
        while (!Files.exists(dir.resolve("charon.vici")) && Instant.now().isBefore(end) && p.isAlive()) {
            Measurements.sleep(Duration.ofMillis(100));
        }
        Cmd.Result load = c.swanctl(SWANCTL_TIMEOUT, "--load-all");
        if (!load.ok()) {
            c.close();
            throw new IllegalStateException("swanctl --load-all failed: " + load.output() + "\ncharon: " + p.tail(20));
        }
        return c;
    }

    /** {@code swanctl --initiate} of a CHILD SA (and its IKE SA): empty on success, else what swanctl and charon said. */
    Optional<String> initiate(String child, Duration timeout) {
        Cmd.Result r = swanctl(timeout.plusSeconds(10), "--initiate", "--child", child, "--timeout", Long.toString(Math.max(1, timeout.toSeconds())));
        if (r.ok() && r.output().contains("initiate completed successfully")) {
            return Optional.empty();
        }
        List<String> lines = r.output().lines().toList();
        return Optional.of(String.join(" | ", lines.subList(Math.max(0, lines.size() - 6), lines.size())));
    }

    /** {@code swanctl --terminate --ike}: sends DELETE and waits for the answer (or gives up after the timeout). */
    void terminate(String ike, Duration timeout) {
        swanctl(timeout.plusSeconds(10), "--terminate", "--ike", ike, "--timeout", Long.toString(Math.max(1, timeout.toSeconds())));
    }

    /** IKE SAs charon holds, from {@code swanctl --stats}; empty when it does not answer. */
    OptionalInt ikeSas() {
        Cmd.Result r = swanctl(SWANCTL_TIMEOUT, "--stats");
        return r.ok() ? parseIkeSas(r.output()) : OptionalInt.empty();
    }

    static OptionalInt parseIkeSas(String statsOutput) {
        Matcher m = IKE_SAS.matcher(statsOutput);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    /** {@code swanctl --list-sas}. */
    String listSas() {
        return swanctl(SWANCTL_TIMEOUT, "--list-sas").output();
    }

    Cmd.Result swanctl(Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>(List.of("env", "STRONGSWAN_CONF=" + dir.resolve("strongswan.conf"), "SWANCTL_DIR=" + dir, "swanctl"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--uri", "unix://" + dir.resolve("charon.vici")));
        return lab.exec(namespace, timeout, cmd);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String tail() {
        try {
            Path log = dir.resolve("charon.log");
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())) + "\n" + process.tail(10);
        } catch (IOException e) {
            return process.tail(30);
        }
    }

    /** charon's own log file. */
    Path log() {
        return dir.resolve("charon.log");
    }

    @Override
    public void close() {
        process.close();
    }
}
