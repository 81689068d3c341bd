package io.p2sgw.control.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.p2sgw.control.store.Database;
import java.nio.file.Path;

/** The two stores every repository test runs against. */
public enum StoreKind {
    SQLITE, POSTGRESQL;

    /** A fresh store's JDBC URL; PostgreSQL tests are skipped with the reason when its binaries are absent. */
    public String newUrl(Path tempDir) {
        if (this == SQLITE) {
            return Database.sqliteUrl(tempDir);
        }
        var reason = LocalPostgres.unavailableReason();
        assumeTrue(reason.isEmpty(), () -> "skipping PostgreSQL store test: " + reason.orElse(""));
        return LocalPostgres.get().newDatabase();
    }
}
