package io.p2sgw.cli.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.cli.arm.ArmClient;
import io.p2sgw.cli.support.Column;
import io.p2sgw.cli.support.Descriptions;
import io.p2sgw.cli.support.OutputFormat;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code network vnet-gateway root-cert}: trusted roots ({@code vpnClientRootCertificates/{name}}, azure-p2s.md
 * §1.1, §2.3), one per call like the portal and {@code Add-AzVpnClientRootCertificate}.
 */
@Command(name = "root-cert", mixinStandardHelpOptions = true, description = "Manage trusted root certificates of P2S.",
        subcommands = {RootCertCommand.Create.class, RootCertCommand.Delete.class, RootCertCommand.ListCmd.class})
public final class RootCertCommand {
    static final String CHILD = "/vpnClientRootCertificates/";
    static final List<Column> COLUMNS = List.of(
            Column.of("Name", "/name"),
            Column.of("ProvisioningState", "/properties/provisioningState"));
    static final List<Column> LIST_COLUMNS = List.of(
            Column.of("Name", "/name"),
            Column.of("Thumbprint", "/" + RootCertSummary.FIELD + "/thumbprint"),
            Column.of("Expires", "/" + RootCertSummary.FIELD + "/expires"),
            Column.of("Warning", "/" + RootCertSummary.FIELD + "/warning"),
            Column.of("ProvisioningState", "/properties/provisioningState"));

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Upload a trusted root certificate.")
    static final class Create extends GatewayChildCommand {
        @Option(names = {"-n", "--name"}, paramLabel = "NAME", required = true, description = "Name of the trusted root certificate.") String name;
        @Option(names = "--public-cert-data", paramLabel = "DATA|FILE", required = true,
                description = "One-line Base-64 DER, or a path to a .cer/.pem file (cleaned to one line).")
        String publicCertData;
        @Option(names = "--no-wait", description = Descriptions.NO_WAIT) boolean noWait;

        @Override
        protected JsonNode run(ArmClient client) {
            ObjectNode body = body();
            // Accepted as Azure accepts it, but said: no client certificate chains to a non-CA or an expired root.
            List<String> warnings = RootCertSummary.warnings(body.at("/properties/publicCertData").asText(), Instant.now());
            if (!warnings.isEmpty()) {
                spec.commandLine().getErr().println("WARNING: root certificate " + name + ": " + String.join("; ", warnings)
                        + "; client certificates will not chain to it.");
                spec.commandLine().getErr().flush();
            }
            return client.put(gatewayPath(client) + CHILD + encode(name), body, noWait);
        }

        ObjectNode body() {
            ObjectNode body = object();
            body.put("name", name);
            body.putObject("properties").put("publicCertData", RootCertData.fromArgument(publicCertData));
            return body;
        }

        @Override
        protected List<Column> columns() {
            return COLUMNS;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Remove a trusted root certificate.")
    static final class Delete extends GatewayChildCommand {
        @Option(names = {"-n", "--name"}, paramLabel = "NAME", required = true, description = "Name of the trusted root certificate.") String name;
        @Option(names = "--no-wait", description = Descriptions.NO_WAIT) boolean noWait;

        @Override
        protected JsonNode run(ArmClient client) {
            client.delete(gatewayPath(client) + CHILD + encode(name), noWait);
            return MissingNode.getInstance();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List trusted root certificates.")
    static final class ListCmd extends GatewayChildCommand {
        @Override
        protected JsonNode run(ArmClient client) {
            JsonNode roots = listFromGateway(client, "vpnClientRootCertificates");
            return global.output() == OutputFormat.table ? RootCertSummary.addTo(roots, Instant.now()) : roots;
        }

        @Override
        protected List<Column> columns() {
            return LIST_COLUMNS;
        }
    }

    static String encode(String name) {
        return java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
