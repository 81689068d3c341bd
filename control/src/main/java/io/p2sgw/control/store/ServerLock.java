package io.p2sgw.control.store;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Makes a server the only one using its store, for as long as it runs. Until several instances share one store
 * (issue 17: each must learn of the others' writes, through PostgreSQL {@code LISTEN/NOTIFY} as DESIGN.md
 * "Scale" says), a second server would serve a stale gateway — a revocation written through one would never
 * be enforced by the other — so it refuses to start instead ({@link StoreInUseException}).
 *
 * <ul>
 *   <li>PostgreSQL: a session-level advisory lock taken on a connection of its own and held for the server's
 *       life. The lock belongs to the database session, so a server that crashes or loses its host frees it when
 *       PostgreSQL notices the connection is gone (TCP keepalive is on for that); advisory locks are per
 *       database, so stores in other databases of the same cluster are not affected.</li>
 *   <li>SQLite: an exclusive lock on a file next to the database ({@code p2sgw.db.server-lock}). SQLite's own
 *       locks guard only one transaction at a time, and the database file itself is not locked by us: POSIX
 *       locks are per process, and closing any descriptor of a file drops all of them, which would break
 *       SQLite's. The kernel frees the lock when the process ends.</li>
 * </ul>
 */
public final class ServerLock implements AutoCloseable {
    /**
     * The advisory lock key: an arbitrary constant that other applications sharing the database are unlikely to
     * use ("p2sgwsrv" in ASCII).
     */
    static final long ADVISORY_KEY = 0x7032_7367_7773_7276L;
    /** Who holds the lock, as PostgreSQL's pg_stat_activity shows it (application_name is at most 63 bytes). */
    private static final int APPLICATION_NAME_MAX = 63;
    static final String LOCK_FILE_SUFFIX = ".server-lock";

    private final AutoCloseable held;

    private ServerLock(AutoCloseable held) {
        this.held = held;
    }

    /**
     * Takes the lock of the store at {@code jdbcUrl}, or throws {@link StoreInUseException} naming the holder
     * when another live server has it.
     */
    public static ServerLock acquire(String jdbcUrl, Properties properties, String describedStore) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return sqlite(jdbcUrl, describedStore);
        }
        return postgresql(jdbcUrl, properties, describedStore);
    }

    private static ServerLock postgresql(String jdbcUrl, Properties properties, String store) {
        Properties p = new Properties();
        p.putAll(properties);
        p.setProperty("ApplicationName", holderName());
        p.setProperty("tcpKeepAlive", "true");
        Connection c = null;
        try {
            c = DriverManager.getConnection(jdbcUrl, p);
            try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                s.setLong(1, ADVISORY_KEY);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    if (r.getBoolean(1)) {
                        return new ServerLock(c);
                    }
                }
            }
            String holder = postgresHolder(c);
            c.close();
            throw new StoreInUseException(refusal(store, holder));
        } catch (SQLException e) {
            closeQuietly(c);
            throw new StoreException("cannot lock the store " + store + ": " + e.getMessage(), e);
        }
    }

    /** The holder's application name, address and start, from pg_locks and pg_stat_activity, when visible. */
    private static String postgresHolder(Connection c) throws SQLException {
        // A bigint advisory key shows up as classid = high 32 bits, objid = low 32 bits, objsubid = 1.
        String sql = "SELECT a.application_name, host(a.client_addr), a.backend_start FROM pg_locks l "
                + "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                + "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                + "AND l.classid = ? AND l.objid = ? AND l.objsubid = 1";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, ADVISORY_KEY >>> 32);
            s.setLong(2, ADVISORY_KEY & 0xffff_ffffL);
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    String app = r.getString(1);
                    String addr = r.getString(2);
                    return (app == null || app.isEmpty() ? "a p2sgw server" : app)
                            + (addr == null ? "" : " connected from " + addr) + " since " + r.getTimestamp(3).toInstant();
                }
            }
        }
        return "another p2sgw server";
    }

    private static ServerLock sqlite(String jdbcUrl, String store) {
        Path db = Path.of(jdbcUrl.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*$", ""));
        Path lockFile = db.resolveSibling(db.getFileName() + LOCK_FILE_SUFFIX);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by another server in this JVM
            }
            if (lock == null) {
                ch.close();
                throw new StoreInUseException(refusal(store, "another p2sgw server (it holds " + lockFile + ")"));
            }
            FileChannel channel = ch;
            FileLock held = lock;
            return new ServerLock(() -> {
                held.release();
                channel.close();
            });
        } catch (IOException e) {
            closeQuietly(ch);
            throw new StoreException("cannot lock the store " + store + " (" + lockFile + "): " + e.getMessage(), e);
        }
    }

    static String refusal(String store, String holder) {
        return "The store " + store + " is in use by " + holder + ". One server per store is supported for now:"
                + " a second one would not learn of changes made through the first (a revoked certificate would still"
                + " connect through it). Stop the other server, or give this one a store of its own.";
    }

    private static String holderName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown host";
        }
        String name = "p2sgw server on " + host + " (pid " + ProcessHandle.current().pid() + ")";
        return name.length() <= APPLICATION_NAME_MAX ? name : name.substring(0, APPLICATION_NAME_MAX);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // already failing; the first error is the one reported
            }
        }
    }

    /** Frees the lock: another server may use the store from now on. */
    @Override
    public void close() {
        try {
            held.close();
        } catch (Exception e) {
            throw new StoreException("cannot release the store lock: " + e.getMessage(), e);
        }
    }
}
