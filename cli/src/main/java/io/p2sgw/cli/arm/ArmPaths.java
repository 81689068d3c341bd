package io.p2sgw.cli.arm;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** ARM resource ids (azure-p2s.md §1.1) for one subscription. */
public record ArmPaths(String subscription) {
    public static final String NETWORK = "/providers/Microsoft.Network/";

    public String subscriptionPath() {
        return "/subscriptions/" + seg(subscription);
    }

    public String resourceGroup(String rg) {
        return subscriptionPath() + "/resourceGroups/" + seg(rg);
    }

    /** Collection of one Microsoft.Network type in a resource group, e.g. {@code virtualNetworks}. */
    public String networkCollection(String rg, String type) {
        return resourceGroup(rg) + NETWORK + type;
    }

    public String network(String rg, String type, String name) {
        return networkCollection(rg, type) + "/" + seg(name);
    }

    public String virtualNetwork(String rg, String name) {
        return network(rg, "virtualNetworks", name);
    }

    public String subnet(String rg, String vnet, String name) {
        return virtualNetwork(rg, vnet) + "/subnets/" + seg(name);
    }

    public String publicIp(String rg, String name) {
        return network(rg, "publicIPAddresses", name);
    }

    public String gateway(String rg, String name) {
        return network(rg, "virtualNetworkGateways", name);
    }

    /**
     * An argument that is either a plain name or already a full resource id (az accepts both for
     * {@code --vnet} and {@code --public-ip-addresses}).
     */
    public String idOrName(String rg, String type, String value) {
        return value.startsWith("/subscriptions/") ? value : network(rg, type, value);
    }

    /** Path segments are names with period, underscore, hyphen allowed; escape anything else. */
    static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
