package io.p2sgw.lab;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The host-wide lab lock, without building a lab. */
@Timeout(600) // waits while another lab on the host holds the lock
class LabLockTest {

    /**
     * The bench's shutdown hook closes the lab on another thread than the one that built it. That close threw
     * IllegalMonitorStateException ("WARNING: lab teardown: java.lang.IllegalMonitorStateException" after a
     * SIGTERM) while the lock was an owner-bound ReentrantLock.
     */
    @Test
    void aLabLockTakenOnOneThreadCanBeReleasedOnAnotherAndTakenAgain() throws Exception {
        assumeTrue(Files.isWritable(LabLock.LOCK_FILE.getParent()) || Files.isWritable(LabLock.LOCK_FILE),
                "needs write access to " + LabLock.LOCK_FILE.getParent());
        LabLock first = CompletableFuture.supplyAsync(LabLock::acquire).get(600, TimeUnit.SECONDS);
        AtomicReference<Throwable> closeFailure = new AtomicReference<>();
        Thread closer = Thread.ofPlatform().name("teardown-hook").start(() -> {
            try {
                first.close();
                first.close(); // a second close (the hook after the normal teardown) does nothing
            } catch (Throwable t) {
                closeFailure.set(t);
            }
        });
        closer.join();
        assertNull(closeFailure.get(), () -> "closing on another thread failed: " + closeFailure.get());
        // Released for real: it can be taken again. Before the fix the permit stayed taken and this waited forever.
        CompletableFuture<LabLock> again = CompletableFuture.supplyAsync(LabLock::acquire);
        try {
            again.get(120, TimeUnit.SECONDS).close();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the lab lock was not free again 120 s after it was closed", e);
        }
    }
}
