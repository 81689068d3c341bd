package io.p2sgw.api.arm;

import io.p2sgw.control.ArmException;
import io.p2sgw.control.model.ResourceRef;
import io.p2sgw.control.model.ResourceType;
import io.p2sgw.control.service.GatewayChild;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A parsed ARM request path under {@code /subscriptions/}. ARM paths are case-insensitive in their fixed
 * segments ({@code resourcegroups} and {@code resourceGroups} both work); names keep their casing.
 */
public record ArmPath(Kind kind, String subscription, Optional<ResourceRef> ref, Optional<ResourceType> listType,
                      Optional<String> resourceGroup, String childName, Optional<GatewayChild> gatewayChild, String tail) {
    /** ARM URLs are well under this; longer paths are refused before parsing. */
    public static final int MAX_PATH_LENGTH = 4096;
    private static final int MAX_SEGMENTS = 12;
    private static final String NETWORK = "microsoft.network";

    public enum Kind {
        SUBSCRIPTION, RESOURCE_GROUPS, RESOURCE_GROUP, LIST_IN_GROUP, LIST_IN_SUBSCRIPTION, RESOURCE, SUBNETS, SUBNET,
        GATEWAY_CHILDREN, GATEWAY_CHILD, GATEWAY_ACTION, OPERATION, OPERATION_RESULT
    }

    /** Parses the path after {@code /subscriptions/}, e.g. {@code sub/resourceGroups/rg/providers/...}. */
    public static ArmPath parse(String rawPath) {
        if (rawPath.length() > MAX_PATH_LENGTH) {
            throw ArmException.badRequest("InvalidRequestUri", "The request URI is longer than " + MAX_PATH_LENGTH + " characters.");
        }
        List<String> s = segments(rawPath);
        if (s.size() < 2 || !s.get(0).equalsIgnoreCase("subscriptions")) {
            throw notFound(rawPath);
        }
        String sub = s.get(1);
        s = s.subList(2, s.size());
        if (s.isEmpty()) {
            return new ArmPath(Kind.SUBSCRIPTION, sub, Optional.empty(), Optional.empty(), Optional.empty(), "", Optional.empty(), "");
        }
        String first = lower(s.get(0));
        if (first.equals("resourcegroups")) {
            if (s.size() == 1) {
                return simple(Kind.RESOURCE_GROUPS, sub, Optional.empty());
            }
            String rg = s.get(1);
            if (s.size() == 2) {
                return new ArmPath(Kind.RESOURCE_GROUP, sub, Optional.of(ResourceRef.resourceGroup(sub, rg)), Optional.empty(),
                        Optional.of(rg), "", Optional.empty(), "");
            }
            if (s.size() < 5 || !lower(s.get(2)).equals("providers") || !lower(s.get(3)).equals(NETWORK)) {
                throw notFound(rawPath);
            }
            ResourceType type = networkType(s.get(4));
            if (s.size() == 5) {
                return new ArmPath(Kind.LIST_IN_GROUP, sub, Optional.empty(), Optional.of(type), Optional.of(rg), "", Optional.empty(), "");
            }
            ResourceRef ref = new ResourceRef(sub, rg, type, s.get(5));
            return child(rawPath, sub, ref, s.subList(6, s.size()));
        }
        if (first.equals("providers") && s.size() >= 3 && lower(s.get(1)).equals(NETWORK)) {
            if (s.size() == 3) {
                ResourceType type = networkType(s.get(2));
                return new ArmPath(Kind.LIST_IN_SUBSCRIPTION, sub, Optional.empty(), Optional.of(type), Optional.empty(), "",
                        Optional.empty(), "");
            }
            if (s.size() == 6 && lower(s.get(2)).equals("locations")) {
                String what = lower(s.get(4));
                if (what.equals("operations")) {
                    return new ArmPath(Kind.OPERATION, sub, Optional.empty(), Optional.empty(), Optional.empty(), s.get(5),
                            Optional.empty(), "");
                }
                if (what.equals("operationresults")) {
                    return new ArmPath(Kind.OPERATION_RESULT, sub, Optional.empty(), Optional.empty(), Optional.empty(), s.get(5),
                            Optional.empty(), "");
                }
            }
        }
        throw notFound(rawPath);
    }

    private static ArmPath child(String raw, String sub, ResourceRef ref, List<String> rest) {
        if (rest.isEmpty()) {
            return new ArmPath(Kind.RESOURCE, sub, Optional.of(ref), Optional.empty(), Optional.of(ref.resourceGroup()), "",
                    Optional.empty(), "");
        }
        String seg = lower(rest.get(0));
        if (ref.type() == ResourceType.VIRTUAL_NETWORK && seg.equals("subnets") && rest.size() <= 2) {
            return new ArmPath(rest.size() == 1 ? Kind.SUBNETS : Kind.SUBNET, sub, Optional.of(ref), Optional.empty(),
                    Optional.of(ref.resourceGroup()), rest.size() == 2 ? rest.get(1) : "", Optional.empty(), "");
        }
        if (ref.type() == ResourceType.VIRTUAL_NETWORK_GATEWAY) {
            Optional<GatewayChild> kind = GatewayChild.fromPathSegment(rest.get(0));
            if (kind.isPresent() && rest.size() <= 2) {
                return new ArmPath(rest.size() == 1 ? Kind.GATEWAY_CHILDREN : Kind.GATEWAY_CHILD, sub, Optional.of(ref),
                        Optional.empty(), Optional.of(ref.resourceGroup()), rest.size() == 2 ? rest.get(1) : "", kind, "");
            }
            if (kind.isEmpty() && rest.size() == 1) {
                return new ArmPath(Kind.GATEWAY_ACTION, sub, Optional.of(ref), Optional.empty(), Optional.of(ref.resourceGroup()),
                        "", Optional.empty(), seg);
            }
        }
        throw notFound(raw);
    }

    private static ArmPath simple(Kind kind, String sub, Optional<ResourceRef> ref) {
        return new ArmPath(kind, sub, ref, Optional.empty(), Optional.empty(), "", Optional.empty(), "");
    }

    private static ResourceType networkType(String segment) {
        try {
            ResourceType t = ResourceType.fromPathSegment(segment);
            if (t != ResourceType.RESOURCE_GROUP) {
                return t;
            }
        } catch (IllegalArgumentException e) {
            // fall through to the ARM error below
        }
        throw ArmException.notFound("InvalidResourceType", "The resource type '" + segment
                + "' could not be found in the namespace 'Microsoft.Network'. p2sgw serves virtualNetworks,"
                + " publicIPAddresses and virtualNetworkGateways.");
    }

    private static List<String> segments(String raw) {
        List<String> out = new ArrayList<>();
        for (String part : raw.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            if (out.size() == MAX_SEGMENTS + 2) {
                throw notFound(raw);
            }
            try {
                // Path segments: '+' is a literal plus, not a space.
                out.add(URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw ArmException.badRequest("InvalidRequestUri", "The request URI has a malformed percent-encoding.");
            }
        }
        return out;
    }

    private static ArmException notFound(String raw) {
        return ArmException.notFound("NotFound", "No p2sgw API at '" + raw + "'. See README.md for the supported ARM paths.");
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
