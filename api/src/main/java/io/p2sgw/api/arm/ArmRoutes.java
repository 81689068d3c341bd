package io.p2sgw.api.arm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.p2sgw.api.auth.BearerAuth;
import io.p2sgw.api.http.CloudErrors;
import io.p2sgw.api.http.Json;
import io.p2sgw.control.ArmException;
import io.p2sgw.control.model.ResourceRef;
import io.p2sgw.control.model.ResourceType;
import io.p2sgw.control.service.NetworkService;
import io.p2sgw.control.service.Preconditions;
import io.p2sgw.control.service.WriteResult;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The ARM-shaped resource API under {@code /subscriptions/} (azure-p2s.md §1): resource groups, virtual
 * networks and subnets, public IPs, gateways with their certificate children, gateway actions and the
 * long-running operations they start. Rules live in the control plane; this class only maps HTTP.
 */
public final class ArmRoutes {
    /** Seconds clients should wait between polls of an operation. */
    static final String RETRY_AFTER_SECONDS = "1";
    /** Used in operation URLs when a resource has no location (never, after validation). */
    static final String DEFAULT_LOCATION = "local";

    private final NetworkService network;
    private final Operations operations;
    private final GatewayActions actions;
    private final GatewayWrites writes;
    private final ApiSettings settings;

    public ArmRoutes(NetworkService network, Operations operations, GatewayActions actions, GatewayWrites writes,
                     ApiSettings settings) {
        this.network = network;
        this.operations = operations;
        this.actions = actions;
        this.writes = writes;
        this.settings = settings;
    }

    public void register(Javalin app) {
        for (HandlerType m : List.of(HandlerType.GET, HandlerType.PUT, HandlerType.POST, HandlerType.DELETE,
                HandlerType.PATCH, HandlerType.HEAD)) {
            app.addHttpHandler(m, "/subscriptions/<rest>", this::handle);
        }
    }

    /** Base URL as the client reached us (operation URLs must be reachable by the same client). */
    static String baseUrl(Context ctx) {
        return ctx.scheme() + "://" + ctx.host();
    }

    private void handle(Context ctx) {
        String version = ctx.queryParam("api-version");
        if (version == null || version.isBlank()) {
            throw CloudErrors.missingApiVersion();
        }
        ArmPath path = ArmPath.parse(ctx.path());
        ApiVersions.check(version, versionTarget(path));
        HandlerType method = ctx.method();
        // Before anything about the resource is looked up, as ARM does: a Reader learns nothing from a refused request.
        ArmAuthorization.check(BearerAuth.principal(ctx), method, path, ctx.path());
        requireNameForWrites(path, method, ctx.path());
        switch (path.kind()) {
            case SUBSCRIPTION -> subscription(ctx, path, method);
            case RESOURCE_GROUPS -> list(ctx, method, () -> network.listResourceGroups(path.subscription()));
            case RESOURCE_GROUP -> resourceGroup(ctx, path, method);
            case LIST_IN_GROUP -> list(ctx, method, () -> decorate(path.listType().orElseThrow(),
                    network.list(path.subscription(), path.resourceGroup(), path.listType().orElseThrow())));
            case LIST_IN_SUBSCRIPTION -> list(ctx, method, () -> decorate(path.listType().orElseThrow(),
                    network.list(path.subscription(), Optional.empty(), path.listType().orElseThrow())));
            case RESOURCE -> resource(ctx, path, method);
            case SUBNETS -> list(ctx, method, () -> network.listSubnets(path.ref().orElseThrow()));
            case SUBNET -> subnet(ctx, path, method);
            case GATEWAY_CHILDREN -> list(ctx, method, () -> network.listGatewayChildren(path.ref().orElseThrow(),
                    path.gatewayChild().orElseThrow()));
            case GATEWAY_CHILD -> gatewayChild(ctx, path, method);
            case GATEWAY_ACTION -> {
                if (method == HandlerType.GET && path.tail().equals("connections")) {
                    // Site-to-site connections of the gateway: p2sgw has none (the SDK lists them).
                    network.get(path.ref().orElseThrow());
                    list(ctx, method, List::of);
                    return;
                }
                requireMethod(method, HandlerType.POST);
                actions.handle(ctx, path.ref().orElseThrow(), path.tail());
            }
            case OPERATION -> operation(ctx, path, method);
            case OPERATION_RESULT -> operationResult(ctx, path, method);
        }
    }

