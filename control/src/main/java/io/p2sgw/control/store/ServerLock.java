package io.p2sgw.control.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes a server the only one using its SQLite store, for as long as it runs. SQLite is the embedded store of one
 * instance: it has no way to tell another process of a change (as PostgreSQL's {@code LISTEN/NOTIFY} does), so a second server on the same file would serve a stale gateway — a revocation
 * written through one would never be enforced by the other. It refuses to start instead
 * ({@link StoreInUseException}) and says to use PostgreSQL for several instances (issue 17).
 *
 * <p>The lock is an exclusive lock on a file next to the database ({@code p2sgw.db.server-lock}). SQLite's own
 * locks guard only one transaction at a time, and the database file itself is not locked by us: POSIX locks are
 * per process, and closing any descriptor of a file drops all of them, which would break SQLite's. The kernel
 * frees the lock when the process ends.
 *
 * <p>A PostgreSQL store takes no lock: several instances share it ({@code io.p2sgw.control.instance}).
 */
public final class ServerLock implements AutoCloseable {
    static final String LOCK_FILE_SUFFIX = ".server-lock";

    private final AutoCloseable held;

    private ServerLock(AutoCloseable held) {
        this.held = held;
    }

    /**
     * Takes the lock of the SQLite store at {@code jdbcUrl}, or throws {@link StoreInUseException} when another
     * live server has it.
     */
    public static ServerLock acquireSqlite(String jdbcUrl, String describedStore) {
        if (!jdbcUrl.startsWith("jdbc:sqlite:")) {
            throw new IllegalArgumentException("only an SQLite store is locked to one server");
        }
        return sqlite(jdbcUrl, describedStore);
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
        return "The SQLite store " + store + " is in use by " + holder + ". An SQLite store serves one instance: a"
                + " second one would not learn of changes made through the first (a revoked certificate would still"
                + " connect through it). Stop the other server, give this one a data directory of its own, or run"
                + " several instances on one PostgreSQL store (--database-url jdbc:postgresql://...).";
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
