package io.p2sgw.api.arm;

import io.javalin.http.HandlerType;
import io.p2sgw.api.auth.Principal;
import io.p2sgw.api.auth.Role;
import io.p2sgw.api.http.CloudErrors;
import io.p2sgw.control.model.ResourceType;

/**
 * Who may do what on the ARM paths, as Azure's built-in roles decide it: Reader holds only {@code *}{@code /read},
 * so it may GET (and HEAD) and nothing else; every write, delete and POST action, including
 * {@code getVpnClientConnectionHealth} (users' names, addresses and thumbprints; azure-p2s.md §6.1: "Viewing and
 * disconnecting needs the Contributor role; Reader is not enough"), needs Contributor. A refusal is ARM's 403
 * {@code AuthorizationFailed}, naming the ARM operation ({@code Microsoft.Network/virtualNetworkGateways/
 * getvpnclientconnectionhealth/action}) and the scope, before anything about the resource is looked up.
 */
public final class ArmAuthorization {
    private ArmAuthorization() {}

    /** Throws ARM's 403 when {@code who} may not do {@code method} on {@code path}; {@code scope} is the request path. */
    public static void check(Principal who, HandlerType method, ArmPath path, String scope) {
        if (who.role() == Role.CONTRIBUTOR || isRead(method)) {
            return;
        }
        throw CloudErrors.forbidden(who.name(), operation(method, path), scope);
    }

    static boolean isRead(HandlerType method) {
        return method == HandlerType.GET || method == HandlerType.HEAD;
    }

    /** ARM's operation name for a request, as in role definitions and in AuthorizationFailed messages. */
    static String operation(HandlerType method, ArmPath path) {
        String type = switch (path.kind()) {
            case SUBSCRIPTION -> "Microsoft.Resources/subscriptions";
            case RESOURCE_GROUPS, RESOURCE_GROUP -> "Microsoft.Resources/subscriptions/resourceGroups";
            case LIST_IN_GROUP, LIST_IN_SUBSCRIPTION -> path.listType().map(ResourceType::armType).orElse("Microsoft.Network");
            case RESOURCE, GATEWAY_ACTION -> path.ref().map(r -> r.type().armType()).orElse("Microsoft.Network");
            case SUBNETS, SUBNET -> ResourceType.SUBNET_TYPE;
            case GATEWAY_CHILDREN, GATEWAY_CHILD -> path.gatewayChild().map(c -> c.armType()).orElse("Microsoft.Network");
            case OPERATION, OPERATION_RESULT -> "Microsoft.Network/locations/operations";
        };
        if (path.kind() == ArmPath.Kind.GATEWAY_ACTION && method == HandlerType.POST) {
            return type + "/" + path.tail() + "/action";
        }
        String verb = switch (method) {
            case GET, HEAD -> "read";
            case DELETE -> "delete";
            case POST -> "action";
            default -> "write";
        };
        return type + "/" + verb;
    }
}
