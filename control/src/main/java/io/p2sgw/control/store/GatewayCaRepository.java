package io.p2sgw.control.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/** The store's one gateway CA, as PEM (issue 17: created once per store, not per instance). */
public final class GatewayCaRepository {
    /** The CA as stored: certificate and unencrypted PKCS#8 private key, PEM. */
    public record StoredCa(String certificatePem, String privateKeyPem, String createdBy) {}

    private static final int ROW_ID = 1;
    private final Database db;

    public GatewayCaRepository(Database db) {
        this.db = db;
    }

    public Optional<StoredCa> get() {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT certificate_pem, private_key_pem, created_by FROM gateway_ca WHERE id = ?")) {
                s.setInt(1, ROW_ID);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(new StoredCa(r.getString(1), r.getString(2), r.getString(3))) : Optional.empty();
                }
            }
        });
    }

    /**
     * Stores {@code ca} unless the store already has one, and returns the store's CA afterwards: when two instances
     * start on an empty store at once, both get the one that was stored first.
     */
    public StoredCa putIfAbsent(StoredCa ca) {
        try {
            db.inTransaction(c -> {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO gateway_ca (id, certificate_pem, private_key_pem,"
                        + " created_by, created_at) SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM gateway_ca WHERE id = ?)")) {
                    s.setInt(1, ROW_ID);
                    s.setString(2, ca.certificatePem());
                    s.setString(3, ca.privateKeyPem());
                    s.setString(4, ca.createdBy());
                    s.setString(5, Instant.now().toString());
                    s.setInt(6, ROW_ID);
                    return s.executeUpdate();
                }
            });
        } catch (StoreException e) {
            // Lost a race on the primary key (PostgreSQL, concurrent first starts): the winner's CA is read below.
        }
        return get().orElseThrow(() -> new StoreException("the gateway CA was neither stored nor found", null));
    }
}
