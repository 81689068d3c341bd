package io.p2sgw.lab.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.cli.arm.ArmClient;
import io.p2sgw.lab.Lab;
import io.p2sgw.lab.LabException;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.Pem;
import io.p2sgw.pki.profile.OvpnProfiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The seed walkthrough ("Configure a Point-to-Site VPN connection using Azure certificate authentication") through
 * the ARM-shaped REST API, with the seed's names and ranges: TestRG1, VNet1 10.1.0.0/16 with FrontEnd
 * 10.1.0.0/24 and GatewaySubnet 10.1.255.0/27, VNet1GWpip, VNet1GW (VpnGw2, Generation2), pool 172.16.201.0/24,
 * OpenVPN, certificate authentication, root P2SRootCert. Used by {@code p2sgw demo} and the interop tests.
 */
public final class SeedWalkthrough {
    public static final String RESOURCE_GROUP = "TestRG1";
    public static final String LOCATION = "eastus";
    public static final String VNET = "VNet1";
    public static final String FRONTEND = "FrontEnd";
    public static final String GATEWAY_SUBNET = "GatewaySubnet";
    public static final String PUBLIC_IP = "VNet1GWpip";
    public static final String GATEWAY = "VNet1GW";
    public static final String ROOT_CERT_NAME = "P2SRootCert";
    /** Every tunnel type p2sgw serves, as {@code vpnClientProtocols} spells them (azure-p2s.md §2.2). */
    public static final List<String> ALL_TUNNEL_TYPES = List.of("OpenVPN", "IkeV2", "SSTP");
    /** Path of the OpenVPN profile inside the client package (azure-p2s.md §3.2). */
    public static final String PROFILE_ENTRY = "OpenVPN/vpnconfig.ovpn";
    /** A profile is a few KB; refuse to inflate more than this from one zip entry. */
    public static final int MAX_PROFILE_BYTES = 1024 * 1024;
    /** Bound on zip entries scanned. */
    public static final int MAX_ZIP_ENTRIES = 1000;
    private static final Pattern REMOTE = Pattern.compile("(?m)^remote\\s+(\\S+)(\\s+\\d+)?(.*)$");
    private static final Pattern IPV4 = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArmClient arm;
    private final Consumer<String> step;

    /** @param step prints one line per step (the demo's narration) */
    public SeedWalkthrough(ArmClient arm, Consumer<String> step) {
        this.arm = arm;
        this.step = step;
    }

    public String gatewayPath() {
        return arm.paths().gateway(RESOURCE_GROUP, GATEWAY);
    }

    /** Resource group, VNet with FrontEnd, GatewaySubnet, public IP. */
    public void createNetwork() {
        step.accept("PUT resource group " + RESOURCE_GROUP + " (" + LOCATION + ")");
        ObjectNode rg = JSON.createObjectNode().put("location", LOCATION);
        arm.put(arm.paths().resourceGroup(RESOURCE_GROUP), rg, false);

        step.accept("PUT virtual network " + VNET + " 10.1.0.0/16 with subnet " + FRONTEND + " 10.1.0.0/24");
        ObjectNode vnet = JSON.createObjectNode().put("location", LOCATION);
        ObjectNode props = vnet.putObject("properties");
        props.putObject("addressSpace").putArray("addressPrefixes").add(Lab.VNET_PREFIX);
        ObjectNode fe = props.putArray("subnets").addObject().put("name", FRONTEND);
        fe.putObject("properties").put("addressPrefix", "10.1.0.0/24");
        arm.put(arm.paths().virtualNetwork(RESOURCE_GROUP, VNET), vnet, false);

        step.accept("PUT subnet " + GATEWAY_SUBNET + " " + Lab.GATEWAY_SUBNET_PREFIX);
        ObjectNode sub = JSON.createObjectNode();
        sub.putObject("properties").put("addressPrefix", Lab.GATEWAY_SUBNET_PREFIX);
        arm.put(arm.paths().subnet(RESOURCE_GROUP, VNET, GATEWAY_SUBNET), sub, false);

        step.accept("PUT public IP " + PUBLIC_IP + " (Standard, Static)");
        ObjectNode pip = JSON.createObjectNode().put("location", LOCATION);
        pip.putObject("sku").put("name", "Standard");
        pip.putObject("properties").put("publicIPAllocationMethod", "Static");
        arm.put(arm.paths().publicIp(RESOURCE_GROUP, PUBLIC_IP), pip, false);
    }

