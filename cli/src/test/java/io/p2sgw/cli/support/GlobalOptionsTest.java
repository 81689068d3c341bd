package io.p2sgw.cli.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.cli.arm.ClientSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class GlobalOptionsTest {
    @Command(name = "t")
    static final class Holder implements Runnable {
        @Mixin GlobalOptions g;

        @Override
        public void run() {
        }
    }

    private static GlobalOptions parse(String... args) {
        Holder h = new Holder();
        new CommandLine(h).parseArgs(args);
        return h.g;
    }

    private static final CliConfig CONFIG = new CliConfig(Optional.of("https://config:1"), Optional.of("config-token"), Optional.of("/config/ca.pem"));
    private static final Map<String, String> ENV = Map.of("P2SGW_ENDPOINT", "https://env:2", "P2SGW_TOKEN", "env-token");

    @Test
    void flagBeatsEnvironmentBeatsConfig() {
        ClientSettings flag = parse("--endpoint", "https://flag:3", "--token", "flag-token").resolve(ENV, CONFIG);
        assertEquals("https://flag:3", flag.endpoint().toString());
        assertEquals("flag-token", flag.token());
        ClientSettings env = parse().resolve(ENV, CONFIG);
        assertEquals("https://env:2", env.endpoint().toString());
        assertEquals("env-token", env.token());
        assertEquals(Optional.of(Path.of("/config/ca.pem")), env.caFile());
        ClientSettings config = parse().resolve(Map.of(), CONFIG);
        assertEquals("https://config:1", config.endpoint().toString());
        assertEquals("config-token", config.token());
    }

    @Test
    void defaultsAndMissingValues() {
        ClientSettings s = parse().resolve(ENV, CliConfig.empty());
        assertEquals(ClientSettings.DEFAULT_SUBSCRIPTION, s.subscription());
        assertEquals(OutputFormat.json, parse().output());
        assertEquals(OutputFormat.table, parse("-o", "table").output());
        assertEquals("s2", parse("--subscription", "s2").resolve(ENV, CliConfig.empty()).subscription());
        UsageException e = assertThrows(UsageException.class, () -> parse().resolve(Map.of(), CliConfig.empty()));
        assertTrue(e.getMessage().contains("p2sgw login"), e.getMessage());
        // The server prints where its admin token is, never the token: the hint names that file (issue 16).
        assertTrue(e.getMessage().contains("admin-token"), e.getMessage());
        UsageException noToken = assertThrows(UsageException.class,
                () -> parse("--endpoint", "https://gw:8443").resolve(Map.of(), CliConfig.empty()));
        assertTrue(noToken.getMessage().contains("--token \"$(cat data/admin-token)\""), noToken.getMessage());
        assertThrows(UsageException.class, () -> parse("--endpoint", "not a uri").resolve(ENV, CliConfig.empty()));
    }

    @Test
    void configFileIsPrivateAndRoundTrips(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/config.json");
        CONFIG.write(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        CliConfig back = CliConfig.read(file);
        assertEquals(CONFIG, back);
        assertTrue(!back.toString().contains("config-token"));
        assertEquals(file, CliConfig.defaultPath(Map.of("P2SGW_CONFIG", file.toString())));
        assertEquals(CliConfig.empty(), CliConfig.read(dir.resolve("missing.json")));
    }
}
