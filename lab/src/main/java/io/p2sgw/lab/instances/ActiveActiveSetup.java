package io.p2sgw.lab.instances;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.cli.arm.ArmClient;
import io.p2sgw.lab.Lab;
import io.p2sgw.lab.demo.SeedWalkthrough;
import io.p2sgw.pki.Certificates;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Consumer;

/**
 * The seed's gateway made active-active with point-to-site through the API, as Azure's "active-active VPN gateway"
 * how-to does: two more public IPs, the gateway with {@code activeActive: true} and two ipConfigurations, then the
 * point-to-site configuration with the third ipConfiguration that an active-active gateway with P2S needs
 * (azure-p2s.md §1.2, §2.1). The network itself comes from {@link SeedWalkthrough#createNetwork()}.
 */
public final class ActiveActiveSetup {
    /** The seed's public IP is the first; these two are the second instance's and the P2S one. */
    public static final List<String> MORE_PUBLIC_IPS = List.of("VNet1GWpip2", "VNet1GWpip3");
    /** What the two-instance proof has always configured. */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("OpenVPN");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArmClient arm;
    private final Consumer<String> step;

    public ActiveActiveSetup(ArmClient arm, Consumer<String> step) {
        this.arm = arm;
        this.step = step;
    }

    private String gatewayPath() {
        return arm.paths().gateway(SeedWalkthrough.RESOURCE_GROUP, SeedWalkthrough.GATEWAY);
    }

    /** The two public IPs and the active-active gateway (VpnGw2AZ, Generation2), waiting for the create. */
    public JsonNode createGateway() {
        for (String name : MORE_PUBLIC_IPS) {
            step.accept("PUT public IP " + name + " (Standard, Static)");
            ObjectNode pip = JSON.createObjectNode().put("location", SeedWalkthrough.LOCATION);
            pip.putObject("sku").put("name", "Standard");
            pip.putObject("properties").put("publicIPAllocationMethod", "Static");
            arm.put(arm.paths().publicIp(SeedWalkthrough.RESOURCE_GROUP, name), pip, false);
        }
        step.accept("PUT virtual network gateway " + SeedWalkthrough.GATEWAY + " (Vpn, RouteBased, VpnGw2AZ, Generation2,"
                + " activeActive: true, two ipConfigurations) and wait");
        ObjectNode gw = JSON.createObjectNode().put("location", SeedWalkthrough.LOCATION);
        ObjectNode p = gw.putObject("properties");
        p.put("gatewayType", "Vpn").put("vpnType", "RouteBased").put("vpnGatewayGeneration", "Generation2")
                .put("activeActive", true).put("enableBgp", false);
        p.putObject("sku").put("name", "VpnGw2AZ").put("tier", "VpnGw2AZ");
        ArrayNode ipcs = p.putArray("ipConfigurations");
        addIpConfiguration(ipcs, "default", SeedWalkthrough.PUBLIC_IP);
        addIpConfiguration(ipcs, "activeActive", MORE_PUBLIC_IPS.get(0));
        JsonNode result = arm.put(gatewayPath(), gw, false);
        step.accept("  provisioningState: " + result.path("properties").path("provisioningState").asText("?"));
        return result;
    }

    /** Pool 172.16.201.0/24 (each instance serves a half), OpenVPN, certificate authentication, the root. */
    public JsonNode configurePointToSite(X509Certificate root) {
        return configurePointToSite(root, DEFAULT_PROTOCOLS);
    }

    /** The same with the given vpnClientProtocols (e.g. OpenVPN and IkeV2). */
    public JsonNode configurePointToSite(X509Certificate root, List<String> protocols) {
        step.accept("GET " + SeedWalkthrough.GATEWAY + ", add the third ipConfiguration (" + MORE_PUBLIC_IPS.get(1)
                + ") and vpnClientConfiguration: pool " + Lab.CLIENT_POOL + ", " + String.join(" and ", protocols)
                + ", certificate auth, root "
                + SeedWalkthrough.ROOT_CERT_NAME + " (thumbprint " + Certificates.thumbprint(root) + ")");
        ObjectNode gw = (ObjectNode) arm.get(gatewayPath()).deepCopy();
        ObjectNode props = (ObjectNode) gw.path("properties");
        addIpConfiguration((ArrayNode) props.path("ipConfigurations"), "p2s", MORE_PUBLIC_IPS.get(1));
        ObjectNode vcc = props.putObject("vpnClientConfiguration");
        vcc.putObject("vpnClientAddressPool").putArray("addressPrefixes").add(Lab.CLIENT_POOL);
        ArrayNode tunnelTypes = vcc.putArray("vpnClientProtocols");
        protocols.forEach(tunnelTypes::add);
        vcc.putArray("vpnAuthenticationTypes").add("Certificate");
        vcc.putArray("vpnClientRootCertificates").addObject().put("name", SeedWalkthrough.ROOT_CERT_NAME)
                .putObject("properties").put("publicCertData", Certificates.publicCertData(root));
        JsonNode result = arm.put(gatewayPath(), gw, false);
        step.accept("  provisioningState: " + result.path("properties").path("provisioningState").asText("?"));
        return result;
    }

    private void addIpConfiguration(ArrayNode ipcs, String name, String publicIp) {
        ObjectNode ipp = ipcs.addObject().put("name", name).putObject("properties").put("privateIPAllocationMethod", "Dynamic");
        ipp.putObject("subnet").put("id", arm.paths().subnet(SeedWalkthrough.RESOURCE_GROUP, SeedWalkthrough.VNET,
                SeedWalkthrough.GATEWAY_SUBNET));
        ipp.putObject("publicIPAddress").put("id", arm.paths().publicIp(SeedWalkthrough.RESOURCE_GROUP, publicIp));
    }
}