    /** The gateway: route-based VPN, VpnGw2, Generation2 (the walkthrough's long-running create). */
    public JsonNode createGateway() {
        step.accept("PUT virtual network gateway " + GATEWAY + " (Vpn, RouteBased, VpnGw2, Generation2) and wait");
        ObjectNode gw = JSON.createObjectNode().put("location", LOCATION);
        ObjectNode p = gw.putObject("properties");
        p.put("gatewayType", "Vpn").put("vpnType", "RouteBased").put("vpnGatewayGeneration", "Generation2")
                .put("activeActive", false).put("enableBgp", false);
        p.putObject("sku").put("name", "VpnGw2").put("tier", "VpnGw2");
        ObjectNode ipc = p.putArray("ipConfigurations").addObject().put("name", "default");
        ObjectNode ipp = ipc.putObject("properties").put("privateIPAllocationMethod", "Dynamic");
        ipp.putObject("subnet").put("id", arm.paths().subnet(RESOURCE_GROUP, VNET, GATEWAY_SUBNET));
        ipp.putObject("publicIPAddress").put("id", arm.paths().publicIp(RESOURCE_GROUP, PUBLIC_IP));
        JsonNode result = arm.put(gatewayPath(), gw, false);
        step.accept("  provisioningState: " + result.path("properties").path("provisioningState").asText("?"));
        return result;
    }

    /** Point-to-site: address pool, OpenVPN, certificate authentication, the root certificate's public data. */
    public JsonNode configurePointToSite(X509Certificate root) {
        return configurePointToSite(root, List.of("OpenVPN"));
    }

    /** The same with the given {@code vpnClientProtocols} (e.g. OpenVPN and IkeV2). */
    public JsonNode configurePointToSite(X509Certificate root, List<String> protocols) {
        step.accept("GET " + GATEWAY + ", add vpnClientConfiguration: pool " + Lab.CLIENT_POOL
                + ", tunnel types " + String.join(", ", protocols) + ", Azure certificate auth, root " + ROOT_CERT_NAME
                + " (thumbprint " + Certificates.thumbprint(root) + ")");
        ObjectNode gw = (ObjectNode) arm.get(gatewayPath()).deepCopy();
        ObjectNode props = (ObjectNode) gw.path("properties");
        ObjectNode vcc = props.putObject("vpnClientConfiguration");
        vcc.putObject("vpnClientAddressPool").putArray("addressPrefixes").add(Lab.CLIENT_POOL);
        ArrayNode types = vcc.putArray("vpnClientProtocols");
        protocols.forEach(types::add);
        vcc.putArray("vpnAuthenticationTypes").add("Certificate");
        ArrayNode roots = vcc.putArray("vpnClientRootCertificates");
        roots.addObject().put("name", ROOT_CERT_NAME).putObject("properties")
                .put("publicCertData", Certificates.publicCertData(root));
        JsonNode result = arm.put(gatewayPath(), gw, false);
        step.accept("  provisioningState: " + result.path("properties").path("provisioningState").asText("?"));
        return result;
    }

    /**
     * Reads the gateway back as an operator would ({@code az network vnet-gateway show}) and returns the tunnel types of
     * {@code wanted} it does not enable (empty: all enabled).
     */
    public List<String> missingTunnelTypes(List<String> wanted) {
        JsonNode gw = arm.get(gatewayPath());
        step.accept("GET " + GATEWAY + ": vpnClientProtocols " + SessionChecks.tunnelTypes(gw));
        return SessionChecks.missingTunnelTypes(gw, wanted);
    }

