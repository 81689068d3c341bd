package io.p2sgw.server;

import io.p2sgw.cli.auth.LoginCommand;
import io.p2sgw.cli.auth.TokenCommand;
import io.p2sgw.cli.host.StatusCommand;
import io.p2sgw.cli.group.GroupCommand;
import io.p2sgw.cli.network.NetworkCommand;
import io.p2sgw.cli.pki.PkiCommand;
import io.p2sgw.cli.support.CliVersion;
import io.p2sgw.dataplane.core.SocketPollers;
import io.p2sgw.lab.demo.DemoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code p2sgw} command: the server, the API client commands, the PKI toolkit and the demo. */
@Command(name = "p2sgw", mixinStandardHelpOptions = true,
        description = {"p2sgw: a self-hosted point-to-site VPN gateway with certificate authentication,",
            "configured like Azure VPN Gateway (ARM REST API, az-like CLI, portal)."},
        subcommands = {ServerCommand.class, GroupCommand.class, NetworkCommand.class, LoginCommand.class,
            TokenCommand.class, StatusCommand.class, PkiCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        SocketPollers.preferSystemThreads();
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, for main and for tests that run commands in-process. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // Every command's --version, not only the top one's (subcommands printed nothing).
        return CliVersion.applyTo(cl);
    }
}
