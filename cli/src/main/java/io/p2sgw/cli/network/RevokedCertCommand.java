package io.p2sgw.cli.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.cli.arm.ArmClient;
import io.p2sgw.cli.support.Column;
import io.p2sgw.cli.support.Descriptions;
import io.p2sgw.pki.Certificates;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code network vnet-gateway revoked-cert}: revoked client certificates by SHA-1 thumbprint
 * ({@code vpnClientRevokedCertificates/{name}}, azure-p2s.md §2.4). Deleting an entry reinstates the certificate.
 */
@Command(name = "revoked-cert", mixinStandardHelpOptions = true, description = "Manage revoked client certificates of P2S.",
        subcommands = {RevokedCertCommand.Create.class, RevokedCertCommand.Delete.class, RevokedCertCommand.ListCmd.class})
public final class RevokedCertCommand {
    static final String CHILD = "/vpnClientRevokedCertificates/";
    static final List<Column> COLUMNS = List.of(
            Column.of("Name", "/name"),
            Column.of("Thumbprint", "/properties/thumbprint"),
            Column.of("ProvisioningState", "/properties/provisioningState"));

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Revoke a client certificate.")
    static final class Create extends GatewayChildCommand {
        @Option(names = {"-n", "--name"}, paramLabel = "NAME", required = true, description = "Name of the revoked certificate entry, e.g. lostlaptop.") String name;
        @Option(names = "--thumbprint", paramLabel = "THUMBPRINT", required = true,
                description = {"SHA-1 thumbprint, 40 hex digits, as tools print it: Windows' dialog (spaces), or",
                    "openssl x509 -noout -fingerprint -sha1 (colons, 'SHA1 Fingerprint=' prefix); sent as 40 lower-case digits."})
        String thumbprint;
        @Option(names = "--no-wait", description = Descriptions.NO_WAIT) boolean noWait;

        @Override
        protected JsonNode run(ArmClient client) {
            return client.put(gatewayPath(client) + CHILD + RootCertCommand.encode(name), body(), noWait);
        }

        ObjectNode body() {
            ObjectNode body = object();
            body.put("name", name);
            // Sent cleaned when it is a SHA-1 thumbprint; anything else as given, for the API to explain (a SHA-256
            // fingerprint gets a hint).
            body.putObject("properties").put("thumbprint", Certificates.normalizeThumbprint(thumbprint).orElse(thumbprint));
            return body;
        }

        @Override
        protected List<Column> columns() {
            return COLUMNS;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Reinstate a revoked client certificate.")
    static final class Delete extends GatewayChildCommand {
        @Option(names = {"-n", "--name"}, paramLabel = "NAME", required = true, description = "Name of the revoked certificate entry, e.g. lostlaptop.") String name;
        @Option(names = "--no-wait", description = Descriptions.NO_WAIT) boolean noWait;

        @Override
        protected JsonNode run(ArmClient client) {
            client.delete(gatewayPath(client) + CHILD + RootCertCommand.encode(name), noWait);
            return MissingNode.getInstance();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List revoked client certificates.")
    static final class ListCmd extends GatewayChildCommand {
        @Override
        protected JsonNode run(ArmClient client) {
            return listFromGateway(client, "vpnClientRevokedCertificates");
        }

        @Override
        protected List<Column> columns() {
            return COLUMNS;
        }
    }
}
