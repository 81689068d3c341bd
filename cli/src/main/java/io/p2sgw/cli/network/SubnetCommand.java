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

/** {@code network vnet subnet}: subnets, including {@code GatewaySubnet} (azure-p2s.md §1.2). */
@Command(name = "subnet", mixinStandardHelpOptions = true, description = "Manage subnets of a virtual network.",
        subcommands = {SubnetCommand.Create.class, SubnetCommand.Show.class, SubnetCommand.ListCmd.class,
                SubnetCommand.Delete.class})
public final class SubnetCommand {
    static final List<Column> COLUMNS = List.of(
            Column.of("Name", "/name"),
            Column.of("AddressPrefix", "/properties/addressPrefix"),
            Column.of("AddressPrefixes", "/properties/addressPrefixes"),
            Column.of("ProvisioningState", "/properties/provisioningState"));

    /** ARM has {@code addressPrefix} for one prefix and {@code addressPrefixes} for several. */
    static void setPrefixes(ObjectNode properties, List<String> prefixes) {
        if (prefixes.size() == 1) {
            properties.put("addressPrefix", prefixes.get(0));
        } else {
            properties.putArray("addressPrefixes").addAll(prefixes.stream()
                    .map(p -> (JsonNode) properties.textNode(p)).toList());
        }
    }

    abstract static class SubnetLeaf extends ArmCommand {
        @Option(names = {"-g", "--resource-group"}, paramLabel = "GROUP", required = true, description = Descriptions.RESOURCE_GROUP) String resourceGroup;
        @Option(names = "--vnet-name", paramLabel = "NAME", required = true, description = "Name of the virtual network.") String vnetName;

        @Override
        protected List<Column> columns() {
            return COLUMNS;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create or update a subnet.")
    static final class Create extends SubnetLeaf {
        @Option(names = {"-n", "--name"}, paramLabel = "NAME", required = true, description = "Name of the subnet (GatewaySubnet for the gateway's subnet).") String name;
        @Option(names = "--address-prefixes", paramLabel = "PREFIX", split = ",", arity = "1..*", required = true,
                description = "Address prefixes inside the VNet's space, e.g. 10.1.255.0/27 (a GatewaySubnet: /29 or larger, /27 recommended).")
        List<String> addressPrefixes;
        @Option(names = "--no-wait", description = Descriptions.NO_WAIT) boolean noWait;

        @Override
        protected JsonNode run(ArmClient client) {
            return client.put(client.paths().subnet(resourceGroup, vnetName, name), body(), noWait);
        }

        ObjectNode body() {
            ObjectNode body = object();
            setPrefixes(body.putObject("properties"), addressPrefixes);
            return body;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a subnet.")
    static final class Show extends SubnetLeaf {
        @Option(names = {"-n", "--name"}, paramLabel = "NAME", required = true, description = "Name of the subnet (GatewaySubnet for the gateway's subnet).") String name;

        @Override
        protected JsonNode run(ArmClient client) {
            return client.get(client.paths().subnet(resourceGroup, vnetName, name));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the subnets of a virtual network.")
    static final class ListCmd extends SubnetLeaf {
        @Override
        protected JsonNode run(ArmClient client) {
            return arrayOf(client.list(client.paths().virtualNetwork(resourceGroup, vnetName) + "/subnets"));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a subnet.")
    static final class Delete extends SubnetLeaf {
        @Option(names = {"-n", "--name"}, paramLabel = "NAME", required = true, description = "Name of the subnet (GatewaySubnet for the gateway's subnet).") String name;
        @Option(names = "--no-wait", description = Descriptions.NO_WAIT) boolean noWait;

        @Override
        protected JsonNode run(ArmClient client) {
            client.delete(client.paths().subnet(resourceGroup, vnetName, name), noWait);
            return MissingNode.getInstance();
        }
    }
}
