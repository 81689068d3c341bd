package io.p2sgw.control.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Client package download links in the store (issue 17): a link issued through one instance downloads through any
 * other, and survives a restart. Only the SHA-256 of a link's token is stored, like the API tokens'.
 */
public final class PackageLinkRepository {
    /** A stored package. */
    public record StoredPackage(String fileName, byte[] zip, Instant expiresAt) {}

    private final Database db;

    public PackageLinkRepository(Database db) {
        this.db = db;
    }

    /** Stores a package, forgets expired ones and the oldest beyond {@code max}. */
    public void insert(String tokenHash, String fileName, byte[] zip, Instant now, Instant expiresAt, int max) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM package_links WHERE expires_at <= ?")) {
                s.setLong(1, now.toEpochMilli());
                s.executeUpdate();
            }
            // SQLite needs a LIMIT before an OFFSET (-1: none); PostgreSQL takes an OFFSET alone.
            try (PreparedStatement s = c.prepareStatement("DELETE FROM package_links WHERE token_hash IN (SELECT token_hash"
                    + " FROM package_links ORDER BY created_seq DESC " + (db.isSqlite() ? "LIMIT -1 " : "") + "OFFSET ?)")) {
                s.setInt(1, max - 1);
                s.executeUpdate();
            }
            long seq;
            try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(created_seq), 0) + 1 FROM package_links");
                 ResultSet r = s.executeQuery()) {
                r.next();
                seq = r.getLong(1);
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO package_links (token_hash, file_name, zip_base64,"
                    + " created_seq, expires_at) VALUES (?, ?, ?, ?, ?)")) {
                s.setString(1, tokenHash);
                s.setString(2, fileName);
                s.setString(3, Base64.getEncoder().encodeToString(zip));
                s.setLong(4, seq);
                s.setLong(5, expiresAt.toEpochMilli());
                return s.executeUpdate();
            }
        });
    }

    /** The package behind a token's hash, if it has not expired at {@code now}. */
    public Optional<StoredPackage> get(String tokenHash, Instant now) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT file_name, zip_base64, expires_at FROM package_links WHERE token_hash = ? AND expires_at > ?")) {
                s.setString(1, tokenHash);
                s.setLong(2, now.toEpochMilli());
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(new StoredPackage(r.getString(1), Base64.getDecoder().decode(r.getString(2)),
                            Instant.ofEpochMilli(r.getLong(3)))) : Optional.empty();
                }
            }
        });
    }
}
