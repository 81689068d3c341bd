package io.p2sgw.cli.network;

import com.fasterxml.jackson.databind.JsonNode;
import io.p2sgw.cli.arm.ArmClient;
import io.p2sgw.cli.support.ArmCommand;
import io.p2sgw.cli.support.Descriptions;
import picocli.CommandLine.Option;

/** A command on one gateway ({@code --gateway-name}, like az's root-cert/revoked-cert commands). */
abstract class GatewayChildCommand extends ArmCommand {
    @Option(names = {"-g", "--resource-group"}, paramLabel = "GROUP", required = true, description = Descriptions.RESOURCE_GROUP) String resourceGroup;
    @Option(names = "--gateway-name", paramLabel = "NAME", required = true, description = Descriptions.GATEWAY_NAME) String gatewayName;

    String gatewayPath(ArmClient client) {
        return client.paths().gateway(resourceGroup, gatewayName);
    }

    /** Lists one array of the gateway's {@code vpnClientConfiguration}. */
    JsonNode listFromGateway(ArmClient client, String field) {
        JsonNode items = client.get(gatewayPath(client)).path("properties").path("vpnClientConfiguration").path(field);
        return items.isArray() ? items : JSON.createArrayNode();
    }
}
