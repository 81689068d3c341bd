package io.p2sgw.lab;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Semaphore;

/**
 * One lab at a time on a host: every lab uses the same addresses (198.51.100.0/24, the host leg .1, the
 * gateway .4), so two at once would route into each other. The lock is a file lock (across processes: test
 * JVMs, the demo, the benchmark) plus an in-JVM permit (file locks are per process). The permit is a semaphore,
 * not an owner-bound lock: a lab may be closed by another thread than the one that built it (the bench's shutdown
 * hook on Ctrl-C or SIGTERM), and releasing a {@code ReentrantLock} there threw IllegalMonitorStateException.
 */
final class LabLock implements AutoCloseable {
    static final Path LOCK_FILE = Path.of("/run/lock/p2sgw-lab.lock");
    private static final Semaphore IN_JVM = new Semaphore(1);

    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private LabLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Blocks until no other lab runs on this host; says so when it has to wait. */
    static LabLock acquire() {
        if (!IN_JVM.tryAcquire()) {
            System.err.println("[lab] waiting for another lab in this JVM to finish ...");
            IN_JVM.acquireUninterruptibly();
        }
        try {
            Files.createDirectories(LOCK_FILE.getParent());
            FileChannel ch = FileChannel.open(LOCK_FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                System.err.println("[lab] waiting for another lab on this host to finish (lock " + LOCK_FILE + ") ...");
                l = ch.lock();
            }
            return new LabLock(ch, l);
        } catch (IOException | RuntimeException e) {
            IN_JVM.release();
            throw new LabException("cannot take the lab lock " + LOCK_FILE + ": " + e.getMessage(), e);
        }
    }

    /** Releases the lab to the next one; any thread may call it, and a second call does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the lock goes with the channel anyway
        } finally {
            IN_JVM.release();
        }
    }
}
