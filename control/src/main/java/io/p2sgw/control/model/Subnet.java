package io.p2sgw.control.model;

/** A subnet of a virtual network (azure-p2s.md §1.2). */
public record Subnet(String name, Ipv4Cidr addressPrefix) {
    /** The gateway subnet must be named exactly this (azure-p2s.md §1.2). */
    public static final String GATEWAY_SUBNET = "GatewaySubnet";
    /** Smallest GatewaySubnet: /29 (FAQ, azure-p2s.md §1.2). */
    public static final int GATEWAY_SUBNET_MAX_PREFIX_LENGTH = 29;

    public boolean isGatewaySubnet() {
        return GATEWAY_SUBNET.equals(name);
    }
}
