package io.p2sgw.apitests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code --version} prints the build's version on every command (issue 16): the top-level command printed "dev"
 * (no Implementation-Version in the jar) and subcommands printed an empty line.
 */
class CliVersionTest {
    @Test
    void everyCommandPrintsTheBuildVersion() {
        String top = Cli.run("--version").ok().out().strip();
        assertTrue(top.matches("p2sgw \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), top);
        for (String[] args : new String[][] {{"network", "--version"}, {"network", "vnet-gateway", "create", "--version"},
            {"pki", "client", "create", "--version"}, {"server", "--version"}}) {
            assertEquals(top, Cli.run(args).ok().out().strip(), String.join(" ", args));
        }
    }
}
