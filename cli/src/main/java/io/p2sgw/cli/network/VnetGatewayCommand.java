package io.p2sgw.cli.network;

import static io.p2sgw.cli.support.ArmCommand.array;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.cli.arm.ArmClient;
import io.p2sgw.cli.arm.ArmPaths;
import io.p2sgw.cli.support.ArmCommand;
import io.p2sgw.cli.support.Column;
import io.p2sgw.cli.support.Descriptions;
import io.p2sgw.cli.support.UsageException;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code network vnet-gateway}: VPN gateways and their P2S configuration (azure-p2s.md §1.3, §1.4). */
@Command(name = "vnet-gateway", mixinStandardHelpOptions = true, description = "Manage virtual network gateways.",
        subcommands = {VnetGatewayCommand.Create.class, VnetGatewayCommand.Show.class, VnetGatewayCommand.ListCmd.class,
                VnetGatewayCommand.Update.class, VnetGatewayCommand.Delete.class,
                RootCertCommand.class, RevokedCertCommand.class, VpnClientCommand.class})
public final class VnetGatewayCommand {
    static final String TYPE = "virtualNetworkGateways";
    /** The name az gives the gateway's first IP configuration. */
    static final String IP_CONFIG_NAME = "vnetGatewayConfig0";
    static final List<Column> COLUMNS = List.of(
            Column.of("Name", "/name"),
            Column.of("Location", "/location"),
            Column.of("GatewayType", "/properties/gatewayType"),
            Column.of("VpnType", "/properties/vpnType"),
            Column.of("Sku", "/properties/sku/name"),
            Column.of("Generation", "/properties/vpnGatewayGeneration"),
            Column.of("ClientAddressPool", "/properties/vpnClientConfiguration/vpnClientAddressPool/addressPrefixes"),
            Column.of("Protocols", "/properties/vpnClientConfiguration/vpnClientProtocols"),
            Column.of("ProvisioningState", "/properties/provisioningState"));

    /** P2S options shared by create and update; each one that is given replaces the matching field. */
    static final class P2sOptions {
        @Option(names = "--address-prefixes", paramLabel = "PREFIX", split = ",", arity = "1..*",
                description = "VPN client address pool (private, not overlapping the VNet, at least /29).")
        List<String> addressPrefixes;
        @Option(names = "--client-protocol", paramLabel = "PROTOCOL", split = ",", arity = "1..*",
                completionCandidates = Choices.TunnelTypes.class,
                description = "Tunnel types: ${COMPLETION-CANDIDATES} (p2sgw also allows SSTP with OpenVPN).")
        List<String> clientProtocols;
        @Option(names = "--vpn-auth-type", paramLabel = "TYPE", split = ",", arity = "1..*", completionCandidates = Choices.AuthTypes.class,
                description = "Authentication type: ${COMPLETION-CANDIDATES} (p2sgw's scope).")
        List<String> authTypes;
        @Option(names = "--root-cert-name", paramLabel = "NAME", description = "Name of a trusted root certificate to add (with --root-cert-data).")
        String rootCertName;
        @Option(names = "--root-cert-data", paramLabel = "DATA|FILE",
                description = "One-line Base-64 DER, or a path to a .cer/.pem file (cleaned to one line).")
        String rootCertData;
        @Option(names = "--custom-routes", paramLabel = "PREFIX", split = ",", arity = "1..*",
                description = "Extra prefixes advertised to P2S clients.")
        List<String> customRoutes;

