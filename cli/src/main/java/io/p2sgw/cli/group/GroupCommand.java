package io.p2sgw.cli.group;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.cli.arm.ArmClient;
import io.p2sgw.cli.support.ArmCommand;
import io.p2sgw.cli.support.Column;
import io.p2sgw.cli.support.Descriptions;
import io.p2sgw.cli.support.Terminal;
import io.p2sgw.cli.support.UsageException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code p2sgw group}: resource groups, like {@code az group} (the seed's TestRG1, azure-p2s.md §1.2). */
@Command(name = "group", mixinStandardHelpOptions = true, description = "Manage resource groups (like 'az group').",
        subcommands = {GroupCommand.Create.class, GroupCommand.Show.class, GroupCommand.ListCmd.class, GroupCommand.Delete.class})
public final class GroupCommand {
    static final List<Column> COLUMNS = List.of(
            Column.of("Name", "/name"),
            Column.of("Location", "/location"),
            Column.of("ProvisioningState", "/properties/provisioningState"));

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create or update a resource group.")
    static final class Create extends ArmCommand {
        @Option(names = {"-n", "--name", "-g", "--resource-group"}, paramLabel = "GROUP", required = true, description = Descriptions.RESOURCE_GROUP)
        String name;
        @Option(names = {"-l", "--location"}, paramLabel = "LOCATION", required = true, description = "Location, e.g. eastus (resources in the group default to it).")
        String location;

        @Override
        protected JsonNode run(ArmClient client) {
            ObjectNode body = object();
            body.put("location", location);
            return client.put(client.paths().resourceGroup(name), body, false);
        }

        @Override
        protected List<Column> columns() {
            return COLUMNS;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a resource group.")
    static final class Show extends ArmCommand {
        @Option(names = {"-n", "--name", "-g", "--resource-group"}, paramLabel = "GROUP", required = true, description = Descriptions.RESOURCE_GROUP)
        String name;

        @Override
        protected JsonNode run(ArmClient client) {
            return client.get(client.paths().resourceGroup(name));
        }

        @Override
        protected List<Column> columns() {
            return COLUMNS;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List resource groups.")
    static final class ListCmd extends ArmCommand {
        @Override
        protected JsonNode run(ArmClient client) {
            return arrayOf(client.list(client.paths().subscriptionPath() + "/resourceGroups"));
        }

        @Override
        protected List<Column> columns() {
            return COLUMNS;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = {"Delete a resource group and everything in it.",
                "Asks for confirmation unless --yes is given (as 'az group delete'); without a terminal to ask on,",
                "nothing is deleted unless --yes is given."})
    static final class Delete extends ArmCommand {
        @Option(names = {"-n", "--name", "-g", "--resource-group"}, paramLabel = "GROUP", required = true, description = Descriptions.RESOURCE_GROUP)
        String name;
        @Option(names = "--no-wait", description = Descriptions.NO_WAIT) boolean noWait;

        @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.") boolean yes;

        @Override
        protected JsonNode run(ArmClient client) {
            if (!yes && !confirmed()) {
                spec.commandLine().getErr().println("Nothing was deleted.");
                return MissingNode.getInstance();
            }
            client.delete(client.paths().resourceGroup(name), noWait);
            return MissingNode.getInstance();
        }

        /** az's question; a script without --yes gets an error rather than a deletion nobody confirmed. */
        private boolean confirmed() {
            Terminal terminal = Terminal.current().orElseThrow(() -> new UsageException("not deleting resource group '"
                    + name + "' and everything in it: there is no terminal to confirm on. Pass --yes to delete without"
                    + " confirmation."));
            String answer = terminal.readLine("Are you sure you want to delete resource group '" + name
                    + "' and all resources in it? (y/n): ").orElse("").strip();
            return answer.equalsIgnoreCase("y") || answer.equalsIgnoreCase("yes");
        }
    }
}
