package io.p2sgw.cli.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.cli.support.Terminal;
import io.p2sgw.cli.testing.CliRun;
import io.p2sgw.cli.testing.FakeArmServer;
import io.p2sgw.cli.testing.FakeArmServer.Response;
import io.p2sgw.cli.testing.ScriptedTerminal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code group delete} asks first unless {@code --yes}, as {@code az group delete}; without a terminal and without
 * {@code --yes} it deletes nothing and says why (issue 16).
 */
class GroupDeleteTest {
    private FakeArmServer server;

    @BeforeEach
    void start() {
        server = new FakeArmServer(r -> Response.json(200, ""));
    }

    @AfterEach
    void stop() {
        server.close();
        Terminal.forTests(null);
    }

    private CliRun delete(String... extra) {
        List<String> args = new ArrayList<>(List.of("delete", "-n", "TestRG1", "--endpoint", server.base(), "--token", "t"));
        args.addAll(List.of(extra));
        return CliRun.of(new GroupCommand(), args.toArray(String[]::new));
    }

    private long deletes() {
        return server.requests().stream().filter(r -> r.method().equals("DELETE")).count();
    }

    @Test
    void withoutATerminalAndWithoutYesNothingIsDeleted() {
        Terminal.forTests(Optional.empty());
        CliRun r = delete();
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(0, deletes(), "no DELETE sent");
        assertTrue(r.err().contains("no terminal to confirm on") && r.err().contains("--yes"), r.err());
    }

    @Test
    void theAnswerDecides() {
        ScriptedTerminal no = new ScriptedTerminal("n");
        Terminal.forTests(Optional.of(no));
        CliRun declined = delete();
        assertEquals(0, declined.exitCode(), declined.err());
        assertEquals(0, deletes());
        assertTrue(declined.err().contains("Nothing was deleted"), declined.err());
        assertTrue(no.prompts().getFirst().contains("TestRG1") && no.prompts().getFirst().contains("(y/n)"), no.prompts().toString());

        Terminal.forTests(Optional.of(new ScriptedTerminal("y")));
        assertEquals(0, delete().exitCode());
        assertEquals(1, deletes());
    }

    @Test
    void yesSkipsTheQuestion() {
        Terminal.forTests(Optional.empty());
        CliRun r = delete("--yes");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(1, deletes());
        assertTrue(server.requests().getLast().path().endsWith("/resourceGroups/TestRG1"));
    }
}
