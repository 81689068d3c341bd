package io.p2sgw.control.model;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The address of a top-level resource: subscription, resource group, type and name. ARM compares ids
 * case-insensitively ({@link #key()}) but echoes the casing the resource was created with.
 */
public record ResourceRef(String subscription, String resourceGroup, ResourceType type, String name) {
    /** Ids of network resources, optionally followed by a child path (subnets, certificates, ...). */
    private static final Pattern NETWORK_ID = Pattern.compile(
            "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Network/([^/]+)/([^/]+)(/.*)?",
            Pattern.CASE_INSENSITIVE);
    /** Longest id we accept in a reference; ARM ids are far shorter. */
    public static final int MAX_ID_LENGTH = 1024;

    public ResourceRef {
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(resourceGroup, "resourceGroup");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
    }

    public static ResourceRef resourceGroup(String subscription, String resourceGroup) {
        return new ResourceRef(subscription, resourceGroup, ResourceType.RESOURCE_GROUP, resourceGroup);
    }

    public ResourceRef sibling(ResourceType otherType, String otherName) {
        return new ResourceRef(subscription, resourceGroup, otherType, otherName);
    }

    public ResourceRef group() {
        return resourceGroup(subscription, resourceGroup);
    }

    /** The ARM id, e.g. {@code /subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/VNet1}. */
    public String id() {
        String rg = "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup;
        return type == ResourceType.RESOURCE_GROUP ? rg : rg + "/providers/" + type.armType() + "/" + name;
    }

    /** The case-insensitive identity used as the store's primary key. */
    public String key() {
        return id().toLowerCase(Locale.ROOT);
    }

    /** A reference to a network resource parsed from an id, with the child path after it (may be empty). */
    public record Parsed(ResourceRef ref, String childPath) {}

    public static Optional<Parsed> parseNetworkId(String id) {
        if (id == null || id.length() > MAX_ID_LENGTH) {
            return Optional.empty();
        }
        Matcher m = NETWORK_ID.matcher(id);
        if (!m.matches()) {
            return Optional.empty();
        }
        ResourceType type;
        try {
            type = ResourceType.fromPathSegment(m.group(3));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (type == ResourceType.RESOURCE_GROUP) {
            return Optional.empty();
        }
        return Optional.of(new Parsed(new ResourceRef(m.group(1), m.group(2), type, m.group(4)),
                m.group(5) == null ? "" : m.group(5)));
    }
}