    /** generatevpnclientpackage, download, and the OpenVPN profile template from the zip. */
    public String downloadProfileTemplate(Path saveZipTo) {
        step.accept("POST generatevpnclientpackage (Amd64, EAPTLS)");
        ObjectNode body = JSON.createObjectNode().put("processorArchitecture", "Amd64").put("authenticationMethod", "EAPTLS");
        JsonNode url = arm.post(gatewayPath() + "/generatevpnclientpackage", body, false);
        if (!url.isTextual()) {
            throw new LabException("generatevpnclientpackage did not return a URL string: " + url);
        }
        step.accept("  download the package");
        byte[] zip = arm.download(URI.create(url.asText()));
        try {
            Files.write(saveZipTo, zip);
        } catch (IOException e) {
            throw new LabException("cannot save the package: " + e.getMessage(), e);
        }
        step.accept("  " + zip.length + " bytes saved to " + saveZipTo);
        return profileFromZip(zip);
    }

    static String profileFromZip(byte[] zip) {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            for (int n = 0; (e = in.getNextEntry()) != null && n < MAX_ZIP_ENTRIES; n++) {
                if (e.getName().equalsIgnoreCase(PROFILE_ENTRY)) {
                    byte[] b = in.readNBytes(MAX_PROFILE_BYTES + 1);
                    if (b.length > MAX_PROFILE_BYTES) {
                        throw new LabException(PROFILE_ENTRY + " is larger than " + MAX_PROFILE_BYTES + " bytes");
                    }
                    return new String(b, StandardCharsets.UTF_8);
                }
            }
        } catch (IOException ex) {
            throw new LabException("the client package is not a readable zip: " + ex.getMessage(), ex);
        }
        throw new LabException("the client package has no " + PROFILE_ENTRY);
    }

    /**
     * Fills $CLIENTCERTIFICATE and $PRIVATEKEY as the docs tell users to (azure-p2s.md §3.4) and, since the lab has
     * no DNS, points a {@code remote} that names a host at the gateway's public address. Written with mode 0600.
     */
    public Path fillProfile(String template, KeyAndChain client, Path target) {
        step.accept("fill $CLIENTCERTIFICATE and $PRIVATEKEY in vpnconfig.ovpn with the client certificate "
                + Certificates.commonName(client.certificate()) + " (thumbprint " + Certificates.thumbprint(client.certificate()) + ")");
        String filled = OvpnProfiles.fill(template, Pem.certificatesToPem(client.chain()), Pem.privateKeyToPem(client.key()));
        Matcher m = REMOTE.matcher(filled);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String host = m.group(1);
            String rest = (m.group(2) == null ? "" : m.group(2)) + m.group(3);
            if (!IPV4.matcher(host).matches()) {
                step.accept("  remote " + host + ": the lab has no DNS, use " + Lab.GATEWAY_PUBLIC_ADDRESS);
                host = Lab.GATEWAY_PUBLIC_ADDRESS;
            }
            m.appendReplacement(sb, Matcher.quoteReplacement("remote " + host + rest));
        }
        m.appendTail(sb);
        try {
            Files.deleteIfExists(target);
            Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(target, sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LabException("cannot write " + target + ": " + e.getMessage(), e);
        }
        return target;
    }

    /** getVpnClientConnectionHealth: the live sessions (azure-p2s.md §6.1). */
    public List<JsonNode> connectionHealth() {
        JsonNode r = arm.post(gatewayPath() + "/getVpnClientConnectionHealth", JSON.createObjectNode(), false);
        JsonNode v = r.path("value");
        return v.isArray() ? java.util.stream.StreamSupport.stream(v.spliterator(), false).toList() : List.of();
    }

    /** Adds a thumbprint to vpnClientRevokedCertificates (azure-p2s.md §2.4). */
    public void revoke(String name, String thumbprint) {
        step.accept("revoke " + name + " (thumbprint " + thumbprint + ")");
        ObjectNode gw = (ObjectNode) arm.get(gatewayPath()).deepCopy();
        ObjectNode vcc = (ObjectNode) gw.path("properties").path("vpnClientConfiguration");
        ArrayNode revoked = vcc.has("vpnClientRevokedCertificates") ? (ArrayNode) vcc.get("vpnClientRevokedCertificates")
                : vcc.putArray("vpnClientRevokedCertificates");
        revoked.addObject().put("name", name).putObject("properties").put("thumbprint", thumbprint);
        arm.put(gatewayPath(), gw, false);
    }
}
