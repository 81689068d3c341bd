package io.p2sgw.control.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL from Debian's package: initdb in a temp dir, pg_ctl on a free loopback port,
 * run as user postgres (initdb refuses root). One per JVM, stopped and deleted at JVM exit; each test
 * gets its own database.
 */
public final class LocalPostgres {
    public static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final long COMMAND_TIMEOUT_SECONDS = 120;
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static LocalPostgres instance;

    private final Path dir;
    private final int port;

    private LocalPostgres(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Why PostgreSQL tests cannot run here, or empty when they can. */
    public static Optional<String> unavailableReason() {
        if (!Files.isExecutable(BIN.resolve("initdb")) || !Files.isExecutable(BIN.resolve("pg_ctl"))) {
            return Optional.of("PostgreSQL 15 binaries not found in " + BIN + " (apt-get install postgresql)");
        }
        return Optional.empty();
    }

    public static synchronized LocalPostgres get() {
        if (instance == null) {
            try {
                instance = start();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("could not start a local PostgreSQL: " + e.getMessage(), e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop));
        }
        return instance;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> asPostgres(String... command) {
        List<String> cmd = new ArrayList<>();
        if (isRoot()) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(List.of(command));
        return cmd;
    }

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        if (p.exitValue() != 0) {
            throw new IOException("failed (" + p.exitValue() + "): " + command + "\n" + Files.readString(log));
        }
    }

    private static LocalPostgres start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("p2sgw-pg");
        Path cmdLog = Files.createTempFile("p2sgw-pg-cmd", ".log");
        if (isRoot()) {
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()), cmdLog);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path data = dir.resolve("data");
        run(asPostgres(BIN.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres",
                "--no-sync", "-E", "UTF8"), cmdLog);
        run(asPostgres(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
                "start"), cmdLog);
        Files.deleteIfExists(cmdLog);
        return new LocalPostgres(dir, port);
    }

    /** A fresh, empty database; returns its JDBC URL. */
    public String newDatabase() {
        String name = "p2sgw_test_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"));
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return url(name);
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    private void stop() {
        try {
            Path log = Files.createTempFile("p2sgw-pg-stop", ".log");
            run(asPostgres(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
                    "-w", "stop"), log);
            Files.deleteIfExists(log);
        } catch (IOException | InterruptedException e) {
            System.err.println("could not stop the test PostgreSQL: " + e.getMessage());
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                System.err.println("could not delete " + dir + ": " + e.getMessage());
            }
        }
    }
}
