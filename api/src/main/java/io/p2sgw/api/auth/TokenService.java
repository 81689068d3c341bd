package io.p2sgw.api.auth;

import io.p2sgw.control.ArmException;
import io.p2sgw.control.store.StoreException;
import io.p2sgw.control.store.TokenRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Bearer tokens: random, shown once at creation, stored only as SHA-256. The first start writes an
 * admin (Contributor) token to {@code <data-dir>/admin-token} with mode 0600.
 */
public final class TokenService {
    public static final String ADMIN_TOKEN_FILE = "admin-token";
    public static final String ADMIN_NAME = "admin";
    /** 32 random bytes: 256 bits, as unguessable as a SAS signature. */
    private static final int TOKEN_BYTES = 32;
    private static final String TOKEN_PREFIX = "p2sgw_";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Longest part of an invalid name repeated in the error: one character more than a valid name may have. */
    private static final int MAX_NAME_ECHO = 65;
    /** Tokens longer than this are not even hashed. */
    public static final int MAX_TOKEN_LENGTH = 512;

    private final TokenRepository repository;
    private final SecureRandom random;

    public TokenService(TokenRepository repository, SecureRandom random) {
        this.repository = repository;
        this.random = random;
    }

    public record TokenInfo(String name, Role role, Instant createdAt) {}

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String newToken() {
        byte[] b = new byte[TOKEN_BYTES];
        random.nextBytes(b);
        return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Creates a token and returns it; this is the only time it is visible. */
    public String create(String name, Role role) {
        if (name == null || name.isEmpty()) {
            throw ArmException.badRequest("InvalidTokenName",
                    "The token name is empty: use 1-64 letters, digits, '.', '-' or '_', starting with a letter or digit.");
        }
        if (!NAME.matcher(name).matches()) {
            // A name longer than any valid one is cut in the answer: the request body is not echoed whole.
            String shown = name.length() > MAX_NAME_ECHO ? name.substring(0, MAX_NAME_ECHO) + "..." : name;
            throw ArmException.badRequest("InvalidTokenName", "Token name '" + shown
                    + "' is invalid: use 1-64 letters, digits, '.', '-' or '_', starting with a letter or digit.");
        }
        String token = newToken();
        if (!repository.insert(name, role.displayName(), hash(token))) {
            throw ArmException.conflict("TokenAlreadyExists", "A token named '" + name + "' already exists; delete it first.");
        }
        return token;
    }

    public Optional<Principal> authenticate(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        return repository.byHash(hash(token)).flatMap(r -> Role.parse(r.role()).map(role -> new Principal(r.name(), role)));
    }

    public List<TokenInfo> list() {
        return repository.list().stream()
                .map(r -> new TokenInfo(r.name(), Role.parse(r.role()).orElse(Role.READER), r.createdAt())).toList();
    }

    public boolean delete(String name) {
        return repository.delete(name);
    }

    /**
     * Makes sure {@code <dataDir>/admin-token} holds the store's admin (Contributor) token and returns it, or returns
     * empty when this instance joins a store whose admin token another instance made (issue 17: several instances
     * share one store and its one admin token; the token itself is never stored, so only the data directory of the
     * instance that made it holds it). A file left from an earlier start is reused (and registered if the store has
     * no admin token yet, e.g. after switching to PostgreSQL). The store's admin token is never replaced by a
     * starting server unless {@code replace} asks for it: that would log out everyone holding the current one.
     *
     * @param replace make a new admin token even if the store has one (the old one stops working)
     * @throws AdminTokenConflictException when this data directory holds another admin token than the store's
     */
    public Optional<String> bootstrapAdmin(Path dataDir, boolean replace) {
        Path file = dataDir.resolve(ADMIN_TOKEN_FILE);
        try {
            Optional<String> fromFile = Files.exists(file)
                    ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim()).filter(t -> !t.isEmpty() && t.length() <= MAX_TOKEN_LENGTH)
                    : Optional.empty();
            if (!replace && fromFile.isPresent() && authenticate(fromFile.get()).isPresent()) {
                return fromFile;
            }
            if (!replace) {
                // Of two instances starting at once on an empty store, one registers its token; the other joins.
                if (fromFile.isPresent()
                        ? repository.insert(ADMIN_NAME, Role.CONTRIBUTOR.displayName(), hash(fromFile.get()))
                        : storeHasAdmin()) {
                    return fromFile;
                }
                if (fromFile.isPresent()) {
                    throw new AdminTokenConflictException("The store already has an admin token, and " + file
                            + " holds another one: the store was set up by another server or data directory. Copy that"
                            + " server's admin-token file to " + file + ", delete " + file + " to join the store without"
                            + " an admin token here, or start with --new-admin-token to replace the store's admin token"
                            + " (the old one then stops working).");
                }
            }
            repository.delete(ADMIN_NAME);
            String token;
            try {
                token = create(ADMIN_NAME, Role.CONTRIBUTOR);
            } catch (ArmException | StoreException e) {
                if (!replace && storeHasAdmin()) {
                    return Optional.empty(); // another instance registered its token in the meantime
                }
                throw e;
            }
            Files.createDirectories(dataDir);
            Files.deleteIfExists(file);
            var perms = PosixFilePermissions.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            Files.createFile(file, perms);
            Files.writeString(file, token + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            return Optional.of(token);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private boolean storeHasAdmin() {
        return repository.list().stream().anyMatch(r -> r.name().equals(ADMIN_NAME));
    }
}
