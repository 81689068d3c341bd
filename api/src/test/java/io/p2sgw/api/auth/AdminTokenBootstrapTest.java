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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin token of a store is made once; a server with another data directory never replaces it (issue 12). */
class AdminTokenBootstrapTest {
    @TempDir
    Path dir;

    private TokenService tokensOf(Database store) {
        return new TokenService(new TokenRepository(store), new SecureRandom());
    }

    @Test
    void aServerWithAnotherDataDirectoryDoesNotReplaceTheStoresAdminToken() throws Exception {
        Database store = Database.open(Database.sqliteUrl(dir));
        TokenService tokens = tokensOf(store);
        String first = tokens.bootstrapAdmin(dir.resolve("first"), false);

        Path secondDir = dir.resolve("second");
        AdminTokenConflictException e = assertThrows(AdminTokenConflictException.class,
                () -> tokens.bootstrapAdmin(secondDir, false));
        assertTrue(e.getMessage().contains("--new-admin-token"), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertTrue(tokens.authenticate(first).isPresent(), "the first server's admin token still works");
        assertTrue(Files.notExists(secondDir.resolve(TokenService.ADMIN_TOKEN_FILE)));

        // A data directory holding some other token is refused the same way.
        Files.createDirectories(secondDir);
        Files.writeString(secondDir.resolve(TokenService.ADMIN_TOKEN_FILE), "p2sgw_somethingelse\n");
        assertTrue(assertThrows(AdminTokenConflictException.class, () -> tokens.bootstrapAdmin(secondDir, false))
                .getMessage().contains("holds another one"));
        assertTrue(tokens.authenticate(first).isPresent());
    }

    @Test
    void restartsReuseTheFileAndANewStoreTakesItOver() throws Exception {
        Path data = dir.resolve("data");
        String token = tokensOf(Database.open(Database.sqliteUrl(dir))).bootstrapAdmin(data, false);
        assertEquals(token, tokensOf(Database.open(Database.sqliteUrl(dir))).bootstrapAdmin(data, false));
        // Switching to another (empty) store registers the token the data directory already has.
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        TokenService moved = tokensOf(Database.open(Database.sqliteUrl(other)));
        assertEquals(token, moved.bootstrapAdmin(data, false));
        assertTrue(moved.authenticate(token).isPresent());
    }

    @Test
    void replacingIsExplicit() {
        TokenService tokens = tokensOf(Database.open(Database.sqliteUrl(dir)));
        String first = tokens.bootstrapAdmin(dir.resolve("first"), false);
        String replaced = tokens.bootstrapAdmin(dir.resolve("second"), true);
        assertNotEquals(first, replaced);
        assertTrue(tokens.authenticate(first).isEmpty(), "the old admin token stops working");
        assertTrue(tokens.authenticate(replaced).isPresent());
    }
}
