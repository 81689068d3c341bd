package io.p2sgw.control.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.control.model.IpConfiguration;
import io.p2sgw.control.model.Ipv4Cidr;
import io.p2sgw.control.model.JsonFields;
import io.p2sgw.control.model.ResourceRef;
import io.p2sgw.control.model.ResourceType;
import io.p2sgw.control.model.RevokedCertificate;
import io.p2sgw.control.model.Subnet;
import io.p2sgw.control.model.VirtualNetwork;
import io.p2sgw.control.model.VirtualNetworkGateway;
import io.p2sgw.control.model.VpnClientConfiguration;
import io.p2sgw.dataplane.api.TunnelType;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a validated request body into the ARM document that GET returns: the body itself (so unknown
 * properties are carried through) with read-only fields set and validated fields in canonical form.
 */
final class Renderer {
    static final String SUCCEEDED = "Succeeded";
    static final String UPDATING = "Updating";

    private Renderer() {}

    static String newEtag() {
        return "W/\"" + UUID.randomUUID() + "\"";
    }

    /** Common top level: id, name, type, location, tags, etag; properties.provisioningState/resourceGuid. */
    static ObjectNode base(ResourceRef ref, ObjectNode body, String location, String etag, String provisioningState,
                           String resourceGuid) {
        ObjectNode doc = body.deepCopy();
        ObjectNode tags = JsonFields.tags(body);
        doc.removeAll();
        doc.put("name", ref.name());
        doc.put("id", ref.id());
        doc.put("etag", etag);
        doc.put("type", ref.type().armType());
        doc.put("location", location);
        doc.set("tags", tags);
        body.fields().forEachRemaining(e -> {
            if (!doc.has(e.getKey()) && !e.getKey().equals("properties")) {
                doc.set(e.getKey(), e.getValue().deepCopy());
            }
        });
        ObjectNode props = JsonFields.properties(body).deepCopy();
        props.put("provisioningState", provisioningState);
        props.put("resourceGuid", resourceGuid);
        doc.set("properties", props);
        return doc;
    }

    static ArrayNode cidrs(ObjectNode anyNode, List<Ipv4Cidr> list) {
        ArrayNode a = anyNode.arrayNode();
        list.forEach(c -> a.add(c.toString()));
        return a;
    }

    static ObjectNode virtualNetwork(ResourceRef ref, ObjectNode body, VirtualNetwork vnet, String location, String etag,
                                     String guid) {
        ObjectNode doc = base(ref, body, location, etag, SUCCEEDED, guid);
        ObjectNode props = (ObjectNode) doc.get("properties");
        props.putObject("addressSpace").set("addressPrefixes", cidrs(doc, vnet.addressPrefixes()));
        ArrayNode dns = props.putObject("dhcpOptions").putArray("dnsServers");
        vnet.dnsServers().forEach(dns::add);
        ArrayNode subnets = doc.arrayNode();
        List<ObjectNode> given = JsonFields.objects(JsonFields.properties(body), "subnets", "properties.subnets");
        for (int i = 0; i < vnet.subnets().size(); i++) {
            subnets.add(subnet(ref, given.get(i), vnet.subnets().get(i), etag));
        }
        props.set("subnets", subnets);
        props.putIfAbsent("enableDdosProtection", doc.booleanNode(false));
        props.putIfAbsent("virtualNetworkPeerings", doc.arrayNode());
        return doc;
    }

    static ObjectNode subnet(ResourceRef vnet, ObjectNode given, Subnet s, String etag) {
        ObjectNode out = given.deepCopy();
        out.put("name", s.name());
        out.put("id", vnet.id() + "/subnets/" + s.name());
        out.put("etag", etag);
        out.put("type", ResourceType.SUBNET_TYPE);
        ObjectNode props = JsonFields.properties(given).deepCopy();
        props.put("addressPrefix", s.addressPrefix().toString());
        props.remove("addressPrefixes");
        props.put("provisioningState", SUCCEEDED);
        out.set("properties", props);
        return out;
    }

    static ObjectNode publicIp(ResourceRef ref, ObjectNode body, String location, String sku, String allocation,
                               String etag, String guid) {
        ObjectNode doc = base(ref, body, location, etag, SUCCEEDED, guid);
        doc.putObject("sku").put("name", sku).put("tier", "Regional");
        ObjectNode props = (ObjectNode) doc.get("properties");
        props.put("publicIPAllocationMethod", allocation);
        props.put("publicIPAddressVersion", "IPv4");
        props.putIfAbsent("idleTimeoutInMinutes", doc.numberNode(4));
        // Read-only: a body copied from a GET carries it; the stored document never does (see withIpConfiguration).
        props.remove("ipConfiguration");
        return doc;
    }

