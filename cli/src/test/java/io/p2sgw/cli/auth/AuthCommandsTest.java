package io.p2sgw.cli.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.p2sgw.cli.support.ArmCommand;
import io.p2sgw.cli.support.CliConfig;
import io.p2sgw.cli.testing.CliRun;
import io.p2sgw.cli.testing.FakeArmServer;
import io.p2sgw.cli.testing.FakeArmServer.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static FakeArmServer server() {
        return new FakeArmServer(r -> {
            if (!r.header("Authorization").equals("Bearer good")) {
                return Response.json(401, "{\"error\":{\"code\":\"AuthenticationFailed\",\"message\":\"Invalid bearer token.\"}}");
            }
            return switch (r.method() + " " + r.path()) {
                case "GET /providers/P2sgw/whoami" -> Response.json(200, "{\"name\":\"admin\",\"role\":\"Contributor\"}");
                case "POST /providers/P2sgw/tokens" -> Response.json(200, "{\"name\":\"ci\",\"role\":\"Reader\",\"token\":\"new-secret\"}");
                case "GET /providers/P2sgw/tokens" -> Response.json(200, "{\"value\":[{\"name\":\"admin\",\"role\":\"Contributor\"},{\"name\":\"ci\",\"role\":\"Reader\"}]}");
                case "DELETE /providers/P2sgw/tokens/ci" -> Response.json(204, "");
                default -> Response.json(404, "{\"error\":{\"code\":\"NotFound\",\"message\":\"no such token\"}}");
            };
        });
    }

    @AfterEach
    void resetEnv() {
        ArmCommand.environmentForTests(System.getenv());
    }

    @Test
    void loginVerifiesThenWritesAPrivateConfigThatLaterCommandsUse(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("p2sgw/config.json");
        ArmCommand.environmentForTests(Map.of(CliConfig.ENV_CONFIG, config.toString()));
        try (FakeArmServer s = server()) {
            CliRun bad = CliRun.of(new LoginCommand(), "--endpoint", s.base(), "--token", "bad");
            assertEquals(1, bad.exitCode());
            assertTrue(bad.err().contains("(AuthenticationFailed) Invalid bearer token."), bad.err());
            assertFalse(Files.exists(config), "a rejected token is not saved");

            CliRun ok = CliRun.of(new LoginCommand(), "--endpoint", s.base(), "--token", "good");
            assertEquals(0, ok.exitCode(), ok.err());
            assertEquals("admin", JSON.readTree(ok.out()).path("name").asText());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
            assertEquals(new CliConfig(Optional.of(s.base()), Optional.of("good"), Optional.empty()), CliConfig.read(config));

            // No --endpoint/--token: they come from the config written above.
            CliRun list = CliRun.of(new TokenCommand(), "list", "-o", "table");
            assertEquals(0, list.exitCode(), list.err());
            assertEquals("Name   Role\n-----  -----------\nadmin  Contributor\nci     Reader\n", list.out());
        }
    }

    @Test
    void loginTakesTheTokenFromTheEnvironmentSoItNeedNotBeOnTheCommandLine(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.json");
        try (FakeArmServer s = server()) {
            ArmCommand.environmentForTests(Map.of(CliConfig.ENV_CONFIG, config.toString()));
            CliRun none = CliRun.of(new LoginCommand(), "--endpoint", s.base());
            assertEquals(ArmCommand.EXIT_USAGE, none.exitCode());
            assertTrue(none.err().contains("P2SGW_TOKEN"), none.err());
            assertTrue(s.requests().isEmpty(), "nothing sent without a token");

            ArmCommand.environmentForTests(Map.of(CliConfig.ENV_CONFIG, config.toString(), "P2SGW_TOKEN", "good"));
            CliRun ok = CliRun.of(new LoginCommand(), "--endpoint", s.base());
            assertEquals(0, ok.exitCode(), ok.err());
            assertEquals("Bearer good", s.requests().getLast().header("Authorization"));
            assertEquals(Optional.of("good"), CliConfig.read(config).token());
        }
    }

    @Test
    void tokenCreateAndRevoke() throws Exception {
        try (FakeArmServer s = server()) {
            CliRun c = CliRun.of(new TokenCommand(), "create", "-n", "ci", "--role", "Reader", "--endpoint", s.base(), "--token", "good");
            assertEquals(0, c.exitCode(), c.err());
            assertEquals(JSON.readTree("{\"name\":\"ci\",\"role\":\"Reader\"}"), JSON.readTree(s.requests().getLast().body()));
            assertEquals("new-secret", JSON.readTree(c.out()).path("token").asText());
            CliRun r = CliRun.of(new TokenCommand(), "revoke", "-n", "ci", "--endpoint", s.base(), "--token", "good");
            assertEquals(0, r.exitCode(), r.err());
            assertEquals("DELETE", s.requests().getLast().method());
            CliRun missing = CliRun.of(new TokenCommand(), "revoke", "-n", "nope", "--endpoint", s.base(), "--token", "good");
            assertEquals(1, missing.exitCode());
            assertTrue(missing.err().contains("(NotFound) no such token"));
            CliRun badRole = CliRun.of(new TokenCommand(), "create", "-n", "x", "--role", "Owner", "--endpoint", s.base(), "--token", "good");
            assertEquals(2, badRole.exitCode(), "picocli rejects roles outside Contributor|Reader");
        }
    }
}
