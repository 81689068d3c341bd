package io.p2sgw.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL for the lab's gateway instances to share (issue 17), started the way the control module's
 * tests start theirs (Debian's PostgreSQL 15: {@code initdb} as user postgres, trust authentication, fsync off), but
 * inside the lab's internet namespace on {@link Lab#INTERNET_SERVICE_ADDRESS}, so every gateway namespace reaches it
 * over its public leg. {@link #close()} stops it and deletes its files; the lab's own teardown kills whatever is left
 * in the namespace, so a failed run leaves no server behind either.
 */
public final class LabPostgres implements AutoCloseable {
    public static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    public static final int PORT = 5432;
    /** initdb and a start with -w take a few seconds; a loaded CI host more. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    private final Lab lab;
    private final Path dir;
    private boolean closed;

    private LabPostgres(Lab lab, Path dir) {
        this.lab = lab;
        this.dir = dir;
    }

    /** Why the lab's PostgreSQL cannot run here, or empty when it can. */
    public static Optional<String> whyUnavailable() {
        if (!Files.isExecutable(BIN.resolve("initdb")) || !Files.isExecutable(BIN.resolve("pg_ctl"))) {
            return Optional.of("PostgreSQL 15 binaries not found in " + BIN + " (apt-get install postgresql)");
        }
        return Optional.empty();
    }

    /** initdb and start; on failure whatever was made is removed before the exception propagates. */
    public static LabPostgres start(Lab lab) {
        whyUnavailable().ifPresent(why -> {
            throw new LabException(why);
        });
        Path dir;
        try {
            // Not inside the lab's scratch directory: user postgres must be able to reach it.
            dir = Files.createTempDirectory("p2sgw-lab-pg-");
        } catch (IOException e) {
            throw new LabException("cannot create a directory for PostgreSQL: " + e.getMessage(), e);
        }
        LabPostgres pg = new LabPostgres(lab, dir);
        try {
            pg.initAndStart();
            return pg;
        } catch (RuntimeException e) {
            pg.close();
            throw e;
        }
    }

    private void initAndStart() {
        Cmd.run("chown", "-R", "postgres:postgres", dir.toString()).orThrow();
        Path data = dir.resolve("data");
        Cmd.run(COMMAND_TIMEOUT, asPostgres(BIN.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust",
                "-U", "postgres", "--no-sync", "-E", "UTF8")).orThrow();
        try {
            // The gateways connect from their public legs (198.51.100.0/24); a lab store, so trust as the tests do.
            Files.writeString(data.resolve("pg_hba.conf"), "host all all 198.51.100.0/24 trust\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new LabException("cannot write pg_hba.conf: " + e.getMessage(), e);
        }
        String address = lab.addInternetServiceAddress();
        List<String> start = new ArrayList<>(List.of("ip", "netns", "exec", lab.internetNamespace()));
        start.addAll(asPostgres(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", "-p " + PORT + " -k " + dir + " -c listen_addresses=" + address + " -c fsync=off",
                "start"));
        Cmd.Result r = Cmd.run(COMMAND_TIMEOUT, start);
        if (!r.ok()) {
            throw new LabException("PostgreSQL did not start: " + r.output() + "\n" + log());
        }
    }

    private static List<String> asPostgres(String... command) {
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        cmd.addAll(List.of(command));
        return cmd;
    }

    /** The JDBC URL the gateway instances are given ({@code --database-url}). */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + Lab.INTERNET_SERVICE_ADDRESS + ":" + PORT + "/postgres?user=postgres";
    }

    /** The server's log, for failure messages. */
    public String log() {
        try {
            Path log = dir.resolve("server.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Stops the server (immediate: nothing to keep) and deletes its files. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Path data = dir.resolve("data");
        if (Files.exists(data.resolve("postmaster.pid"))) {
            List<String> stop = new ArrayList<>(List.of("ip", "netns", "exec", lab.internetNamespace()));
            stop.addAll(asPostgres(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
            Cmd.run(COMMAND_TIMEOUT, stop); // when it fails, the lab's teardown kills what runs in the namespace
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("[lab] could not delete " + dir + ": " + e.getMessage());
        }
    }
}
