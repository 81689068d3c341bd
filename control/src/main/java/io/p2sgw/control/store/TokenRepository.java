package io.p2sgw.control.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** API tokens: name, role and the SHA-256 of the token. The token itself is never stored. */
public final class TokenRepository {
    public record TokenRow(String name, String role, String tokenHash, Instant createdAt) {}

    private final Database db;

    public TokenRepository(Database db) {
        this.db = db;
    }

    public boolean insert(String name, String role, String tokenHash) {
        return db.inTransaction(c -> {
            if (byName(c, name).isPresent()) {
                return false;
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO api_tokens (name, token_hash, role, created_at) VALUES (?, ?, ?, ?)")) {
                s.setString(1, name);
                s.setString(2, tokenHash);
                s.setString(3, role);
                s.setString(4, Instant.now().toString());
                s.executeUpdate();
            }
            return true;
        });
    }

    private static Optional<TokenRow> byName(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT name, role, token_hash, created_at FROM api_tokens WHERE name = ?")) {
            s.setString(1, name);
            return one(s);
        }
    }

    private static Optional<TokenRow> one(PreparedStatement s) throws SQLException {
        try (ResultSet r = s.executeQuery()) {
            return r.next() ? Optional.of(new TokenRow(r.getString(1), r.getString(2), r.getString(3),
                    Instant.parse(r.getString(4)))) : Optional.empty();
        }
    }

    public Optional<TokenRow> byHash(String tokenHash) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT name, role, token_hash, created_at FROM api_tokens WHERE token_hash = ?")) {
                s.setString(1, tokenHash);
                return one(s);
            }
        });
    }

    public List<TokenRow> list() {
        return db.inTransaction(c -> {
            List<TokenRow> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT name, role, token_hash, created_at FROM api_tokens ORDER BY created_at, name");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new TokenRow(r.getString(1), r.getString(2), r.getString(3), Instant.parse(r.getString(4))));
                }
            }
            return out;
        });
    }

    public boolean delete(String name) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM api_tokens WHERE name = ?")) {
                s.setString(1, name);
                return s.executeUpdate() == 1;
            }
        });
    }

    public int count() {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM api_tokens"); ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        });
    }
}