    /** The namespace, type and location ARM names when it refuses an api-version for this path. */
    private ApiVersions.Target versionTarget(ArmPath path) {
        return switch (path.kind()) {
            case SUBSCRIPTION -> ApiVersions.Target.resources("subscriptions");
            case RESOURCE_GROUPS, RESOURCE_GROUP -> ApiVersions.Target.resources("resourceGroups");
            case LIST_IN_GROUP, LIST_IN_SUBSCRIPTION -> ApiVersions.Target.network(path.listType().orElseThrow().typeName(),
                    () -> groupLocation(path));
            case RESOURCE, GATEWAY_ACTION -> ApiVersions.Target.network(path.ref().orElseThrow().type().typeName(), () -> groupLocation(path));
            case SUBNETS, SUBNET -> ApiVersions.Target.network("virtualNetworks/subnets", () -> groupLocation(path));
            case GATEWAY_CHILDREN, GATEWAY_CHILD -> ApiVersions.Target.network("virtualNetworkGateways/"
                    + path.gatewayChild().orElseThrow().property(), () -> groupLocation(path));
            case OPERATION -> ApiVersions.Target.network("locations/operations", () -> DEFAULT_LOCATION);
            case OPERATION_RESULT -> ApiVersions.Target.network("locations/operationResults", () -> DEFAULT_LOCATION);
        };
    }

    /** ARM routes a resource's request by its resource group's location; a subscription-wide list has none. */
    private String groupLocation(ArmPath path) {
        if (path.resourceGroup().isEmpty()) {
            return "global";
        }
        try {
            return network.getResourceGroup(path.subscription(), path.resourceGroup().get()).path("location").asText("global");
        } catch (ArmException e) {
            return "global";
        }
    }

    /**
     * A PUT, PATCH or DELETE on a collection is a write whose resource name is missing (a form sent with an empty
     * name): say so instead of ARM's bare "does not support http method 'PUT'" (issue 16).
     */
    private static void requireNameForWrites(ArmPath path, HandlerType method, String rawPath) {
        boolean collection = switch (path.kind()) {
            case RESOURCE_GROUPS, LIST_IN_GROUP, SUBNETS, GATEWAY_CHILDREN -> true;
            default -> false;
        };
        if (collection && (method == HandlerType.PUT || method == HandlerType.PATCH || method == HandlerType.DELETE)) {
            String collectionName = rawPath.replaceAll("/+$", "");
            collectionName = collectionName.substring(collectionName.lastIndexOf('/') + 1);
            throw ArmException.badRequest("InvalidResourceName", "The resource name is missing: " + method + " needs the"
                    + " name of one resource after '" + collectionName + "/' in the request URI, e.g. .../" + collectionName
                    + "/{name}. Give the resource a name.");
        }
    }

    private static void requireMethod(HandlerType actual, HandlerType... allowed) {
        for (HandlerType a : allowed) {
            if (a == actual) {
                return;
            }
        }
        throw new ArmException(405, "MethodNotAllowed", "The requested resource does not support http method '" + actual + "'.");
    }

    private void subscription(Context ctx, ArmPath path, HandlerType method) {
        requireMethod(method, HandlerType.GET);
        ObjectNode sub = JsonNodeFactory.instance.objectNode();
        sub.put("id", "/subscriptions/" + path.subscription());
        sub.put("subscriptionId", path.subscription());
        sub.put("displayName", "p2sgw");
        sub.put("state", "Enabled");
        Json.write(ctx, sub);
    }

