package io.p2sgw.api.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * API roles, named after Azure's built-in roles: Reader may read (GET), as Azure's Reader holds only read
 * operations; Contributor may do everything, including every POST action (connection health, disconnect,
 * client packages), as in Azure (azure-p2s.md §6.1).
 */
public enum Role {
    CONTRIBUTOR("Contributor"),
    READER("Reader");

    private final String displayName;

    Role(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    public static Optional<Role> parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (Role r : values()) {
            if (r.displayName.toLowerCase(Locale.ROOT).equals(t)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
