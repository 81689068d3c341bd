package io.p2sgw.cli.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.cli.arm.ArmClient;
import io.p2sgw.cli.support.ArmCommand;
import io.p2sgw.cli.support.Column;
import io.p2sgw.cli.support.Descriptions;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code network vnet}: virtual networks (azure-p2s.md §1.2). */
@Command(name = "vnet", mixinStandardHelpOptions = true, description = "Manage virtual networks.",
        subcommands = {VnetCommand.Create.class, VnetCommand.Show.class, VnetCommand.ListCmd.class,
                VnetCommand.Delete.class, SubnetCommand.class})
public final class VnetCommand {
    static final String TYPE = "virtualNetworks";
    static final List<Column> COLUMNS = List.of(
            Column.of("Name", "/name"),
            Column.of("Location", "/location"),
            Column.of("AddressPrefixes", "/properties/addressSpace/addressPrefixes"),
            Column.of("Subnets", "/properties/subnets"),
            Column.of("DnsServers", "/properties/dhcpOptions/dnsServers"),
            Column.of("ProvisioningState", "/properties/provisioningState"));

    /** az's default address space when none is given. */
    static final String DEFAULT_PREFIX = "10.0.0.0/16";

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create or update a virtual network.")
    static final class Create extends ArmCommand {
        @Option(names = {"-g", "--resource-group"}, paramLabel = "GROUP", required = true, description = Descriptions.RESOURCE_GROUP) String resourceGroup;
        @Option(names = {"-n", "--name"}, paramLabel = "NAME", required = true, description = "Name of the virtual network.") String name;
        @Option(names = {"-l", "--location"}, paramLabel = "LOCATION", description = Descriptions.LOCATION) String location;
        @Option(names = "--address-prefixes", paramLabel = "PREFIX", split = ",", arity = "1..*", defaultValue = DEFAULT_PREFIX,
                description = "Address space prefixes (space or comma separated). Default: ${DEFAULT-VALUE}.")
        List<String> addressPrefixes;
        @Option(names = "--subnet-name", paramLabel = "NAME", description = "Create this subnet with the VNet.") String subnetName;
        @Option(names = "--subnet-prefixes", paramLabel = "PREFIX", split = ",", arity = "1..*",
                description = "Address prefixes of --subnet-name, e.g. 10.1.0.0/24.") List<String> subnetPrefixes;
        @Option(names = "--dns-servers", paramLabel = "IP", split = ",", arity = "1..*",
                description = "DNS servers pushed to VPN clients (dhcpOptions.dnsServers).") List<String> dnsServers;
        @Option(names = "--no-wait", description = Descriptions.NO_WAIT) boolean noWait;

        @Override
        protected JsonNode run(ArmClient client) {
            return client.put(client.paths().virtualNetwork(resourceGroup, name), body(client), noWait);
        }

        ObjectNode body(ArmClient client) {
            ObjectNode body = object();
            body.put("location", Locations.resolve(client, resourceGroup, location));
            ObjectNode props = body.putObject("properties");
            props.putObject("addressSpace").set("addressPrefixes", array(addressPrefixes));
            if (dnsServers != null) {
                props.putObject("dhcpOptions").set("dnsServers", array(dnsServers));
            }
            if (subnetName != null) {
                ObjectNode subnet = props.putArray("subnets").addObject();
                subnet.put("name", subnetName);
                List<String> prefixes = subnetPrefixes != null ? subnetPrefixes : List.of(firstSubnetOf(addressPrefixes.get(0)));
                SubnetCommand.setPrefixes(subnet.putObject("properties"), prefixes);
            } else if (subnetPrefixes != null) {
                throw new IllegalArgumentException("--subnet-prefixes needs --subnet-name");
            }
            return body;
        }

        /** az's default subnet prefix is the first /24 of the address space. */
        static String firstSubnetOf(String prefix) {
            String net = prefix.substring(0, prefix.indexOf('/') < 0 ? prefix.length() : prefix.indexOf('/'));
            int len = prefix.indexOf('/') < 0 ? 32 : Integer.parseInt(prefix.substring(prefix.indexOf('/') + 1));
            return net + "/" + Math.max(len, 24);
        }

        @Override
        protected List<Column> columns() {
            return COLUMNS;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a virtual network.")
    static final class Show extends ArmCommand {
        @Option(names = {"-g", "--resource-group"}, paramLabel = "GROUP", required = true, description = Descriptions.RESOURCE_GROUP) String resourceGroup;
        @Option(names = {"-n", "--name"}, paramLabel = "NAME", required = true, description = "Name of the virtual network.") String name;

        @Override
        protected JsonNode run(ArmClient client) {
            return client.get(client.paths().virtualNetwork(resourceGroup, name));
        }

        @Override
        protected List<Column> columns() {
            return COLUMNS;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List virtual networks.")
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

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a virtual network.")
    static final class Delete extends ArmCommand {
        @Option(names = {"-g", "--resource-group"}, paramLabel = "GROUP", required = true, description = Descriptions.RESOURCE_GROUP) String resourceGroup;
        @Option(names = {"-n", "--name"}, paramLabel = "NAME", required = true, description = "Name of the virtual network.") String name;
        @Option(names = "--no-wait", description = Descriptions.NO_WAIT) boolean noWait;

        @Override
        protected JsonNode run(ArmClient client) {
            client.delete(client.paths().virtualNetwork(resourceGroup, name), noWait);
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }
}