    /**
     * A list, one page at a time (ARM's {@code nextLink} paging, {@link ListPages}). The next page's link repeats the
     * request's api-version and adds the skip token; the CLI, the portal and the Azure SDKs follow it.
     */
    private void list(Context ctx, HandlerType method, java.util.function.Supplier<List<ObjectNode>> items) {
        requireMethod(method, HandlerType.GET);
        Optional<String> skipToken = Optional.ofNullable(ctx.queryParam(ListPages.SKIP_TOKEN))
                .or(() -> Optional.ofNullable(ctx.queryParam(ListPages.SKIP_TOKEN_LOWER)));
        ListPages.Page<ObjectNode> page = ListPages.page(items.get(), skipToken, settings.listPageSize());
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode value = out.putArray("value");
        page.items().forEach(value::add);
        page.nextSkipToken().ifPresent(token -> out.put("nextLink", baseUrl(ctx) + ctx.path() + "?api-version="
                + URLEncoder.encode(ctx.queryParam("api-version"), StandardCharsets.UTF_8) + "&" + ListPages.SKIP_TOKEN
                + "=" + token));
        Json.write(ctx, out);
    }

    private void resourceGroup(Context ctx, ArmPath path, HandlerType method) {
        ResourceRef ref = path.ref().orElseThrow();
        switch (method) {
            case GET -> Json.write(ctx, network.getResourceGroup(path.subscription(), ref.resourceGroup()));
            case HEAD -> {
                try {
                    network.getResourceGroup(path.subscription(), ref.resourceGroup());
                    ctx.status(204);
                } catch (ArmException e) {
                    ctx.status(e.status());
                }
            }
            case PUT -> written(ctx, network.putResourceGroup(path.subscription(), ref.resourceGroup(), Json.objectBody(ctx)));
            case DELETE -> ctx.status(network.deleteResourceGroup(path.subscription(), ref.resourceGroup(),
                    writes.deletes(ctx)) ? 200 : 204);
            default -> requireMethod(method, HandlerType.GET, HandlerType.PUT, HandlerType.DELETE, HandlerType.HEAD);
        }
    }

    private void resource(Context ctx, ArmPath path, HandlerType method) {
        ResourceRef ref = path.ref().orElseThrow();
        switch (method) {
            case GET -> Json.write(ctx, decorate(ref.type(), List.of(network.get(ref))).getFirst());
            case PUT -> {
                ObjectNode body = Json.objectBody(ctx);
                Preconditions pre = preconditions(ctx);
                WriteResult r = switch (ref.type()) {
                    case VIRTUAL_NETWORK -> network.putVirtualNetwork(ref, body, pre);
                    case PUBLIC_IP_ADDRESS -> network.putPublicIp(ref, body, pre);
                    case VIRTUAL_NETWORK_GATEWAY -> writes.provisioning(ctx, ref, () -> network.putGateway(ref, body, pre),
                            written -> true);
                    case RESOURCE_GROUP -> throw new IllegalStateException("parsed as a resource group");
                };
                written(ctx, new WriteResult(decorate(ref.type(), List.of(r.body())).getFirst(), r.created()));
            }
            case PATCH -> {
                ObjectNode body = Json.objectBody(ctx);
                Preconditions pre = preconditions(ctx);
                Json.write(ctx, ref.type() == ResourceType.VIRTUAL_NETWORK_GATEWAY
                        ? writes.exclusive(ctx, ref, () -> network.patchTags(ref, body, pre))
                        : network.patchTags(ref, body, pre));
            }
            case DELETE -> {
                Preconditions pre = preconditions(ctx);
                boolean existed = ref.type() == ResourceType.VIRTUAL_NETWORK_GATEWAY
                        ? writes.exclusive(ctx, ref, () -> network.delete(ref, pre, writes.deletes(ctx)))
                        : network.delete(ref, pre, writes.deletes(ctx));
                ctx.status(existed ? 200 : 204);
            }
            default -> requireMethod(method, HandlerType.GET, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);
        }
    }

    private void subnet(Context ctx, ArmPath path, HandlerType method) {
        ResourceRef vnet = path.ref().orElseThrow();
        switch (method) {
            case GET -> Json.write(ctx, network.getSubnet(vnet, path.childName()));
            case PUT -> written(ctx, network.putSubnet(vnet, path.childName(), Json.objectBody(ctx), preconditions(ctx)));
            case DELETE -> ctx.status(network.deleteSubnet(vnet, path.childName(), preconditions(ctx)) ? 200 : 204);
            default -> requireMethod(method, HandlerType.GET, HandlerType.PUT, HandlerType.DELETE);
        }
    }

