package io.p2sgw.cli.help;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.cli.auth.LoginCommand;
import io.p2sgw.cli.auth.TokenCommand;
import io.p2sgw.cli.host.StatusCommand;
import io.p2sgw.cli.group.GroupCommand;
import io.p2sgw.cli.network.NetworkCommand;
import io.p2sgw.cli.pki.PkiCommand;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option's {@code --help} says what it is, and options with a fixed set of values list them (issue 16:
 * {@code -g}, {@code -n}, {@code --sku}, {@code --gateway-type}, {@code --vpn-type}, {@code --gateway-name} were blank).
 */
class HelpTextTest {
    @Command(name = "p2sgw", subcommands = {GroupCommand.class, NetworkCommand.class, LoginCommand.class,
            TokenCommand.class, StatusCommand.class, PkiCommand.class})
    static final class Root {
    }

    static List<CommandLine> allCommands(CommandLine cl) {
        List<CommandLine> all = new ArrayList<>();
        all.add(cl);
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (!all.contains(sub)) {
                all.addAll(allCommands(sub));
            }
        }
        return all.stream().distinct().toList();
    }

    @Test
    void everyOptionHasADescription() {
        List<String> blank = new ArrayList<>();
        for (CommandLine c : allCommands(new CommandLine(new Root()))) {
            for (OptionSpec o : c.getCommandSpec().options()) {
                if (!o.hidden() && String.join("", o.description()).isBlank()) {
                    blank.add(c.getCommandSpec().qualifiedName() + " " + o.longestName());
                }
            }
            for (var p : c.getCommandSpec().positionalParameters()) {
                if (!p.hidden() && String.join("", p.description()).isBlank()) {
                    blank.add(c.getCommandSpec().qualifiedName() + " " + p.paramLabel());
                }
            }
        }
        assertEquals(List.of(), blank, "options without a description");
    }

    @Test
    void optionsWithFixedValuesListThemInTheirHelp() {
        List<String> missing = new ArrayList<>();
        for (CommandLine c : allCommands(new CommandLine(new Root()))) {
            String usage = c.getUsageMessage(CommandLine.Help.Ansi.OFF);
            for (OptionSpec o : c.getCommandSpec().options()) {
                if (o.completionCandidates() == null || o.hidden()) {
                    continue;
                }
                String help = String.join(" ", o.description()).replace("${COMPLETION-CANDIDATES}", "");
                for (String value : o.completionCandidates()) {
                    if (!usage.contains(value)) {
                        missing.add(c.getCommandSpec().qualifiedName() + " " + o.longestName() + " " + value);
                    }
                }
                assertTrue(help != null);
            }
        }
        assertEquals(List.of(), missing, "allowed values not shown in --help");
    }

    @Test
    void gatewayCreateHelpNamesTheSkusTypesAndGroup() {
        String help = new CommandLine(new Root()).getSubcommands().get("network").getSubcommands().get("vnet-gateway")
                .getSubcommands().get("create").getUsageMessage(CommandLine.Help.Ansi.OFF);
        for (String want : new String[] {"VpnGw1", "VpnGw5", "Basic", "RouteBased", "PolicyBased", "Vpn", "ExpressRoute",
            "Name of the resource group", "Generation1", "Generation2"}) {
            assertTrue(help.contains(want), want + " in:\n" + help);
        }
    }
}
