package io.p2sgw.lab;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A lone namespace for a test (the data plane's TUN test), held like a lab. */
@Timeout(600) // waits while another lab on the host holds the lock
class LabNamespaceTest {

    @Test
    void aNamespaceIsHeldUnderTheLabLockWithARandomNameAndGoesWithItOnClose() throws Exception {
        Optional<String> why = Lab.whyUnavailable();
        assumeTrue(why.isEmpty(), () -> "skipped: " + why.orElse(""));
        LabNamespace ns = LabNamespace.create("nstest");
        try {
            assertTrue(ns.name().matches("p2sgw-[0-9a-f]{6}-nstest"), ns.name());
            assertTrue(ns.name().contains(ns.runId()), ns.name());
            assertTrue(ns.exists(), "created");
            assertTrue(ns.exec("ip", "link", "show", "lo").ok(), "commands run inside it");
            // This JVM holds the lab's file lock: a lab starting now would wait instead of removing the namespace.
            try (FileChannel ch = FileChannel.open(LabLock.LOCK_FILE, StandardOpenOption.WRITE)) {
                assertThrows(OverlappingFileLockException.class, ch::tryLock, "the lab lock is held");
            }
        } finally {
            ns.close();
        }
        assertFalse(ns.exists(), "deleted on close");
        ns.close(); // a second close does nothing
        try (FileChannel ch = FileChannel.open(LabLock.LOCK_FILE, StandardOpenOption.WRITE)) {
            FileLock free = ch.tryLock(); // null: another process's lab holds it now, which is fine
            if (free != null) {
                free.release();
            }
        }
    }

    @Test
    void aPurposeThatWouldMakeAnOddNameIsRefusedBeforeAnythingIsTaken() {
        assertThrows(IllegalArgumentException.class, () -> LabNamespace.create("../x"));
        assertThrows(IllegalArgumentException.class, () -> LabNamespace.create(""));
    }
}
