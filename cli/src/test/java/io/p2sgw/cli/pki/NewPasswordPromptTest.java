package io.p2sgw.cli.pki;

import static io.p2sgw.cli.pki.PkiCreateCommandsTest.pki;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.cli.support.Terminal;
import io.p2sgw.cli.testing.CliRun;
import io.p2sgw.cli.testing.ScriptedTerminal;
import io.p2sgw.pki.Pkcs12;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new password given without a value is asked twice and must match (issue 16): a mistyped .pfx password was
 * only noticed on the client, when the .pfx would not import.
 */
class NewPasswordPromptTest {
    @TempDir Path dir;

    @AfterEach
    void restore() {
        Terminal.forTests(null);
    }

    private Path root() {
        Path root = dir.resolve("root");
        assertEquals(0, pki("root", "create", "--cn", "P2SRootCert", "--out", root.toString(), "--key-type", "ec256").exitCode());
        return root;
    }

    @Test
    void pfxPasswordIsAskedTwice() throws Exception {
        Path root = root();
        ScriptedTerminal t = new ScriptedTerminal("s3cret", "s3cret");
        Terminal.forTests(Optional.of(t));
        CliRun r = pki("client", "create", "--ca", root.toString(), "--cn", "P2SChildCert", "--key-type", "ec256",
                "--pfx-password", "--out", dir.resolve("c").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(2, t.prompts().size(), t.prompts().toString());
        assertTrue(t.prompts().get(1).startsWith("Repeat"), t.prompts().toString());
        Pkcs12.read(dir.resolve("c/P2SChildCert.pfx"), "s3cret".toCharArray());
    }

    @Test
    void differentAnswersWriteNothing() {
        Path root = root();
        Terminal.forTests(Optional.of(new ScriptedTerminal("s3cret", "s3cre7")));
        CliRun r = pki("client", "create", "--ca", root.toString(), "--cn", "P2SChildCert", "--key-type", "ec256",
                "--pfx-password", "--out", dir.resolve("c").toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("do not match"), r.err());
        assertFalse(Files.exists(dir.resolve("c/P2SChildCert.pfx")));
        assertFalse(Files.exists(dir.resolve("c/P2SChildCert.key.pem")));
    }

    @Test
    void newRootKeyPasswordIsAskedTwiceToo() {
        Terminal.forTests(Optional.of(new ScriptedTerminal("a", "b")));
        CliRun r = pki("root", "create", "--cn", "R", "--out", dir.resolve("r").toString(), "--key-type", "ec256", "--password");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("do not match"), r.err());
        assertFalse(Files.exists(dir.resolve("r/ca.key.pem")));
    }

    @Test
    void withoutATerminalTheValueMustBeGiven() {
        Path root = root();
        Terminal.forTests(Optional.empty());
        CliRun r = pki("client", "create", "--ca", root.toString(), "--cn", "P2SChildCert", "--key-type", "ec256",
                "--pfx-password", "--out", dir.resolve("c").toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("give it as --pfx-password VALUE"), r.err());
    }
}
