package io.p2sgw.control.model;

import java.util.Locale;

/** The ARM resource types p2sgw stores as documents (child resources live inside their parent). */
public enum ResourceType {
    RESOURCE_GROUP("Microsoft.Resources/resourceGroups", "resourcegroups"),
    VIRTUAL_NETWORK("Microsoft.Network/virtualNetworks", "virtualnetworks"),
    PUBLIC_IP_ADDRESS("Microsoft.Network/publicIPAddresses", "publicipaddresses"),
    VIRTUAL_NETWORK_GATEWAY("Microsoft.Network/virtualNetworkGateways", "virtualnetworkgateways");

    public static final String SUBNET_TYPE = "Microsoft.Network/virtualNetworks/subnets";
    public static final String IP_CONFIGURATION_TYPE = "Microsoft.Network/virtualNetworkGateways/ipConfigurations";
    public static final String ROOT_CERTIFICATE_TYPE = "Microsoft.Network/virtualNetworkGateways/vpnClientRootCertificates";
    public static final String REVOKED_CERTIFICATE_TYPE = "Microsoft.Network/virtualNetworkGateways/vpnClientRevokedCertificates";

    private final String armType;
    private final String pathSegment;

    ResourceType(String armType, String pathSegment) {
        this.armType = armType;
        this.pathSegment = pathSegment;
    }

    public String armType() {
        return armType;
    }

    /** The last type segment as it appears in ids (matched case-insensitively, as ARM does). */
    public String pathSegment() {
        return pathSegment;
    }

    public String typeName() {
        return armType.substring(armType.indexOf('/') + 1);
    }

    public static ResourceType fromPathSegment(String segment) {
        String s = segment.toLowerCase(Locale.ROOT);
        for (ResourceType t : values()) {
            if (t.pathSegment.equals(s)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown resource type " + segment);
    }
}
