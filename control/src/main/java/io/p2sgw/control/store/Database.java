package io.p2sgw.control.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;

/**
 * The store's connection source: an SQLite file (default) or PostgreSQL (a JDBC URL), migrated by
 * Flyway at open. Every unit of work runs in one JDBC transaction ({@link #inTransaction}); on any
 * exception it rolls back, so a failed write changes nothing.
 *
 * <p>PostgreSQL transactions take their connection from a small pool (HikariCP): opening one costs a TCP connection,
 * a backend process and authentication, 18 to 75 ms each on a busy host, and a revocation written through the API
 * runs about ten transactions on the writing instance and five on each other one before its data plane ends the
 * session (issue 17; measured by server's {@code RevocationLatencyTest}). An SQLite file opens in well under a
 * millisecond and keeps one connection per transaction.
 */
public final class Database implements AutoCloseable {
    /** Default file name of the embedded store inside the data directory. */
    public static final String SQLITE_FILE = "p2sgw.db";
    private static final int SQLITE_BUSY_TIMEOUT_MS = 10_000;
    /**
     * Pooled connections a server keeps open to PostgreSQL even when idle (its heartbeat uses one every two seconds):
     * the next write, or the next change to apply, finds one ready. Tools and tests keep none.
     */
    static final int SERVER_WARM_CONNECTIONS = 2;

    private final String url;
    private final Properties properties;
    private final boolean sqlite;
    /** SQLite has one writer; serialising our transactions avoids SQLITE_BUSY under load. */
    private final ReentrantLock sqliteLock = new ReentrantLock();
    /** Held by a server's store for its life ({@link #openForServer}); empty for tools and tests. */
    private volatile ServerLock serverLock;
    /** PostgreSQL only: where transactions take their connections; null for SQLite. */
    private final HikariDataSource pool;

    /** The most connections one instance keeps to PostgreSQL: API writes, heartbeat, watcher and provisioning. */
    static final int POOL_MAX = 8;
    /** How long a pooled connection may stay unused before it is closed (HikariCP's least). */
    static final Duration POOL_IDLE = Duration.ofSeconds(10);
    /** How long a transaction waits for a pooled connection before it fails as the store being unreachable. */
    static final Duration POOL_WAIT = Duration.ofSeconds(10);

    /** @param warm connections kept open even when idle: a server's, so that its first write after a quiet spell is fast */
    private Database(String url, Properties properties, int warm) {
        this.url = url;
        this.properties = properties;
        this.sqlite = url.startsWith("jdbc:sqlite:");
        this.pool = sqlite ? null : pool(url, properties, warm);
    }

    private static HikariDataSource pool(String url, Properties properties, int warm) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("p2sgw-store");
        c.setJdbcUrl(url);
        c.setDataSourceProperties(properties);
        c.setAutoCommit(false);
        c.setMaximumPoolSize(POOL_MAX);
        c.setMinimumIdle(warm);
        c.setIdleTimeout(POOL_IDLE.toMillis());
        c.setConnectionTimeout(POOL_WAIT.toMillis());
        // Opened on first use, not here: a store that is down is reported by the first transaction, as before.
        c.setInitializationFailTimeout(-1);
        c.addDataSourceProperty("tcpKeepAlive", "true");
        return new HikariDataSource(c);
    }

    public static String sqliteUrl(Path dataDir) {
        return "jdbc:sqlite:" + dataDir.resolve(SQLITE_FILE).toAbsolutePath();
    }

    /** Opens and migrates. User and password may also be given inside the URL (PostgreSQL). */
    public static Database open(String jdbcUrl, String user, String password) {
        Properties p = properties(user, password);
        requireSupported(jdbcUrl);
        migrate(jdbcUrl, user, password);
        return new Database(jdbcUrl, p, 0);
    }

    /**
     * Opens a server's store. An SQLite store is first locked to this server ({@link ServerLock}: a second server
     * would neither migrate the schema under the first nor serve a stale gateway); a PostgreSQL store is shared by
     * several instances (Flyway serialises their migrations with a lock of its own). {@link #close()} frees the lock.
     *
     * @throws StoreInUseException when another live server uses the SQLite store
     */
    public static Database openForServer(String jdbcUrl, String user, String password) {
        Properties p = properties(user, password);
        requireSupported(jdbcUrl);
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            Database db = new Database(jdbcUrl, p, 0);
            db.serverLock = ServerLock.acquireSqlite(jdbcUrl, db.describe());
            try {
                migrate(jdbcUrl, user, password);
            } catch (RuntimeException e) {
                db.close();
                throw e;
            }
            return db;
        }
        migrate(jdbcUrl, user, password);
        return new Database(jdbcUrl, p, SERVER_WARM_CONNECTIONS);
    }

    private static void migrate(String jdbcUrl, String user, String password) {
        Flyway.configure(Database.class.getClassLoader())
                .dataSource(jdbcUrl, user, password)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    private static Properties properties(String user, String password) {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        return p;
    }

    private static void requireSupported(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:sqlite:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("unsupported database URL (expected jdbc:sqlite:... or jdbc:postgresql:...)");
        }
    }

    public static Database open(String jdbcUrl) {
        return open(jdbcUrl, null, null);
    }

    public boolean isSqlite() {
        return sqlite;
    }

    /** True for a PostgreSQL store, the one several instances can share. */
    public boolean isPostgresql() {
        return !sqlite;
    }

    /**
     * A connection of its own, outside any transaction, for what lasts longer than a unit of work (PostgreSQL
     * {@code LISTEN}). The caller closes it. TCP keepalive is on so that a dead store is noticed.
     */
    public Connection openDedicatedConnection() throws SQLException {
        Properties p = new Properties();
        p.putAll(properties);
        if (!sqlite) {
            p.setProperty("tcpKeepAlive", "true");
        }
        return DriverManager.getConnection(url, p);
    }

    /**
     * {@link #inTransaction} for a write that other instances must learn of: the store's change counter moves, and
     * they are notified, when it commits ({@link StoreChanges}).
     */
    public <T> T inChangingTransaction(Work<T> work) {
        return inTransaction(c -> {
            T result = work.run(c);
            StoreChanges.record(c, !sqlite);
            return result;
        });
    }

    /** What the store is, for logs, without credentials. */
    public String describe() {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    public <T> T inTransaction(Work<T> work) {
        if (sqlite) {
            sqliteLock.lock();
        }
        try (Connection c = sqlite ? DriverManager.getConnection(url, properties) : pool.getConnection()) {
            if (sqlite) {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA busy_timeout = " + SQLITE_BUSY_TIMEOUT_MS);
                }
            }
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("database error: " + e.getMessage(), e);
        } finally {
            if (sqlite) {
                sqliteLock.unlock();
            }
        }
    }

    /** Frees the server lock, if this store holds one, and closes the pooled connections (PostgreSQL). */
    @Override
    public void close() {
        ServerLock lock = serverLock;
        serverLock = null;
        if (lock != null) {
            lock.close();
        }
        if (pool != null) {
            pool.close();
        }
    }
}