    private void gatewayChild(Context ctx, ArmPath path, HandlerType method) {
        ResourceRef gw = path.ref().orElseThrow();
        var kind = path.gatewayChild().orElseThrow();
        switch (method) {
            case GET -> Json.write(ctx, network.getGatewayChild(gw, kind, path.childName()));
            case PUT -> {
                ObjectNode body = Json.objectBody(ctx);
                Preconditions pre = preconditions(ctx);
                written(ctx, writes.provisioning(ctx, gw, () -> network.putGatewayChild(gw, kind, path.childName(), body, pre),
                        r -> true));
            }
            case DELETE -> {
                Preconditions pre = preconditions(ctx);
                boolean existed = writes.provisioning(ctx, gw, () -> network.deleteGatewayChild(gw, kind, path.childName(), pre),
                        deleted -> deleted);
                ctx.status(existed ? 200 : 204);
            }
            default -> requireMethod(method, HandlerType.GET, HandlerType.PUT, HandlerType.DELETE);
        }
    }

    private static void written(Context ctx, WriteResult r) {
        ctx.status(r.created() ? 201 : 200);
        Json.write(ctx, r.body());
    }

    private static Preconditions preconditions(Context ctx) {
        return new Preconditions(Optional.ofNullable(ctx.header("If-Match")), Optional.ofNullable(ctx.header("If-None-Match")));
    }

    /** ARM puts operations under the resource's location: {@code .../locations/eastus/operations/{id}}. */
    static String operationUrl(Context ctx, ResourceRef ref, String location, String kind, String id) {
        String loc = URLEncoder.encode(location.isBlank() ? DEFAULT_LOCATION : location, StandardCharsets.UTF_8);
        return baseUrl(ctx) + "/subscriptions/" + ref.subscription() + "/providers/Microsoft.Network/locations/"
                + loc + "/" + kind + "/" + id + "?api-version=" + ctx.queryParam("api-version");
    }

    private void operation(Context ctx, ArmPath path, HandlerType method) {
        requireMethod(method, HandlerType.GET);
        Operations.Operation op = operations.get(path.childName()).orElseThrow(() -> ArmException.notFound("OperationNotFound",
                "Operation " + path.childName() + " is not known (operations are kept for " + Operations.RETENTION.toMinutes()
                        + " minutes after they end)."));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("id", ctx.path());
        out.put("name", op.id());
        out.put("status", op.status().armName());
        out.put("startTime", op.started().toString());
        op.ended().ifPresent(t -> out.put("endTime", t.toString()));
        op.error().ifPresent(e -> out.set("error", CloudErrors.body(e.code(), e.getMessage()).get("error")));
        if (op.status() == Operations.Status.IN_PROGRESS) {
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        Json.write(ctx, out);
    }

    private void operationResult(Context ctx, ArmPath path, HandlerType method) {
        requireMethod(method, HandlerType.GET);
        Operations.Operation op = operations.get(path.childName()).orElseThrow(() -> ArmException.notFound("OperationNotFound",
                "Operation " + path.childName() + " is not known."));
        switch (op.status()) {
            case IN_PROGRESS -> {
                ctx.status(202);
                ctx.header("Location", baseUrl(ctx) + ctx.path() + "?" + ctx.queryString());
                ctx.header("Retry-After", RETRY_AFTER_SECONDS);
            }
            case FAILED -> throw op.error().orElseThrow();
            case SUCCEEDED -> {
                Optional<JsonNode> result = op.result();
                if (result.isPresent()) {
                    Json.write(ctx, result.get());
                } else {
                    ctx.status(204);
                }
            }
        }
    }

    /**
     * Public IP resources report the address this host serves on once a gateway uses them (the control plane sets
     * their {@code properties.ipConfiguration} back-reference): a p2sgw host has one public address
     * ({@code --public-address}), like a gateway instance.
     */
    private List<ObjectNode> decorate(ResourceType type, List<ObjectNode> items) {
        if (type != ResourceType.PUBLIC_IP_ADDRESS) {
            return items;
        }
        return items.stream().map(n -> {
            if (n.path("properties").path("ipConfiguration").path("id").asText().isEmpty()) {
                return n;
            }
            ObjectNode copy = n.deepCopy();
            copy.with("properties").put("ipAddress", settings.publicAddress());
            return copy;
        }).toList();
    }
}
