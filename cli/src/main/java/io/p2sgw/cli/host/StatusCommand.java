package io.p2sgw.cli.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.p2sgw.cli.arm.ArmClient;
import io.p2sgw.cli.support.ArmCommand;
import io.p2sgw.cli.support.Column;
import io.p2sgw.cli.support.OutputFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;

/**
 * {@code p2sgw status}: what this host serves, like the portal's "What this server serves" card (issue 16): the
 * gateway, where clients reach it (name, address, ports), the data plane (TUN device) and, per tunnel type, served
 * or why not. {@code -o json} prints {@code GET /providers/P2sgw/status} unchanged; {@code -o table} one line each.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show what this p2sgw server serves: gateway, endpoint and ports, data plane, tunnel types.")
public final class StatusCommand extends ArmCommand {
    static final String STATUS = "/providers/P2sgw/status";
    private static final Pattern GATEWAY_ID = Pattern.compile(
            "(?i)/subscriptions/[^/]+/resourceGroups/([^/]+)/providers/Microsoft\\.Network/virtualNetworkGateways/([^/]+)");

    @Override
    protected JsonNode run(ArmClient client) {
        JsonNode status = client.get(STATUS);
        return global.output() == OutputFormat.table ? rows(status) : status;
    }

    @Override
    protected List<Column> columns() {
        return List.of(Column.of("Item", "/item"), Column.of("Value", "/value"));
    }

    /** The status as (item, value) lines, in the portal card's order. */
    static ArrayNode rows(JsonNode s) {
        ArrayNode rows = JSON.createArrayNode();
        String gw = s.path("servedGateway").asText("");
        add(rows, "Gateway", gw.isEmpty() ? "none yet (no gateway with a point-to-site configuration)" : gatewayName(gw));
        JsonNode e = s.path("endpoint");
        String address = e.path("publicAddress").asText("");
        add(rows, "Server name", e.path("serverName").asText("") + (address.isEmpty() ? "" : " (" + address + ")"));
        add(rows, "TCP port", e.path("tcpPort").asText(""));
        add(rows, "OpenVPN UDP port", e.path("openVpnUdpPort").asText(""));
        List<String> ike = new ArrayList<>();
        e.path("ikeUdpPorts").forEach(p -> ike.add(p.asText()));
        add(rows, "IKEv2 UDP ports", String.join(", ", ike));
        add(rows, "Data plane", s.path("dataPlane").asText(""));
        for (JsonNode t : s.path("tunnelTypes")) {
            String detail = t.path("detail").asText("");
            add(rows, t.path("tunnelType").asText("?"), (t.path("served").asBoolean() ? "served" : "not served")
                    + (detail.isEmpty() ? "" : ": " + detail));
        }
        add(rows, "Sessions", s.path("sessions").asText(""));
        add(rows, "Version", s.path("version").asText(""));
        return rows;
    }

    /** "VNet1GW (resource group TestRG1)" from the gateway's ARM id; the id itself if it has another shape. */
    static String gatewayName(String id) {
        Matcher m = GATEWAY_ID.matcher(id);
        return m.matches() ? m.group(2) + " (resource group " + m.group(1) + ")" : id;
    }

    private static void add(ArrayNode rows, String item, String value) {
        rows.addObject().put("item", item).put("value", value);
    }
}
