package io.p2sgw.cli.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.cli.arm.ArmClient;
import io.p2sgw.cli.support.ArmCommand;
import io.p2sgw.cli.support.Column;
import io.p2sgw.cli.support.Descriptions;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code network public-ip}: the gateway's public address (azure-p2s.md §1.2). */
@Command(name = "public-ip", mixinStandardHelpOptions = true, description = "Manage public IP addresses.",
        subcommands = {PublicIpCommand.Create.class, PublicIpCommand.Show.class, PublicIpCommand.ListCmd.class,
                PublicIpCommand.Delete.class})
public final class PublicIpCommand {
    static final String TYPE = "publicIPAddresses";
    static final List<Column> COLUMNS = List.of(
            Column.of("Name", "/name"),
            Column.of("Location", "/location"),
            Column.of("Sku", "/sku/name"),
            Column.of("AllocationMethod", "/properties/publicIPAllocationMethod"),
            Column.of("IpAddress", "/properties/ipAddress"),
            Column.of("ProvisioningState", "/properties/provisioningState"));

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create or update a public IP address.")
    static final class Create extends ArmCommand {
        @Option(names = {"-g", "--resource-group"}, paramLabel = "GROUP", required = true, description = Descriptions.RESOURCE_GROUP) String resourceGroup;
        @Option(names = {"-n", "--name"}, paramLabel = "NAME", required = true, description = "Name of the public IP address.") String name;
        @Option(names = {"-l", "--location"}, paramLabel = "LOCATION", description = Descriptions.LOCATION) String location;
        @Option(names = "--sku", paramLabel = "SKU", defaultValue = "Standard", description = "Basic or Standard. Default: ${DEFAULT-VALUE}.")
        String sku;
        @Option(names = "--allocation-method", paramLabel = "METHOD",
                description = "Static or Dynamic. Default: Static (Standard SKU public IPs must be Static).")
        String allocationMethod;
        @Option(names = "--no-wait", description = Descriptions.NO_WAIT) boolean noWait;

        @Override
        protected JsonNode run(ArmClient client) {
            return client.put(client.paths().publicIp(resourceGroup, name), body(Locations.resolve(client, resourceGroup, location)), noWait);
        }

        ObjectNode body(String resolvedLocation) {
            ObjectNode body = object();
            body.put("location", resolvedLocation);
            body.putObject("sku").put("name", sku);
            ObjectNode props = body.putObject("properties");
            props.put("publicIPAllocationMethod", allocationMethod != null ? allocationMethod : "Static");
            props.put("publicIPAddressVersion", "IPv4");
            return body;
        }

        @Override
        protected List<Column> columns() {
            return COLUMNS;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a public IP address.")
    static final class Show extends ArmCommand {
        @Option(names = {"-g", "--resource-group"}, paramLabel = "GROUP", required = true, description = Descriptions.RESOURCE_GROUP) String resourceGroup;
        @Option(names = {"-n", "--name"}, paramLabel = "NAME", required = true, description = "Name of the public IP address.") String name;

        @Override
        protected JsonNode run(ArmClient client) {
            return client.get(client.paths().publicIp(resourceGroup, name));
        }

        @Override
        protected List<Column> columns() {
            return COLUMNS;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List public IP addresses.")
    static final class ListCmd extends ArmCommand {
        @Option(names = {"-g", "--resource-group"}, paramLabel = "GROUP", description = "Name of the resource group. Default: the whole subscription.") String resourceGroup;

        @Override
        protected JsonNode run(ArmClient client) {
            return arrayOf(client.list(Locations.collection(client, resourceGroup, TYPE)));
        }

        @Override
        protected List<Column> columns() {
            return COLUMNS;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a public IP address.")
    static final class Delete extends ArmCommand {
        @Option(names = {"-g", "--resource-group"}, paramLabel = "GROUP", required = true, description = Descriptions.RESOURCE_GROUP) String resourceGroup;
        @Option(names = {"-n", "--name"}, paramLabel = "NAME", required = true, description = "Name of the public IP address.") String name;
        @Option(names = "--no-wait", description = Descriptions.NO_WAIT) boolean noWait;

        @Override
        protected JsonNode run(ArmClient client) {
            client.delete(client.paths().publicIp(resourceGroup, name), noWait);
            return MissingNode.getInstance();
        }
    }
}
