package io.p2sgw.cli.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * The file {@code p2sgw login} writes: endpoint, token and CA file. It holds a secret, so it is created
 * with mode 0600 (its directory 0700) before the token is written into it.
 *
 * @param endpoint base URI of the API
 * @param token    bearer token
 * @param caFile   absolute path of the server CA's PEM file, if one was given
 */
public record CliConfig(Optional<String> endpoint, Optional<String> token, Optional<String> caFile) {
    /** Environment variable naming the config file. */
    public static final String ENV_CONFIG = "P2SGW_CONFIG";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code $P2SGW_CONFIG}, else {@code ~/.config/p2sgw/config.json}. */
    public static Path defaultPath(Map<String, String> env) {
        String p = env.get(ENV_CONFIG);
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        return Path.of(System.getProperty("user.home"), ".config", "p2sgw", "config.json");
    }

    public static CliConfig empty() {
        return new CliConfig(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Reads the file; a missing file is an empty config. */
    public static CliConfig read(Path file) {
        if (!Files.isRegularFile(file)) {
            return empty();
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            return new CliConfig(text(n, "endpoint"), text(n, "token"), text(n, "caFile"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config " + file + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> text(JsonNode n, String field) {
        return Optional.ofNullable(n.get(field)).map(JsonNode::asText).filter(s -> !s.isBlank());
    }

    /** Writes atomically: a fresh 0600 temp file in the same directory, then a rename. */
    public void write(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            ObjectNode n = JSON.createObjectNode();
            endpoint.ifPresent(v -> n.put("endpoint", v));
            token.ifPresent(v -> n.put("token", v));
            caFile.ifPresent(v -> n.put("caFile", v));
            Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException e) {
                throw new IOException("concurrent login writing " + tmp, e);
            }
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write config " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "CliConfig[endpoint=" + endpoint + ", token=" + (token.isPresent() ? "<set>" : "<none>") + ", caFile=" + caFile + "]";
    }
}