        /** Applies the given options to a gateway's {@code properties}. */
        void applyTo(ObjectNode props) {
            if ((rootCertName == null) != (rootCertData == null)) {
                throw new UsageException("--root-cert-name and --root-cert-data go together");
            }
            boolean p2s = addressPrefixes != null || clientProtocols != null || authTypes != null || rootCertName != null;
            if (p2s) {
                ObjectNode vcc = props.has("vpnClientConfiguration") && props.get("vpnClientConfiguration").isObject()
                        ? (ObjectNode) props.get("vpnClientConfiguration") : props.putObject("vpnClientConfiguration");
                if (addressPrefixes != null) {
                    vcc.putObject("vpnClientAddressPool").set("addressPrefixes", array(addressPrefixes));
                }
                if (clientProtocols != null) {
                    vcc.set("vpnClientProtocols", array(clientProtocols));
                }
                if (authTypes != null) {
                    vcc.set("vpnAuthenticationTypes", array(authTypes));
                }
                if (rootCertName != null) {
                    ArrayNode roots = vcc.has("vpnClientRootCertificates") && vcc.get("vpnClientRootCertificates").isArray()
                            ? (ArrayNode) vcc.get("vpnClientRootCertificates") : vcc.putArray("vpnClientRootCertificates");
                    for (int i = roots.size() - 1; i >= 0; i--) {
                        if (rootCertName.equals(roots.get(i).path("name").asText())) {
                            roots.remove(i);
                        }
                    }
                    ObjectNode root = roots.addObject();
                    root.put("name", rootCertName);
                    root.putObject("properties").put("publicCertData", RootCertData.fromArgument(rootCertData));
                }
            }
            if (customRoutes != null) {
                props.putObject("customRoutes").set("addressPrefixes", array(customRoutes));
            }
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a virtual network gateway.")
    static final class Create extends ArmCommand {
        @Option(names = {"-g", "--resource-group"}, paramLabel = "GROUP", required = true, description = Descriptions.RESOURCE_GROUP) String resourceGroup;
        @Option(names = {"-n", "--name"}, paramLabel = "NAME", required = true, description = "Name of the virtual network gateway.") String name;
        @Option(names = {"-l", "--location"}, paramLabel = "LOCATION", description = Descriptions.LOCATION) String location;
        @Option(names = "--vnet", paramLabel = "VNET", required = true, description = "Name or id of the VNet (it needs a GatewaySubnet).")
        String vnet;
        @Option(names = {"--public-ip-addresses", "--public-ip-address"}, paramLabel = "PIP", split = ",", arity = "1..3", required = true,
                description = "Names or ids of the public IPs (two or more = active-active).")
        List<String> publicIps;
        @Option(names = "--gateway-type", paramLabel = "TYPE", defaultValue = "Vpn", completionCandidates = Choices.GatewayTypes.class,
                description = "${COMPLETION-CANDIDATES} (point-to-site needs Vpn). Default: ${DEFAULT-VALUE}.")
        String gatewayType;
        @Option(names = "--vpn-type", paramLabel = "TYPE", defaultValue = "RouteBased", completionCandidates = Choices.VpnTypes.class,
                description = "${COMPLETION-CANDIDATES} (point-to-site needs RouteBased). Default: ${DEFAULT-VALUE}.")
        String vpnType;
        @Option(names = "--sku", paramLabel = "SKU", defaultValue = "VpnGw1", completionCandidates = Choices.GatewaySkus.class,
                description = {"${COMPLETION-CANDIDATES}.", "Basic has SSTP only and no OpenVPN or IKEv2. Default: ${DEFAULT-VALUE}."})
        String sku;
        @Option(names = "--vpn-gateway-generation", paramLabel = "GENERATION", completionCandidates = Choices.Generations.class,
                description = "${COMPLETION-CANDIDATES} (VpnGw1 is Generation1 only; VpnGw4 and 5 Generation2 only). Default: the server's choice for the SKU.")
        String generation;
        @picocli.CommandLine.ArgGroup(exclusive = false, multiplicity = "0..1") P2sOptions p2s;
        @Option(names = "--no-wait", description = Descriptions.NO_WAIT) boolean noWait;

        @Override
        protected JsonNode run(ArmClient client) {
            ObjectNode body = body(client.paths(), Locations.resolve(client, resourceGroup, location));
            return client.put(client.paths().gateway(resourceGroup, name), body, noWait);
        }

        ObjectNode body(ArmPaths paths, String resolvedLocation) {
            ObjectNode body = object();
            body.put("location", resolvedLocation);
            ObjectNode props = body.putObject("properties");
            String vnetId = paths.idOrName(resourceGroup, VnetCommand.TYPE, vnet);
            ArrayNode ipConfigs = props.putArray("ipConfigurations");
            for (int i = 0; i < publicIps.size(); i++) {
                ObjectNode ipc = ipConfigs.addObject();
                ipc.put("name", i == 0 ? IP_CONFIG_NAME : "vnetGatewayConfig" + i);
                ObjectNode ipp = ipc.putObject("properties");
                ipp.put("privateIPAllocationMethod", "Dynamic");
                ipp.putObject("subnet").put("id", vnetId + "/subnets/GatewaySubnet");
                ipp.putObject("publicIPAddress").put("id", paths.idOrName(resourceGroup, PublicIpCommand.TYPE, publicIps.get(i)));
            }
            props.put("gatewayType", gatewayType);
            props.put("vpnType", vpnType);
            if (generation != null) {
                props.put("vpnGatewayGeneration", generation);
            }
            props.putObject("sku").put("name", sku).put("tier", sku);
            props.put("activeActive", publicIps.size() > 1);
            props.put("enableBgp", false);
            if (p2s != null) {
                p2s.applyTo(props);
            }
            return body;
        }

        @Override
        protected List<Column> columns() {
            return COLUMNS;
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Update a gateway's P2S configuration or SKU (read, change, write back with If-Match).")
    static final class Update extends ArmCommand {
        @Option(names = {"-g", "--resource-group"}, paramLabel = "GROUP", required = true, description = Descriptions.RESOURCE_GROUP) String resourceGroup;
        @Option(names = {"-n", "--name"}, paramLabel = "NAME", required = true, description = "Name of the virtual network gateway.") String name;
        @Option(names = "--sku", paramLabel = "SKU", completionCandidates = Choices.GatewaySkus.class,
                description = {"New SKU: ${COMPLETION-CANDIDATES}.", "Basic has SSTP only and no OpenVPN or IKEv2."})
        String sku;
        @picocli.CommandLine.ArgGroup(exclusive = false, multiplicity = "0..1") P2sOptions p2s;
        @Option(names = "--no-wait", description = Descriptions.NO_WAIT) boolean noWait;

        @Override
        protected JsonNode run(ArmClient client) {
            String path = client.paths().gateway(resourceGroup, name);
            JsonNode current = client.get(path);
            ObjectNode body = apply(current);
            // The etag makes this read-modify-write safe against a concurrent change (412 instead of a lost update).
            Optional<String> etag = Optional.ofNullable(current.get("etag")).map(JsonNode::asText);
            return client.put(path, body, etag, noWait);
        }

        ObjectNode apply(JsonNode current) {
            ObjectNode body = current.deepCopy();
            ObjectNode props = body.has("properties") && body.get("properties").isObject()
                    ? (ObjectNode) body.get("properties") : body.putObject("properties");
            if (sku != null) {
                props.putObject("sku").put("name", sku).put("tier", sku);
            }
            if (p2s != null) {
                p2s.applyTo(props);
            }
            return body;
        }

        @Override
        protected List<Column> columns() {
            return COLUMNS;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a virtual network gateway.")
    static final class Show extends ArmCommand {
        @Option(names = {"-g", "--resource-group"}, paramLabel = "GROUP", required = true, description = Descriptions.RESOURCE_GROUP) String resourceGroup;
        @Option(names = {"-n", "--name"}, paramLabel = "NAME", required = true, description = "Name of the virtual network gateway.") String name;

        @Override
        protected JsonNode run(ArmClient client) {
            return client.get(client.paths().gateway(resourceGroup, name));
        }

        @Override
        protected List<Column> columns() {
            return COLUMNS;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the gateways of a resource group.")
    static final class ListCmd extends ArmCommand {
        @Option(names = {"-g", "--resource-group"}, paramLabel = "GROUP", required = true, description = Descriptions.RESOURCE_GROUP) String resourceGroup;

        @Override
        protected JsonNode run(ArmClient client) {
            return arrayOf(client.list(client.paths().networkCollection(resourceGroup, TYPE)));
        }

        @Override
        protected List<Column> columns() {
            return COLUMNS;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a virtual network gateway.")
    static final class Delete extends ArmCommand {
        @Option(names = {"-g", "--resource-group"}, paramLabel = "GROUP", required = true, description = Descriptions.RESOURCE_GROUP) String resourceGroup;
        @Option(names = {"-n", "--name"}, paramLabel = "NAME", required = true, description = "Name of the virtual network gateway.") String name;
        @Option(names = "--no-wait", description = Descriptions.NO_WAIT) boolean noWait;

        @Override
        protected JsonNode run(ArmClient client) {
            client.delete(client.paths().gateway(resourceGroup, name), noWait);
            return MissingNode.getInstance();
        }
    }
}
