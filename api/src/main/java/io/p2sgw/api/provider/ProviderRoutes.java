package io.p2sgw.api.provider;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.p2sgw.api.auth.BearerAuth;
import io.p2sgw.api.auth.Principal;
import io.p2sgw.api.auth.Role;
import io.p2sgw.api.auth.TokenService;
import io.p2sgw.api.http.Json;
import io.p2sgw.control.ArmException;
import io.p2sgw.control.clientpackage.ServedEndpoints;
import io.p2sgw.dataplane.api.DataPlane;
import io.p2sgw.dataplane.api.TunnelTypeStatus;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * p2sgw's own provider (beyond ARM): {@code /providers/P2sgw/whoami}, {@code /tokens} to manage API tokens,
 * and {@code /status} for the data plane's state. Tokens are shown once, at creation.
 */
public final class ProviderRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderRoutes.class);
    public static final String BASE = "/providers/P2sgw";

    private final TokenService tokens;
    private final DataPlane dataPlane;
    private final Supplier<Optional<String>> servedGatewayId;
    private final String version;
    private final ServedEndpoints served;

    public ProviderRoutes(TokenService tokens, DataPlane dataPlane, Supplier<Optional<String>> servedGatewayId, String version,
                          ServedEndpoints served) {
        this.served = served;
        this.tokens = tokens;
        this.dataPlane = dataPlane;
        this.servedGatewayId = servedGatewayId;
        this.version = version;
    }

    public void register(Javalin app) {
        app.get(BASE + "/whoami", ctx -> {
            Principal p = BearerAuth.principal(ctx);
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("name", p.name());
            out.put("role", p.role().displayName());
            Json.write(ctx, out);
        });
        app.get(BASE + "/status", ctx -> {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("version", version);
            out.put("dataPlane", dataPlane.status());
            // Per enabled tunnel type: served, or not (yet) and why (IKEv2 and SSTP have no server yet).
            ArrayNode types = out.putArray("tunnelTypes");
            for (TunnelTypeStatus t : dataPlane.tunnelTypes()) {
                types.addObject().put("tunnelType", t.tunnelType().armName()).put("served", t.served()).put("detail", t.detail());
            }
            out.put("servedGateway", servedGatewayId.get().orElse(null));
            // Where clients reach this host, as the client package profiles name it (issue 16: "what this host serves").
            ObjectNode endpoint = out.putObject("endpoint");
            endpoint.put("serverName", served.serverName());
            endpoint.put("publicAddress", served.publicAddress());
            endpoint.put("tcpPort", served.tcpPort());
            endpoint.put("openVpnUdpPort", served.openVpnUdpPort());
            // IKEv2 is always UDP 500 and 4500 (RFC 7296 §2, RFC 3948); see ServedEndpoints.
            endpoint.putArray("ikeUdpPorts").add(500).add(4500);
            out.put("sessions", dataPlane.sessions().size());
            Json.write(ctx, out);
        });
        app.get(BASE + "/tokens", ctx -> {
            BearerAuth.requireContributor(ctx, "list tokens");
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            ArrayNode value = out.putArray("value");
            for (TokenService.TokenInfo t : tokens.list()) {
                value.addObject().put("name", t.name()).put("role", t.role().displayName()).put("createdAt", t.createdAt().toString());
            }
            Json.write(ctx, out);
        });
        app.post(BASE + "/tokens", this::create);
        app.delete(BASE + "/tokens/{name}", ctx -> {
            BearerAuth.requireContributor(ctx, "revoke tokens");
            String name = ctx.pathParam("name");
            if (name.equals(BearerAuth.principal(ctx).name()) && name.equals(TokenService.ADMIN_NAME)) {
                throw ArmException.badRequest("CannotRevokeOwnAdminToken",
                        "The admin token cannot revoke itself; create another Contributor token first, or restart the server with --new-admin-token.");
            }
            boolean existed = tokens.delete(name);
            if (existed) {
                LOG.info("token '{}' revoked by {}", name, BearerAuth.principal(ctx).name());
            }
            ctx.status(existed ? 200 : 204);
        });
    }

    /**
     * A string field of the token request, empty when absent; any other JSON type is refused by name, so the answer
     * says what was wrong instead of judging the text Jackson would make of it ("Token name '' is invalid", issue 13).
     */
    static Optional<String> textField(ObjectNode body, String field) {
        var node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            String code = field.equals("name") ? "InvalidTokenName" : "InvalidRole";
            throw ArmException.badRequest(code, "The token request's '" + field + "' must be a JSON string, not "
                    + jsonTypeName(node) + (field.equals("name") ? ", e.g. \"name\":\"auditor\"." : ": \"Contributor\" or \"Reader\"."));
        }
        return Optional.of(node.textValue());
    }

    private static String jsonTypeName(com.fasterxml.jackson.databind.JsonNode node) {
        return switch (node.getNodeType()) {
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private void create(Context ctx) {
        BearerAuth.requireContributor(ctx, "create tokens");
        ObjectNode body = Json.objectBody(ctx);
        String name = textField(body, "name").orElseThrow(() -> ArmException.badRequest("InvalidTokenName",
                "The token request has no 'name': give the token a name, e.g. {\"name\":\"auditor\",\"role\":\"Reader\"}."));
        String roleText = textField(body, "role").orElse(Role.READER.displayName());
        Role role = Role.parse(roleText).orElseThrow(() -> ArmException.badRequest("InvalidRole",
                "Role '" + roleText + "' is unknown; use Contributor or Reader."));
        String token = tokens.create(name, role);
        LOG.info("token '{}' ({}) created by {}", name, role.displayName(), BearerAuth.principal(ctx).name());
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("name", name);
        out.put("role", role.displayName());
        out.put("token", token);
        ctx.status(201);
        Json.write(ctx, out);
    }
}
