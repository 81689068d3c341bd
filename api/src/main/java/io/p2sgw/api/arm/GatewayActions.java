package io.p2sgw.api.arm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.javalin.http.Context;
import io.p2sgw.api.auth.BearerAuth;
import io.p2sgw.api.http.Json;
import io.p2sgw.api.packages.PackageDownloads;
import io.p2sgw.api.sessions.ConnectionHealth;
import io.p2sgw.control.ArmException;
import io.p2sgw.control.instance.SharedSessions;
import io.p2sgw.control.clientpackage.ClientPackageBuilder;
import io.p2sgw.control.clientpackage.ClientPackageInput;
import io.p2sgw.control.model.ResourceRef;
import io.p2sgw.control.service.GatewayState;
import io.p2sgw.control.service.NetworkService;
import io.p2sgw.control.snapshot.ClientPackageInputs;
import io.p2sgw.dataplane.api.DataPlane;
import io.p2sgw.dataplane.api.SessionInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** POST actions on a gateway (azure-p2s.md §1.1 table; §3 package; §6 sessions). */
public final class GatewayActions {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayActions.class);
    /** ARM accepts many ids per call; this bounds the work one request can ask for. */
    public static final int MAX_DISCONNECT_IDS = 1000;
    private static final Set<String> PACKAGE_ACTIONS = Set.of("generatevpnclientpackage", "generatevpnprofile",
            "getvpnprofilepackageurl");
    /** The package actions that make a new package; getvpnprofilepackageurl reads one (azure-p2s.md §1.1). */
    private static final Set<String> GENERATING_ACTIONS = Set.of("generatevpnclientpackage", "generatevpnprofile");
    private static final Set<String> AUTH_METHODS = Set.of("eaptls");
    private static final Set<String> ARCHITECTURES = Set.of("amd64", "x86");
    /**
     * p2sgw's advisory header (issue 16): beyond ARM, so the body and the operation keep their ARM shapes; the CLI
     * prints it on stderr and the portal shows it.
     */
    public static final String WARNING_HEADER = "x-p2sgw-warning";

    private final NetworkService network;
    private final DataPlane dataPlane;
    private final Supplier<Optional<String>> servedGatewayId;
    private final Operations operations;
    private final GatewayWrites writes;
    private final PackageDownloads downloads;
    private final ClientPackageBuilder packageBuilder;
    private final ApiSettings settings;
    private final Clock clock;
    private final Optional<SharedSessions> sharedSessions;
    private final Supplier<List<String>> otherInstanceAddresses;

    /**
     * @param sharedSessions every instance's sessions, when several share the store (issue 17); empty: this instance's
     *                       data plane is the only one
     * @param otherInstanceAddresses the public addresses of the other live instances, which client packages list too
     */
    public GatewayActions(NetworkService network, DataPlane dataPlane, Supplier<Optional<String>> servedGatewayId,
                          Operations operations, GatewayWrites writes, PackageDownloads downloads, ClientPackageBuilder packageBuilder,
                          ApiSettings settings, Clock clock, Optional<SharedSessions> sharedSessions,
                          Supplier<List<String>> otherInstanceAddresses) {
        this.network = network;
        this.dataPlane = dataPlane;
        this.servedGatewayId = servedGatewayId;
        this.operations = operations;
        this.writes = writes;
        this.downloads = downloads;
        this.packageBuilder = packageBuilder;
        this.settings = settings;
        this.clock = clock;
        this.sharedSessions = sharedSessions;
        this.otherInstanceAddresses = otherInstanceAddresses;
    }

    void handle(Context ctx, ResourceRef gw, String action) {
        if (GENERATING_ACTIONS.contains(action)) {
            // Long-running in ARM (azure-p2s.md §1.1): refused while another operation on the gateway runs (issue 17).
            writes.exclusive(ctx, gw, () -> {
                generatePackage(ctx, gw);
                return null;
            });
            return;
        }
        if (PACKAGE_ACTIONS.contains(action)) {
            generatePackage(ctx, gw);
            return;
        }
        switch (action) {
            case "getvpnclientconnectionhealth" -> Json.write(ctx, ConnectionHealth.render(sessionsOf(gw), clock.instant()));
            case "disconnectvirtualnetworkgatewayvpnconnections" -> disconnect(ctx, gw);
            case "resetvpnclientsharedkey" -> {
                writes.exclusive(ctx, gw, () -> {
                    network.resetStaticKey(gw);
                    return null;
                });
                LOG.info("OpenVPN static key of {} reset by {}; clients need a new package", gw.name(),
                        BearerAuth.principal(ctx).name());
                ctx.status(200);
            }
            default -> throw ArmException.notFound("UnsupportedAction", "Action '" + action + "' is not supported on "
                    + "virtualNetworkGateways by p2sgw. Supported: generatevpnclientpackage, generatevpnprofile, "
                    + "getvpnprofilepackageurl, getVpnClientConnectionHealth, "
                    + "disconnectVirtualNetworkGatewayVpnConnections, resetvpnclientsharedkey.");
        }
    }

    /** The gateway's state; the caller read the gateway first, so a missing group or gateway is ARM's 404. */
    private GatewayState state(ResourceRef gw) {
        return network.gatewayState(gw).orElseThrow(() -> ArmException.badRequest("TargetUriNotSpecified",
                "File download error. Target URI is not specified. Gateway " + gw.name()
                        + " is not attached to an existing virtual network."));
    }

    /**
     * The package reflects the gateway at this moment (azure-p2s.md §3.6); the URL works without the bearer
     * token until it expires, like Azure's SAS URL (§3.1). The result is served at the Location URL.
     */
    private void generatePackage(Context ctx, ResourceRef gw) {
        ObjectNode body = Json.objectBody(ctx);
        String auth = body.path("authenticationMethod").asText("EAPTLS");
        if (!AUTH_METHODS.contains(auth.toLowerCase(Locale.ROOT))) {
            throw ArmException.badRequest("InvalidAuthenticationMethod", "authenticationMethod '" + auth
                    + "' is not supported: p2sgw gateways use certificate authentication (EAPTLS).");
        }
        String arch = body.path("processorArchitecture").asText("Amd64");
        if (!ARCHITECTURES.contains(arch.toLowerCase(Locale.ROOT))) {
            throw ArmException.badRequest("InvalidProcessorArchitecture", "processorArchitecture '" + arch
                    + "' is invalid; use Amd64 or X86 (the package holds both).");
        }
        String location = network.get(gw).path("location").asText(ArmRoutes.DEFAULT_LOCATION); // ARM's 404s first
        GatewayState state = state(gw);
        ClientPackageInput input = ClientPackageInputs.from(state, settings.served(), settings.serverCa(),
                otherInstanceAddresses.get());
        byte[] zip = packageBuilder.buildZip(input);
        String fileName = state.ref().name() + ".zip";
        String token = downloads.add(fileName, zip);
        String url = ArmRoutes.baseUrl(ctx) + "/vpnclientpackage/" + token + "/"
                + URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
        Operations.Operation op = operations.start();
        operations.succeed(op, TextNode.valueOf(url));
        LOG.info("client package for {} generated for {} ({} bytes, link valid {} s)", gw.name(),
                BearerAuth.principal(ctx).name(), zip.length, downloads.ttl().toSeconds());
        ctx.status(202);
        ctx.header("Location", ArmRoutes.operationUrl(ctx, gw, location,
                "operationResults", op.id()));
        ctx.header("Retry-After", ArmRoutes.RETRY_AFTER_SECONDS);
        notServedWarning(gw).ifPresent(w -> ctx.header(WARNING_HEADER, w));
    }

    /**
     * Azure builds the package from the resource whatever answers at its address, and so do we; but a package
     * for a gateway this server does not serve cannot connect here, which the caller should hear about.
     */
    private Optional<String> notServedWarning(ResourceRef gw) {
        if (isServed(gw)) {
            return Optional.empty();
        }
        String serves = servedGatewayId.get()
                .map(id -> "it serves " + ResourceRef.parseNetworkId(id).map(p -> p.ref().name()).orElse(id))
                .orElse("it serves no gateway yet");
        return Optional.of(headerSafe("Gateway " + gw.name() + " is not served by this p2sgw server (" + serves
                + "); the package was generated, but its clients cannot connect here until this server serves "
                + gw.name() + "."));
    }

    /** An HTTP header value is visible ASCII (RFC 9110 §5.5); a name outside it is shown as '?'. */
    private static String headerSafe(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.chars().forEach(c -> b.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return b.toString();
    }

    private boolean isServed(ResourceRef gw) {
        return servedGatewayId.get().map(id -> id.equalsIgnoreCase(gw.id())).orElse(false);
    }

    private List<SessionInfo> sessionsOf(ResourceRef gw) {
        network.get(gw);
        if (sharedSessions.isPresent()) {
            return sharedSessions.get().sessions(gw.id());
        }
        return isServed(gw) ? dataPlane.sessions() : List.of();
    }

    private void disconnect(Context ctx, ResourceRef gw) {
        ObjectNode body = Json.objectBody(ctx);
        JsonNode ids = body.path("vpnConnectionIds");
        if (!ids.isArray()) {
            throw ArmException.badRequest("InvalidRequestFormat", "vpnConnectionIds must be an array of connection ids"
                    + " (from getVpnClientConnectionHealth).");
        }
        if (ids.size() > MAX_DISCONNECT_IDS) {
            throw ArmException.badRequest("InvalidRequestFormat", "At most " + MAX_DISCONNECT_IDS + " vpnConnectionIds per call.");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode id : ids) {
            if (!id.isTextual()) {
                throw ArmException.badRequest("InvalidRequestFormat", "vpnConnectionIds must hold strings.");
            }
            list.add(id.asText());
        }
        network.get(gw);
        String reason = "disconnected by " + BearerAuth.principal(ctx).name();
        int n = sharedSessions.isPresent() ? sharedSessions.get().disconnect(gw.id(), list, reason)
                : isServed(gw) ? dataPlane.disconnect(list, reason) : 0;
        LOG.info("{} asked to disconnect {} session(s) of {}; {} ended or asked of the instance holding it",
                BearerAuth.principal(ctx).name(), list.size(),
                gw.name(), n);
        ctx.status(200);
    }
}
