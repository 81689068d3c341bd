package io.p2sgw.control.instance;

import io.p2sgw.control.store.Database;
import io.p2sgw.control.store.StoreChanges;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns of writes made through the other instances sharing a PostgreSQL store (issue 17; DESIGN.md "Scale"): it
 * {@code LISTEN}s on {@link StoreChanges#CHANNEL} on a connection of its own and, when a notification arrives or
 * every {@code versionCheckInterval} in case one was missed (a dropped connection, a listener started after the
 * write), reads the store's change counter; when that moved, it runs {@code onChange} (re-read the instances,
 * recompile and apply the snapshot). Its own writes come back too; applying an unchanged snapshot is a no-op.
 *
 * <p>One thread, which blocks in PgJDBC's {@link PGConnection#getNotifications(int)} at most {@link #POLL} at a time:
 * a notification is acted upon as soon as it arrives, well within the second the issue asks for.
 */
public final class StoreChangeWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreChangeWatcher.class);
    /** The longest wait for a notification; also how soon {@link #close()} is noticed. */
    static final Duration POLL = Duration.ofMillis(500);
    /** How often the counter is compared even without a notification. */
    public static final Duration VERSION_CHECK_INTERVAL = Duration.ofSeconds(5);
    /** After a failure (store unreachable), wait this long before listening again. */
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final Database db;
    private final Duration versionCheckInterval;
    private final Runnable onChange;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection listening;
    private long seenVersion;

    private StoreChangeWatcher(Database db, Duration versionCheckInterval, Runnable onChange) {
        this.db = db;
        this.versionCheckInterval = versionCheckInterval;
        this.onChange = onChange;
        this.thread = Thread.ofPlatform().daemon().name("p2sgw-store-changes").unstarted(this::run);
    }

    /**
     * Starts watching a PostgreSQL store; {@code onChange} runs on the watcher's thread. The counter as of now is
     * taken as seen: the caller has just read the store.
     */
    public static StoreChangeWatcher start(Database db, Duration versionCheckInterval, Runnable onChange) {
        if (!db.isPostgresql()) {
            throw new IllegalArgumentException("only a PostgreSQL store is shared by several instances");
        }
        StoreChangeWatcher w = new StoreChangeWatcher(db, Objects.requireNonNull(versionCheckInterval), onChange);
        w.seenVersion = db.inTransaction(StoreChanges::version);
        w.listen(); // listening before start() returns: no write after it goes unnoticed until the next check
        w.thread.start();
        return w;
    }

    private void run() {
        long nextCheck = System.nanoTime() + versionCheckInterval.toNanos();
        while (running) {
            try {
                boolean notified = awaitNotification();
                if (notified || System.nanoTime() - nextCheck >= 0) {
                    nextCheck = System.nanoTime() + versionCheckInterval.toNanos();
                    checkVersion();
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("watching the store for changes by other instances: {}; retrying in {}", e.toString(), RETRY);
                closeListening();
                sleep(RETRY);
            }
        }
    }

    /** True when at least one notification arrived within {@link #POLL}. */
    private boolean awaitNotification() throws SQLException {
        Connection c = listening;
        if (c == null) {
            c = listen();
            // Anything written while no one listened is found by the version check that follows.
            return true;
        }
        PGNotification[] n = c.unwrap(PGConnection.class).getNotifications((int) POLL.toMillis());
        return n != null && n.length > 0;
    }

    private Connection listen() {
        try {
            Connection c = db.openDedicatedConnection();
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN " + StoreChanges.CHANNEL);
            }
            listening = c;
            return c;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot LISTEN on the store: " + e.getMessage(), e);
        }
    }

    private void checkVersion() {
        long version = db.inTransaction(StoreChanges::version);
        if (version != seenVersion) {
            onChange.run(); // if it fails, the next check runs it again
            seenVersion = version;
        }
    }

    private void closeListening() {
        Connection c = listening;
        listening = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the connection is already broken; a new one is opened
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(POLL.multipliedBy(4).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeListening();
    }
}
