package io.p2sgw.control.rules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.control.ArmException;
import io.p2sgw.control.model.GatewaySku;
import io.p2sgw.control.model.IpConfiguration;
import io.p2sgw.control.model.Ipv4Cidr;
import io.p2sgw.control.model.JsonFields;
import io.p2sgw.control.model.RevokedCertificate;
import io.p2sgw.control.model.RootCertificate;
import io.p2sgw.control.model.VirtualNetwork;
import io.p2sgw.control.model.VirtualNetworkGateway;
import io.p2sgw.control.model.VpnClientConfiguration;
import io.p2sgw.control.model.VpnGatewayGeneration;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.pki.Certificates;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a virtualNetworkGateways body and checks the rules that need only the gateway itself
 * (azure-p2s.md §1.3, §1.4, §2.1-§2.4, §2.6). Rules that need the VNet are in {@link #checkAgainstVnet}.
 */
public final class GatewayRules {
    /** Up to 20 trusted root .cer entries (azure-p2s.md §2.3). */
    public static final int MAX_ROOT_CERTIFICATES = 20;
    /** Smallest client pool: /29 active-standby, /28 active-active (azure-p2s.md §2.1). */
    public static final int POOL_MAX_PREFIX_LENGTH = 29;
    public static final int POOL_MAX_PREFIX_LENGTH_ACTIVE_ACTIVE = 28;

    private static final List<String> GATEWAY_TYPES = List.of("Vpn", "ExpressRoute", "LocalGateway");
    private static final List<String> VPN_TYPES = List.of("RouteBased", "PolicyBased");
    private static final List<String> AUTH_TYPES = List.of("Certificate", "Radius", "AAD");
    private static final List<String> ALLOCATION_METHODS = List.of("Dynamic", "Static");

    private GatewayRules() {}

    private static ArmException required(String path) {
        return ArmException.badRequest("InvalidRequestFormat", "Cannot parse the request. Property '" + path + "' is required.");
    }

    private static Optional<String> canonical(List<String> allowed, String value) {
        return allowed.stream().filter(a -> a.equalsIgnoreCase(value)).findFirst();
    }

    /**
     * @param gatewayId the gateway's ARM id, used in the certificate error texts
     */
    public static VirtualNetworkGateway read(String name, String gatewayId, ObjectNode body) {
        NameRules.requireValid(name, 1, NameRules.GATEWAY_MAX);
        ObjectNode props = JsonFields.object(body, "properties", "properties").orElseThrow(() -> required("properties"));

        // az CLI defaults: gatewayType Vpn, vpnType RouteBased.
        String gatewayTypeText = JsonFields.string(props, "gatewayType", "properties.gatewayType").orElse("Vpn");
        String gatewayType = canonical(GATEWAY_TYPES, gatewayTypeText).orElseThrow(() -> ArmException.badRequest(
                "InvalidGatewayType", "Gateway type '" + gatewayTypeText + "' is not valid. Valid values: " + GATEWAY_TYPES + "."));
        String vpnTypeText = JsonFields.string(props, "vpnType", "properties.vpnType").orElse("RouteBased");
        String vpnType = canonical(VPN_TYPES, vpnTypeText).orElseThrow(() -> ArmException.badRequest(
                "InvalidVpnType", "VPN type '" + vpnTypeText + "' is not valid. Valid values: " + VPN_TYPES + "."));

        Optional<ObjectNode> p2s = JsonFields.object(props, "vpnClientConfiguration", "properties.vpnClientConfiguration");
        if (p2s.isPresent() && !("Vpn".equals(gatewayType) && "RouteBased".equals(vpnType))) {
            throw ArmException.badRequest("PointToSiteNotSupportedForGatewayType", "Failed to save virtual network gateway "
                    + name + ". Point-to-site (vpnClientConfiguration) needs gatewayType Vpn and vpnType RouteBased; this"
                    + " gateway has gatewayType " + gatewayType + " and vpnType " + vpnType + ".");
        }
        if (!"Vpn".equals(gatewayType)) {
            throw ArmException.badRequest("GatewayTypeNotSupported", "Gateway type " + gatewayType
                    + " is not supported by p2sgw, which models VPN gateways (gatewayType Vpn) only.");
        }

        ObjectNode skuNode = JsonFields.object(props, "sku", "properties.sku").orElseThrow(() -> required("properties.sku"));
        String skuName = JsonFields.string(skuNode, "name", "properties.sku.name").orElseThrow(() -> required("properties.sku.name"));
        GatewaySku sku = GatewaySku.fromArmName(skuName).orElseThrow(() -> ArmException.badRequest("InvalidGatewaySku",
                "The SKU '" + skuName + "' is not a valid VPN gateway SKU. Valid SKUs: "
                        + Arrays.stream(GatewaySku.values()).map(GatewaySku::armName).collect(Collectors.joining(", ")) + "."));

        VpnGatewayGeneration generation = JsonFields.string(props, "vpnGatewayGeneration", "properties.vpnGatewayGeneration")
                .map(g -> VpnGatewayGeneration.fromArmName(g).orElseThrow(() -> ArmException.badRequest(
                        "InvalidVpnGatewayGeneration", "VPN gateway generation '" + g
                                + "' is not valid. Valid values: None, Generation1, Generation2.")))
                .orElse(sku.defaultGeneration());
        // "None" is what a GET may show for a VpnGw1 (azure-p2s.md §1.3): accepted, not checked.
        if (generation != VpnGatewayGeneration.NONE && !sku.generations().contains(generation)) {
            throw ArmException.badRequest("InvalidGatewaySkuForGeneration", "SKU " + sku.armName() + " is not available in "
                    + generation.armName() + ". " + sku.armName() + " exists in "
                    + sku.generations().stream().map(VpnGatewayGeneration::armName).sorted().collect(Collectors.joining(" and "))
                    + " (Generation1: Basic, VpnGw1-3(AZ); Generation2: VpnGw2-5(AZ)).");
        }

        boolean activeActive = JsonFields.bool(props, "activeActive", "properties.activeActive").orElse(false);
        if (activeActive && sku.isBasic()) {
            throw ArmException.badRequest("ActiveActiveNotSupportedForBasicSku",
                    "Active-active mode is not available for the Basic SKU; use VpnGw1 or higher.");
        }

        List<IpConfiguration> ipConfigs = new ArrayList<>();
        int i = 0;
        Set<String> ipNames = new HashSet<>();
        for (ObjectNode ipc : JsonFields.objects(props, "ipConfigurations", "properties.ipConfigurations")) {
            String path = "properties.ipConfigurations[" + i++ + "]";
            String ipName = JsonFields.string(ipc, "name", path + ".name").orElse(i == 1 ? "default" : "ipconfig" + i);
            NameRules.requireValid(ipName, 1, NameRules.SUBNET_MAX);
            if (!ipNames.add(ipName.toLowerCase(Locale.ROOT))) {
                throw ArmException.badRequest("DuplicateResourceName", "Gateway " + name + " has more than one ipConfiguration named " + ipName + ".");
            }
            ObjectNode ipProps = JsonFields.properties(ipc);
            JsonFields.string(ipProps, "privateIPAllocationMethod", path + ".properties.privateIPAllocationMethod")
                    .ifPresent(m -> canonical(ALLOCATION_METHODS, m).orElseThrow(() -> ArmException.badRequest(
                            "InvalidPrivateIPAllocationMethod", "privateIPAllocationMethod '" + m + "' is not valid. Valid values: Dynamic, Static.")));
            String subnetId = JsonFields.object(ipProps, "subnet", path + ".properties.subnet")
                    .flatMap(s -> JsonFields.string(s, "id", path + ".properties.subnet.id"))
                    .orElseThrow(() -> required(path + ".properties.subnet.id"));
            String pipId = JsonFields.object(ipProps, "publicIPAddress", path + ".properties.publicIPAddress")
                    .flatMap(s -> JsonFields.string(s, "id", path + ".properties.publicIPAddress.id"))
                    .orElseThrow(() -> required(path + ".properties.publicIPAddress.id"));
            ipConfigs.add(new IpConfiguration(ipName, subnetId, pipId));
        }
        // One public IP for active-standby; two for active-active, plus a third when P2S is configured
        // on an active-active gateway (azure-p2s.md §1.2).
        int expected = !activeActive ? 1 : p2s.isPresent() ? 3 : 2;
        if (ipConfigs.size() != expected) {
            throw ArmException.badRequest("InvalidNumberOfIpConfigurations", "Gateway " + name + " has " + ipConfigs.size()
                    + " ipConfigurations; " + (activeActive ? "an active-active" : "an active-standby") + " gateway"
                    + (activeActive && p2s.isPresent() ? " with point-to-site" : "") + " needs exactly " + expected
                    + " (each with the GatewaySubnet and its own public IP).");
        }

        Optional<VpnClientConfiguration> vpnClient = p2s.map(n -> readVpnClientConfiguration(name, gatewayId, sku, activeActive, n));

        List<Ipv4Cidr> customRoutes = new ArrayList<>();
        Optional<ObjectNode> routes = JsonFields.object(props, "customRoutes", "properties.customRoutes");
        if (routes.isPresent()) {
            for (String r : JsonFields.strings(routes.get(), "addressPrefixes", "properties.customRoutes.addressPrefixes")) {
                customRoutes.add(Ipv4Cidr.parse(r, "customRoutes of gateway " + name));
            }
        }
        return new VirtualNetworkGateway(name, gatewayType, vpnType, sku, generation, activeActive, ipConfigs, vpnClient, customRoutes);
    }

    static VpnClientConfiguration readVpnClientConfiguration(String gw, String gatewayId, GatewaySku sku, boolean activeActive, ObjectNode n) {
        String base = "properties.vpnClientConfiguration";
        ObjectNode poolNode = JsonFields.object(n, "vpnClientAddressPool", base + ".vpnClientAddressPool").orElseGet(n::objectNode);
        List<Ipv4Cidr> pool = new ArrayList<>();
        for (String p : JsonFields.strings(poolNode, "addressPrefixes", base + ".vpnClientAddressPool.addressPrefixes")) {
            pool.add(Ipv4Cidr.parse(p, "the VPN client address pool of gateway " + gw));
        }
        if (pool.isEmpty()) {
            throw ArmException.badRequest("VpnClientAddressPoolRequired", "Failed to save virtual network gateway " + gw
                    + ". Point-to-site needs a VPN client address pool (vpnClientAddressPool.addressPrefixes).");
        }
        int maxLen = activeActive ? POOL_MAX_PREFIX_LENGTH_ACTIVE_ACTIVE : POOL_MAX_PREFIX_LENGTH;
        for (int i = 0; i < pool.size(); i++) {
            Ipv4Cidr p = pool.get(i);
            if (!p.isPrivate()) {
                throw ArmException.badRequest("VpnClientAddressPoolNotPrivate", "The VPN client address pool prefix " + p
                        + " of gateway " + gw + " is not a private address range. Use a range inside 10.0.0.0/8,"
                        + " 172.16.0.0/12 or 192.168.0.0/16.");
            }
            if (p.prefixLength() > maxLen) {
                throw ArmException.badRequest("VpnClientAddressPoolTooSmall", "The VPN client address pool prefix " + p
                        + " of gateway " + gw + " is too small: the minimum is /" + maxLen
                        + (activeActive ? " for an active-active gateway." : " (/28 for an active-active gateway)."));
            }
            for (int j = 0; j < i; j++) {
                if (p.overlaps(pool.get(j))) {
                    throw ArmException.badRequest("VpnClientAddressPoolPrefixesOverlap", "The VPN client address pool prefixes "
                            + pool.get(j) + " and " + p + " of gateway " + gw + " overlap.");
                }
            }
        }

        LinkedHashSet<TunnelType> protocols = new LinkedHashSet<>();
        for (String p : JsonFields.strings(n, "vpnClientProtocols", base + ".vpnClientProtocols")) {
            protocols.add(TunnelType.fromArmName(p).orElseThrow(() -> ArmException.badRequest("InvalidVpnClientProtocol",
                    "VPN client protocol '" + p + "' is not valid. Valid values: IkeV2, SSTP, OpenVPN.")));
        }
        if (protocols.isEmpty()) {
            // Azure's default tunnel types: SSTP for Basic, "IKEv2 and SSTP" otherwise.
            if (!sku.isBasic()) {
                protocols.add(TunnelType.IKEV2);
            }
            protocols.add(TunnelType.SSTP);
        }
        if (sku.isBasic() && !protocols.equals(Set.of(TunnelType.SSTP))) {
            throw ArmException.badRequest("VpnClientProtocolNotSupportedForBasicSku", "Failed to save virtual network gateway "
                    + gw + ". The Basic SKU supports only the SSTP tunnel type; IkeV2 and OpenVPN need VpnGw1 or higher.");
        }
        // Unlike Azure (azure-p2s.md §2.2: "OpenVPN and SSTP cannot be enabled together"), p2sgw accepts
        // SSTP together with OpenVPN: both arrive on TCP 443 and the data plane tells them apart by their
        // first bytes (DESIGN.md "Ports"). This is deliberately not an error.

        List<String> authTypes = new ArrayList<>();
        for (String a : JsonFields.strings(n, "vpnAuthenticationTypes", base + ".vpnAuthenticationTypes")) {
            String c = canonical(AUTH_TYPES, a).orElseThrow(() -> ArmException.badRequest("InvalidVpnAuthenticationType",
                    "VPN authentication type '" + a + "' is not valid. Valid values: Certificate, Radius, AAD."));
            if (!c.equals("Certificate")) {
                throw ArmException.badRequest("VpnAuthenticationTypeNotSupported", "VPN authentication type " + c
                        + " is not supported by p2sgw; use Certificate (Azure certificate authentication).");
            }
            if (!authTypes.contains(c)) {
                authTypes.add(c);
            }
        }
        if (authTypes.isEmpty()) {
            authTypes.add("Certificate");
        }

        List<RootCertificate> roots = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int i = 0;
        for (ObjectNode r : JsonFields.objects(n, "vpnClientRootCertificates", base + ".vpnClientRootCertificates")) {
            String path = base + ".vpnClientRootCertificates[" + i++ + "]";
            String certName = JsonFields.string(r, "name", path + ".name").orElseThrow(() -> required(path + ".name"));
            requireCertificateName(gw, certName, names);
            String data = JsonFields.string(JsonFields.properties(r), "publicCertData", path + ".properties.publicCertData")
                    .orElseThrow(() -> required(path + ".properties.publicCertData"));
            requireCertificateData(gw, gatewayId, certName, data);
            roots.add(new RootCertificate(certName, data));
        }
        if (roots.size() > MAX_ROOT_CERTIFICATES) {
            throw ArmException.badRequest("VpnClientRootCertificatesLimitExceeded", "Failed to save virtual network gateway "
                    + gw + ". A gateway can have at most " + MAX_ROOT_CERTIFICATES + " trusted root certificates; the request has "
                    + roots.size() + ".");
        }

        List<RevokedCertificate> revoked = new ArrayList<>();
        names.clear();
        i = 0;
        for (ObjectNode r : JsonFields.objects(n, "vpnClientRevokedCertificates", base + ".vpnClientRevokedCertificates")) {
            String path = base + ".vpnClientRevokedCertificates[" + i++ + "]";
            String certName = JsonFields.string(r, "name", path + ".name").orElseThrow(() -> required(path + ".name"));
            requireCertificateName(gw, certName, names);
            String thumb = JsonFields.string(JsonFields.properties(r), "thumbprint", path + ".properties.thumbprint")
                    .orElseThrow(() -> required(path + ".properties.thumbprint"));
            revoked.add(new RevokedCertificate(certName, requireThumbprint(gw, certName, thumb)));
        }
        return new VpnClientConfiguration(pool, List.copyOf(protocols), authTypes, roots, revoked);
    }

    /** "Failed to save virtual network gateway &lt;gw&gt;. Resource name &lt;cert name&gt; is invalid." (azure-p2s.md §7). */
    static void requireCertificateName(String gw, String certName, Set<String> seen) {
        if (!NameRules.isValid(certName, 1, NameRules.CERTIFICATE_MAX)) {
            throw ArmException.badRequest("InvalidResourceName",
                    "Failed to save virtual network gateway " + gw + ". Resource name " + certName + " is invalid.");
        }
        if (!seen.add(certName.toLowerCase(Locale.ROOT))) {
            throw ArmException.badRequest("DuplicateResourceName", "Failed to save virtual network gateway " + gw
                    + ". More than one certificate is named " + certName + ".");
        }
    }

    /** "Failed to save virtual network gateway &lt;gw&gt;. Data for certificate &lt;id&gt; is invalid." (azure-p2s.md §2.3). */
    static void requireCertificateData(String gw, String gatewayId, String certName, String data) {
        Optional<String> problem = CertificateData.problem(data);
        if (problem.isPresent()) {
            throw ArmException.badRequest("InvalidVpnClientRootCertificateData", "Failed to save virtual network gateway "
                    + gw + ". Data for certificate " + gatewayId + "/vpnClientRootCertificates/" + certName + " is invalid: "
                    + problem.get() + ". publicCertData must be the Base-64 DER certificate on one line, without line breaks,"
                    + " spaces or -----BEGIN/END CERTIFICATE----- lines.");
        }
    }

    static String requireThumbprint(String gw, String certName, String thumb) {
        return Certificates.normalizeThumbprint(thumb).orElseThrow(() -> ArmException.badRequest(
                "InvalidVpnClientRevokedCertificateThumbprint", "Failed to save virtual network gateway " + gw
                        + ". Thumbprint '" + thumb + "' of revoked certificate " + certName + " is invalid: "
                        + (Certificates.looksLikeSha256Fingerprint(thumb)
                                ? "it looks like a SHA-256 fingerprint (64 hexadecimal digits), but the revocation list takes the"
                                        + " SHA-1 thumbprint, 40 hexadecimal digits: openssl x509 -noout -fingerprint -sha1 -in"
                                        + " client.pem, or p2sgw pki thumbprint client.pem."
                                : "it must be 40 hexadecimal digits (the SHA-1 thumbprint; spaces, colons and a"
                                        + " 'SHA1 Fingerprint=' prefix are removed).")));
    }

    /**
     * The client pool must not overlap the VNet's address space. Azure's exact text (azure-p2s.md §2.1):
     * "...The overlapping address space prefixes are 10.1.0.0/16 and 10.1.1.0/26."
     */
    public static void checkPoolAgainstVnet(VirtualNetworkGateway gw, VirtualNetwork vnet) {
        if (gw.vpnClientConfiguration().isEmpty()) {
            return;
        }
        for (Ipv4Cidr pool : gw.vpnClientConfiguration().get().addressPool()) {
            for (Ipv4Cidr space : vnet.addressPrefixes()) {
                if (pool.overlaps(space)) {
                    throw ArmException.badRequest("VpnClientAddressPoolOverlapsVirtualNetworkAddressSpace",
                            "The virtual network gateway's VPN client address pool overlaps with the virtual network's"
                                    + " address space. The overlapping address space prefixes are " + space + " and " + pool + ".");
                }
            }
        }
    }
}
