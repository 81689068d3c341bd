package io.p2sgw.control.service;

import io.p2sgw.control.model.ResourceType;
import java.util.Locale;
import java.util.Optional;

/** The child collections of a gateway that have their own ARM paths (azure-p2s.md §1.1). */
public enum GatewayChild {
    ROOT_CERTIFICATES("vpnClientRootCertificates", ResourceType.ROOT_CERTIFICATE_TYPE),
    REVOKED_CERTIFICATES("vpnClientRevokedCertificates", ResourceType.REVOKED_CERTIFICATE_TYPE);

    private final String property;
    private final String armType;

    GatewayChild(String property, String armType) {
        this.property = property;
        this.armType = armType;
    }

    /** Name of the array inside vpnClientConfiguration, and the path segment. */
    public String property() {
        return property;
    }

    public String armType() {
        return armType;
    }

    public static Optional<GatewayChild> fromPathSegment(String segment) {
        String s = segment.toLowerCase(Locale.ROOT);
        for (GatewayChild c : values()) {
            if (c.property.toLowerCase(Locale.ROOT).equals(s)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
