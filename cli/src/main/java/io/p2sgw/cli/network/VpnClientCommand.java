package io.p2sgw.cli.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.cli.arm.ArmClient;
import io.p2sgw.cli.support.ArmCommand;
import io.p2sgw.cli.support.Column;
import io.p2sgw.cli.support.Descriptions;
import io.p2sgw.cli.support.UsageException;
import io.p2sgw.pki.KeyAndChain;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code network vnet-gateway vpn-client}: client package, session health and disconnect (azure-p2s.md §3.1, §6). */
@Command(name = "vpn-client", mixinStandardHelpOptions = true, description = "VPN client package and P2S sessions.",
        subcommands = {VpnClientCommand.Generate.class, VpnClientCommand.ShowHealth.class, VpnClientCommand.Disconnect.class})
public final class VpnClientCommand {
    static final List<Column> HEALTH_COLUMNS = List.of(
            Column.of("VpnConnectionId", "/vpnConnectionId"),
            Column.of("VpnUserName", "/vpnUserName"),
            Column.of("PrivateIpAddress", "/privateIpAddress"),
            Column.of("PublicIpAddress", "/publicIpAddress"),
            Column.of("ConnectionTime", "/vpnConnectionTime"),
            Column.of("DurationSeconds", "/vpnConnectionDuration"),
            Column.of("IngressBytes", "/ingressBytesTransferred"),
            Column.of("EgressBytes", "/egressBytesTransferred"));
    static final List<Column> URL_COLUMNS = List.of(Column.of("Url", ""));

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Generate the VPN client configuration package and print its download URL.")
    public static final class Generate extends GatewayGroupCommand {
        @Option(names = "--processor-architecture", paramLabel = "ARCH", defaultValue = "Amd64", description = "Amd64 or X86 (ignored by p2sgw: one zip for all).")
        String processorArchitecture;
        @Option(names = "--authentication-method", paramLabel = "METHOD", defaultValue = "EAPTLS", description = "EAPTLS (certificate authentication).")
        String authenticationMethod;
        @Option(names = "--output-file", paramLabel = "FILE", description = "Also download the zip to this file.")
        Path outputFile;
        @Option(names = "--client-cert", paramLabel = "FILE",
                description = "Also write a ready-to-import .ovpn with this client certificate and key filled in "
                        + "(locally; the key never goes to the server): a .pfx/.p12, or a PEM certificate (chain) "
                        + "with --client-key or with the key in the same file.")
        Path clientCert;
        @Option(names = "--client-key", paramLabel = "FILE",
                description = "PEM private key of a PEM --client-cert, e.g. NAME.key.pem from 'p2sgw pki client create'.")
        Path clientKey;
        @Option(names = "--client-cert-password", paramLabel = "PASSWORD", interactive = true, arity = "0..1",
                prompt = "Password of the client .pfx or key: ",
                description = "Password of the .pfx or of an encrypted PEM key (prompted when given without a value).")
        char[] clientCertPassword;
        @Option(names = "--ovpn-file", paramLabel = "FILE",
                description = "Where to write the filled .ovpn (mode 0600). Default: <gateway>.ovpn.")
        Path ovpnFile;

        @Override
        protected JsonNode run(ArmClient client) throws IOException {
            if (clientCert == null && (clientCertPassword != null || ovpnFile != null || clientKey != null)) {
                throw new UsageException("--client-key, --client-cert-password and --ovpn-file need --client-cert");
            }
            // Local files first: a wrong password or key is reported before the server does any work.
            Optional<KeyAndChain> credentials = clientCert == null ? Optional.empty() : Optional.of(OvpnFromPackage.readCredentials(
                    clientCert, Optional.ofNullable(clientKey), clientCertPassword != null ? clientCertPassword : new char[0]));
            JsonNode url = client.post(gatewayPath(client) + "/generatevpnclientpackage", body(), false);
            if (!url.isTextual()) {
                throw new UsageException("unexpected answer from generatevpnclientpackage: " + url);
            }
            if (outputFile != null || clientCert != null) {
                byte[] zip = client.download(URI.create(url.asText()));
                if (outputFile != null) {
                    Files.write(outputFile, zip);
                    spec.commandLine().getErr().println("Wrote " + zip.length + " bytes to " + outputFile);
                }
                if (credentials.isPresent()) {
                    Path target = ovpnFile != null ? ovpnFile : Path.of(name + ".ovpn");
                    OvpnFromPackage.write(zip, credentials.get(), target);
                    spec.commandLine().getErr().println("Wrote OpenVPN profile with client certificate to " + target);
                }
            }
            return url;
        }

        ObjectNode body() {
            ObjectNode body = object();
            body.put("processorArchitecture", processorArchitecture);
            body.put("authenticationMethod", authenticationMethod);
            return body;
        }

        @Override
        protected List<Column> columns() {
            return URL_COLUMNS;
        }
    }

    @Command(name = "show-health", mixinStandardHelpOptions = true, description = "List the gateway's P2S sessions.")
    static final class ShowHealth extends GatewayGroupCommand {
        @Override
        protected JsonNode run(ArmClient client) {
            JsonNode result = client.post(gatewayPath(client) + "/getVpnClientConnectionHealth", object(), false);
            JsonNode value = result.path("value");
            return value.isArray() ? value : JSON.createArrayNode();
        }

        @Override
        protected List<Column> columns() {
            return HEALTH_COLUMNS;
        }
    }

    @Command(name = "disconnect", mixinStandardHelpOptions = true, description = "Disconnect P2S sessions by id.")
    static final class Disconnect extends GatewayGroupCommand {
        @Option(names = "--vpn-connection-ids", paramLabel = "ID", split = ",", arity = "1..*", required = true,
                description = "Session ids as show-health lists them (vpnConnectionId, e.g. OpenVPN_...).")
        List<String> ids;

        @Override
        protected JsonNode run(ArmClient client) {
            ObjectNode body = object();
            body.set("vpnConnectionIds", ArmCommand.array(ids));
            client.post(gatewayPath(client) + "/disconnectVirtualNetworkGatewayVpnConnections", body, false);
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    /** az names the gateway with {@code -n} in the vpn-client group. */
    abstract static class GatewayGroupCommand extends ArmCommand {
        @Option(names = {"-g", "--resource-group"}, paramLabel = "GROUP", required = true, description = Descriptions.RESOURCE_GROUP) String resourceGroup;
        @Option(names = {"-n", "--name"}, paramLabel = "NAME", required = true, description = Descriptions.GATEWAY_NAME) String name;

        String gatewayPath(ArmClient client) {
            return client.paths().gateway(resourceGroup, name);
        }
    }
}
