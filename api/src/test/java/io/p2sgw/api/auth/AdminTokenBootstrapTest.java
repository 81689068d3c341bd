package io.p2sgw.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.control.store.Database;
import io.p2sgw.control.store.TokenRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin token of a store is made once; an instance with another data directory never replaces it (issues 12, 17). */
class AdminTokenBootstrapTest {
    @TempDir
    Path dir;

    private TokenService tokensOf(Database store) {
        return new TokenService(new TokenRepository(store), new SecureRandom());
    }

    @Test
    void anInstanceWithAnotherDataDirectoryJoinsTheStoreWithoutReplacingItsAdminToken() throws Exception {
        Database store = Database.open(Database.sqliteUrl(dir));
        TokenService tokens = tokensOf(store);
        String first = tokens.bootstrapAdmin(dir.resolve("first"), false).orElseThrow();

        // Issue 17: several instances share one store and its one admin token; the second has no copy of it.
        Path secondDir = dir.resolve("second");
        assertEquals(Optional.empty(), tokens.bootstrapAdmin(secondDir, false));
        assertTrue(tokens.authenticate(first).isPresent(), "the first instance's admin token still works");
        assertTrue(Files.notExists(secondDir.resolve(TokenService.ADMIN_TOKEN_FILE)));
        assertEquals(1, tokens.list().size());

        // A data directory holding some other token is refused: it belongs to another store.
        Files.createDirectories(secondDir);
        Files.writeString(secondDir.resolve(TokenService.ADMIN_TOKEN_FILE), "p2sgw_somethingelse\n");
        AdminTokenConflictException e = assertThrows(AdminTokenConflictException.class,
                () -> tokens.bootstrapAdmin(secondDir, false));
        assertTrue(e.getMessage().contains("holds another one") && e.getMessage().contains("--new-admin-token"),
                e.getMessage());
        assertTrue(tokens.authenticate(first).isPresent());
    }

    @Test
    void restartsReuseTheFileAndANewStoreTakesItOver() throws Exception {
        Path data = dir.resolve("data");
        String token = tokensOf(Database.open(Database.sqliteUrl(dir))).bootstrapAdmin(data, false).orElseThrow();
        assertEquals(Optional.of(token), tokensOf(Database.open(Database.sqliteUrl(dir))).bootstrapAdmin(data, false));
        // Switching to another (empty) store registers the token the data directory already has.
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        TokenService moved = tokensOf(Database.open(Database.sqliteUrl(other)));
        assertEquals(Optional.of(token), moved.bootstrapAdmin(data, false));
        assertTrue(moved.authenticate(token).isPresent());
    }

    @Test
    void replacingIsExplicit() {
        TokenService tokens = tokensOf(Database.open(Database.sqliteUrl(dir)));
        String first = tokens.bootstrapAdmin(dir.resolve("first"), false).orElseThrow();
        String replaced = tokens.bootstrapAdmin(dir.resolve("second"), true).orElseThrow();
        assertNotEquals(first, replaced);
        assertTrue(tokens.authenticate(first).isEmpty(), "the old admin token stops working");
        assertTrue(tokens.authenticate(replaced).isPresent());
    }
}