    /**
     * A public IP as GET returns it: with {@code properties.ipConfiguration.id}, the back-reference to the gateway
     * ipConfiguration that uses it, as Azure shows it (SPEC:publicIpAddress.json, PublicIPAddressPropertiesFormat
     * "ipConfiguration", read-only). It is derived from the gateways when read, never stored, so it cannot go stale
     * when a gateway is changed or deleted.
     *
     * @param users public IP id in lower case to the id of the ipConfiguration using it
     */
    static ObjectNode withIpConfiguration(ObjectNode publicIp, Map<String, String> users) {
        String user = users.get(publicIp.path("id").asText().toLowerCase(Locale.ROOT));
        ObjectNode props = publicIp.path("properties") instanceof ObjectNode p ? p : null;
        boolean has = props != null && props.has("ipConfiguration");
        if (user == null && !has) {
            return publicIp;
        }
        ObjectNode copy = publicIp.deepCopy();
        ObjectNode copyProps = copy.with("properties");
        if (user == null) {
            copyProps.remove("ipConfiguration");
        } else {
            copyProps.putObject("ipConfiguration").put("id", user);
        }
        return copy;
    }

    static ObjectNode gateway(ResourceRef ref, ObjectNode body, VirtualNetworkGateway gw, String location, String etag,
                              String guid, String provisioningState) {
        ObjectNode doc = base(ref, body, location, etag, provisioningState, guid);
        ObjectNode props = (ObjectNode) doc.get("properties");
        props.put("gatewayType", gw.gatewayType());
        props.put("vpnType", gw.vpnType());
        props.put("vpnGatewayGeneration", gw.generation().armName());
        props.putObject("sku").put("name", gw.sku().armName()).put("tier", gw.sku().armName()).put("capacity", 0);
        props.put("activeActive", gw.activeActive());
        props.putIfAbsent("enableBgp", doc.booleanNode(false));
        ArrayNode ipcs = doc.arrayNode();
        List<ObjectNode> given = JsonFields.objects(JsonFields.properties(body), "ipConfigurations", "properties.ipConfigurations");
        for (int i = 0; i < gw.ipConfigurations().size(); i++) {
            IpConfiguration c = gw.ipConfigurations().get(i);
            ObjectNode out = given.get(i).deepCopy();
            out.put("name", c.name());
            out.put("id", ref.id() + "/ipConfigurations/" + c.name());
            out.put("etag", etag);
            out.put("type", ResourceType.IP_CONFIGURATION_TYPE);
            ObjectNode p = JsonFields.properties(given.get(i)).deepCopy();
            String method = p.path("privateIPAllocationMethod").asText("Dynamic");
            p.put("privateIPAllocationMethod", method.equalsIgnoreCase("static") ? "Static" : "Dynamic");
            p.putObject("subnet").put("id", c.subnetId());
            p.putObject("publicIPAddress").put("id", c.publicIpAddressId());
            p.put("provisioningState", SUCCEEDED);
            out.set("properties", p);
            ipcs.add(out);
        }
        props.set("ipConfigurations", ipcs);
        if (gw.vpnClientConfiguration().isPresent()) {
            props.set("vpnClientConfiguration", vpnClientConfiguration(ref, (ObjectNode) props.get("vpnClientConfiguration"),
                    gw.vpnClientConfiguration().get(), etag));
        }
        if (props.has("customRoutes") && !props.get("customRoutes").isNull()) {
            ((ObjectNode) props.get("customRoutes")).set("addressPrefixes", cidrs(doc, gw.customRoutes()));
        }
        return doc;
    }

    private static ObjectNode vpnClientConfiguration(ResourceRef gw, ObjectNode given, VpnClientConfiguration v, String etag) {
        ObjectNode out = given.deepCopy();
        out.putObject("vpnClientAddressPool").set("addressPrefixes", cidrs(out, v.addressPool()));
        ArrayNode protocols = out.putArray("vpnClientProtocols");
        v.protocols().stream().map(TunnelType::armName).forEach(protocols::add);
        ArrayNode auth = out.putArray("vpnAuthenticationTypes");
        v.authenticationTypes().forEach(auth::add);
        ArrayNode roots = out.putArray("vpnClientRootCertificates");
        List<ObjectNode> givenRoots = JsonFields.objects(given, "vpnClientRootCertificates", "vpnClientRootCertificates");
        for (int i = 0; i < v.rootCertificates().size(); i++) {
            roots.add(child(gw, givenRoots.get(i), GatewayChild.ROOT_CERTIFICATES, v.rootCertificates().get(i).name(), etag));
        }
        ArrayNode revoked = out.putArray("vpnClientRevokedCertificates");
        List<ObjectNode> givenRevoked = JsonFields.objects(given, "vpnClientRevokedCertificates", "vpnClientRevokedCertificates");
        for (int i = 0; i < v.revokedCertificates().size(); i++) {
            RevokedCertificate r = v.revokedCertificates().get(i);
            ObjectNode c = child(gw, givenRevoked.get(i), GatewayChild.REVOKED_CERTIFICATES, r.name(), etag);
            ((ObjectNode) c.get("properties")).put("thumbprint", r.thumbprint());
            revoked.add(c);
        }
        out.putIfAbsent("vpnClientIpsecPolicies", out.arrayNode());
        return out;
    }

    private static ObjectNode child(ResourceRef gw, ObjectNode given, GatewayChild kind, String name, String etag) {
        ObjectNode c = given.deepCopy();
        c.put("name", name);
        c.put("id", gw.id() + "/" + kind.property() + "/" + name);
        c.put("etag", etag);
        c.put("type", kind.armType());
        ObjectNode p = JsonFields.properties(given).deepCopy();
        p.put("provisioningState", SUCCEEDED);
        c.set("properties", p);
        return c;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
