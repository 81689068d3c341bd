package io.p2sgw.control.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.control.ArmException;
import io.p2sgw.control.clientpackage.OpenVpnStaticKeyFile;
import io.p2sgw.control.model.IpConfiguration;
import io.p2sgw.control.model.JsonFields;
import io.p2sgw.control.model.ResourceRef;
import io.p2sgw.control.model.ResourceType;
import io.p2sgw.control.model.Subnet;
import io.p2sgw.control.model.VirtualNetwork;
import io.p2sgw.control.model.VirtualNetworkGateway;
import io.p2sgw.control.rules.GatewayRules;
import io.p2sgw.control.rules.NameRules;
import io.p2sgw.control.rules.VirtualNetworkRules;
import io.p2sgw.control.store.Database;
import io.p2sgw.control.store.ResourceRepository;
import io.p2sgw.control.store.StoredResource;
import io.p2sgw.dataplane.api.SecretBytes;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The control plane's use cases: every ARM write runs in one transaction, checks the preconditions and
 * all rules before it writes anything, and notifies listeners only after commit. Reads return the
 * stored ARM documents.
 */
public final class NetworkService {
    private static final List<String> PUBLIC_IP_SKUS = List.of("Basic", "Standard");
    private static final List<String> ALLOCATION = List.of("Static", "Dynamic");

    private final Database db;
    private final SecureRandom random;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public NetworkService(Database db, SecureRandom random) {
        this.db = db;
        this.random = random;
    }

    public NetworkService(Database db) {
        this(db, new SecureRandom());
    }

    /** Called after every committed write (on the writing thread). */
    public void addChangeListener(Runnable listener) {
        listeners.add(listener);
    }

    private void changed() {
        listeners.forEach(Runnable::run);
    }

    private <T> T write(Database.Work<T> work) {
        T result = db.inTransaction(work);
        changed();
        return result;
    }

    // ---------------------------------------------------------------- common helpers

    private static String location(ObjectNode body, Optional<StoredResource> existing) {
        Optional<String> loc = JsonFields.string(body, "location", "location").filter(s -> !s.isBlank());
        if (loc.isEmpty()) {
            if (existing.isPresent()) {
                return existing.get().body().path("location").asText();
            }
            throw ArmException.badRequest("LocationRequired", "The location property is required for this definition.");
        }
        return loc.get();
    }

    private static String guid(Optional<StoredResource> existing) {
        return existing.map(e -> e.body().path("properties").path("resourceGuid").asText(null))
                .filter(g -> g != null && !g.isEmpty())
                .orElseGet(() -> UUID.randomUUID().toString());
    }

    private static void requireGroup(Connection c, ResourceRef ref) throws SQLException {
        if (ResourceRepository.get(c, ref.group()).isEmpty()) {
            throw ArmException.resourceGroupNotFound(ref.resourceGroup());
        }
    }

    private static StoredResource require(Connection c, ResourceRef ref) throws SQLException {
        requireGroup(c, ref);
        return ResourceRepository.get(c, ref).orElseThrow(
                () -> ArmException.resourceNotFound(ref.type().armType(), ref.name(), ref.resourceGroup()));
    }

    private static void save(Connection c, ResourceRef ref, Optional<StoredResource> existing, ObjectNode doc, String etag)
            throws SQLException {
        if (existing.isEmpty()) {
            ResourceRepository.insert(c, ref, doc, etag);
        } else if (!ResourceRepository.update(c, ref, doc, existing.get().etag(), etag)) {
            throw ArmException.preconditionFailed(ref.id());
        }
    }

    // ---------------------------------------------------------------- resource groups

    public WriteResult putResourceGroup(String subscription, String group, ObjectNode body) {
        NameRules.requireValidSubscription(subscription);
        NameRules.requireValidResourceGroup(group);
        ResourceRef ref = ResourceRef.resourceGroup(subscription, group);
        return write(c -> {
            ResourceRepository.ensureSubscription(c, subscription);
            Optional<StoredResource> existing = ResourceRepository.get(c, ref);
            ResourceRef stored = existing.map(StoredResource::ref).orElse(ref);
            String location = location(body, existing);
            ObjectNode doc = JsonNodeFactory.instance.objectNode();
            doc.put("id", stored.id());
            doc.put("name", stored.name());
            doc.put("type", ResourceType.RESOURCE_GROUP.armType());
            doc.put("location", location);
            doc.set("tags", JsonFields.tags(body));
            doc.putObject("properties").put("provisioningState", Renderer.SUCCEEDED);
            save(c, stored, existing, doc, Renderer.newEtag());
            return new WriteResult(doc, existing.isEmpty());
        });
    }

    public ObjectNode getResourceGroup(String subscription, String group) {
        return db.inTransaction(c -> ResourceRepository.get(c, ResourceRef.resourceGroup(subscription, group))
                .orElseThrow(() -> ArmException.resourceGroupNotFound(group)).body());
    }

    public List<ObjectNode> listResourceGroups(String subscription) {
        return db.inTransaction(c -> bodies(ResourceRepository.list(c, subscription, Optional.empty(), ResourceType.RESOURCE_GROUP)));
    }

    /** Deletes a group and everything in it (ARM semantics). False when it did not exist. */
    public boolean deleteResourceGroup(String subscription, String group) {
        ResourceRef ref = ResourceRef.resourceGroup(subscription, group);
        return write(c -> {
            if (ResourceRepository.get(c, ref).isEmpty()) {
                return false;
            }
            for (ResourceType t : List.of(ResourceType.VIRTUAL_NETWORK_GATEWAY, ResourceType.PUBLIC_IP_ADDRESS,
                    ResourceType.VIRTUAL_NETWORK)) {
                for (StoredResource r : ResourceRepository.list(c, subscription, Optional.of(group), t)) {
                    ResourceRepository.delete(c, r.ref());
                }
            }
            return ResourceRepository.delete(c, ref);
        });
    }

    private static List<ObjectNode> bodies(List<StoredResource> rs) {
        return rs.stream().map(StoredResource::body).toList();
    }

    // ---------------------------------------------------------------- generic reads, delete, tags

    public ObjectNode get(ResourceRef ref) {
        return db.inTransaction(c -> require(c, ref).body());
    }

    public List<ObjectNode> list(String subscription, Optional<String> group, ResourceType type) {
        return db.inTransaction(c -> {
            if (group.isPresent()) {
                requireGroup(c, ResourceRef.resourceGroup(subscription, group.get()));
            }
            return bodies(ResourceRepository.list(c, subscription, group, type));
        });
    }

    /** Deletes a network resource; false when it did not exist (ARM answers 204). */
    public boolean delete(ResourceRef ref, Preconditions pre) {
        return write(c -> {
            requireGroup(c, ref);
            Optional<StoredResource> existing = ResourceRepository.get(c, ref);
            pre.check(ref.id(), existing.map(StoredResource::etag));
            if (existing.isEmpty()) {
                return false;
            }
            switch (ref.type()) {
                case VIRTUAL_NETWORK -> {
                    for (GatewayOnVnet g : gatewaysOn(c, ref)) {
                        throw subnetInUse(g, Subnet.GATEWAY_SUBNET);
                    }
                }
                case PUBLIC_IP_ADDRESS -> {
                    Optional<String> user = publicIpUser(c, ref, Optional.empty());
                    if (user.isPresent()) {
                        throw ArmException.badRequest("PublicIPAddressCannotBeDeleted", "Public IP address " + ref.id()
                                + " can not be deleted since it is still allocated to resource " + user.get()
                                + ". In order to delete the public IP, disassociate/detach the Public IP address from the resource.");
                    }
                }
                default -> { }
            }
            return ResourceRepository.delete(c, ref);
        });
    }

    /** PATCH {"tags":{...}}: replaces the tags only. */
    public ObjectNode patchTags(ResourceRef ref, ObjectNode body, Preconditions pre) {
        ObjectNode tags = JsonFields.tags(body);
        return write(c -> {
            StoredResource existing = require(c, ref);
            pre.check(ref.id(), Optional.of(existing.etag()));
            ObjectNode doc = existing.body().deepCopy();
            String etag = Renderer.newEtag();
            doc.set("tags", tags);
            doc.put("etag", etag);
            save(c, ref, Optional.of(existing), doc, etag);
            return doc;
        });
    }

    // ---------------------------------------------------------------- virtual networks and subnets

    public WriteResult putVirtualNetwork(ResourceRef ref, ObjectNode body, Preconditions pre) {
        return write(c -> putVnet(c, ref, body, pre));
    }

    private WriteResult putVnet(Connection c, ResourceRef ref, ObjectNode body, Preconditions pre) throws SQLException {
        NameRules.requireValid(ref.name(), NameRules.VNET_MIN, NameRules.VNET_MAX);
        requireGroup(c, ref);
        Optional<StoredResource> existing = ResourceRepository.get(c, ref);
        pre.check(ref.id(), existing.map(StoredResource::etag));
        ResourceRef stored = existing.map(StoredResource::ref).orElse(ref);
        String location = location(body, existing);
        VirtualNetwork vnet = VirtualNetworkRules.read(stored.name(), body);
        // A gateway in this VNet keeps its GatewaySubnet, and its pool still must not overlap.
        for (GatewayOnVnet g : gatewaysOn(c, stored)) {
            Optional<Subnet> gs = vnet.subnet(Subnet.GATEWAY_SUBNET);
            if (gs.isEmpty()) {
                throw subnetInUse(g, Subnet.GATEWAY_SUBNET);
            }
            GatewayRules.checkPoolAgainstVnet(g.gateway(), vnet);
        }
        String etag = Renderer.newEtag();
        ObjectNode doc = Renderer.virtualNetwork(stored, body, vnet, location, etag, guid(existing));
        save(c, stored, existing, doc, etag);
        return new WriteResult(doc, existing.isEmpty());
    }

    private static ArmException subnetInUse(GatewayOnVnet g, String subnet) {
        return ArmException.badRequest("InUseSubnetCannotBeDeleted", "Subnet " + subnet + " is in use by "
                + g.ref().id() + "/ipConfigurations/" + g.gateway().ipConfigurations().getFirst().name()
                + " and cannot be deleted. In order to delete the subnet, delete all the resources within the subnet.");
    }

    public WriteResult putSubnet(ResourceRef vnetRef, String subnetName, ObjectNode body, Preconditions pre) {
        NameRules.requireValid(subnetName, 1, NameRules.SUBNET_MAX);
        return write(c -> {
            StoredResource vnet = require(c, vnetRef);
            ObjectNode doc = vnet.body().deepCopy();
            ArrayNode subnets = subnetsOf(doc);
            int index = indexOf(subnets, subnetName);
            pre.check(vnetRef.id() + "/subnets/" + subnetName, index < 0 ? Optional.empty() : Optional.of(vnet.etag()));
            ObjectNode given = body.deepCopy();
            given.put("name", index < 0 ? subnetName : subnets.get(index).path("name").asText());
            if (index < 0) {
                subnets.add(given);
            } else {
                subnets.set(index, given);
            }
            WriteResult r = putVnet(c, vnet.ref(), doc, Preconditions.NONE);
            return new WriteResult(findChild(subnetsOf(r.body()), subnetName).orElseThrow(), index < 0);
        });
    }

    public ObjectNode getSubnet(ResourceRef vnetRef, String subnetName) {
        ObjectNode vnet = get(vnetRef);
        return findChild(subnetsOf(vnet), subnetName).orElseThrow(() -> ArmException.notFound("NotFound",
                "Resource " + vnetRef.id() + "/subnets/" + subnetName + " not found."));
    }

    public List<ObjectNode> listSubnets(ResourceRef vnetRef) {
        List<ObjectNode> out = new ArrayList<>();
        subnetsOf(get(vnetRef)).forEach(n -> out.add((ObjectNode) n));
        return out;
    }

    public boolean deleteSubnet(ResourceRef vnetRef, String subnetName, Preconditions pre) {
        return write(c -> {
            StoredResource vnet = require(c, vnetRef);
            ObjectNode doc = vnet.body().deepCopy();
            ArrayNode subnets = subnetsOf(doc);
            int index = indexOf(subnets, subnetName);
            pre.check(vnetRef.id() + "/subnets/" + subnetName, index < 0 ? Optional.empty() : Optional.of(vnet.etag()));
            if (index < 0) {
                return false;
            }
            subnets.remove(index);
            putVnet(c, vnet.ref(), doc, Preconditions.NONE);
            return true;
        });
    }

    private static ArrayNode subnetsOf(ObjectNode vnetDoc) {
        ObjectNode props = vnetDoc.with("properties");
        return props.withArray("subnets");
    }

    private static int indexOf(ArrayNode children, String name) {
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i).path("name").asText().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private static Optional<ObjectNode> findChild(ArrayNode children, String name) {
        int i = indexOf(children, name);
        return i < 0 ? Optional.empty() : Optional.of((ObjectNode) children.get(i));
    }

    // ---------------------------------------------------------------- public IP addresses

    public WriteResult putPublicIp(ResourceRef ref, ObjectNode body, Preconditions pre) {
        NameRules.requireValid(ref.name(), 1, NameRules.PUBLIC_IP_MAX);
        return write(c -> {
            requireGroup(c, ref);
            Optional<StoredResource> existing = ResourceRepository.get(c, ref);
            pre.check(ref.id(), existing.map(StoredResource::etag));
            ResourceRef stored = existing.map(StoredResource::ref).orElse(ref);
            String location = location(body, existing);
            String skuText = JsonFields.object(body, "sku", "sku").flatMap(s -> JsonFields.string(s, "name", "sku.name"))
                    .orElse("Standard");
            String sku = PUBLIC_IP_SKUS.stream().filter(s -> s.equalsIgnoreCase(skuText)).findFirst().orElseThrow(() ->
                    ArmException.badRequest("InvalidPublicIPAddressSku", "Public IP SKU '" + skuText + "' is not valid. Valid values: Basic, Standard."));
            ObjectNode props = JsonFields.properties(body);
            String allocText = JsonFields.string(props, "publicIPAllocationMethod", "properties.publicIPAllocationMethod")
                    .orElse(sku.equals("Standard") ? "Static" : "Dynamic");
            String alloc = ALLOCATION.stream().filter(s -> s.equalsIgnoreCase(allocText)).findFirst().orElseThrow(() ->
                    ArmException.badRequest("InvalidPublicIPAllocationMethod", "publicIPAllocationMethod '" + allocText
                            + "' is not valid. Valid values: Static, Dynamic."));
            // "Standard SKU public IPs must be Static" (azure-p2s.md §1.2).
            if (sku.equals("Standard") && alloc.equals("Dynamic")) {
                throw ArmException.badRequest("StandardSkuPublicIPAddressesMustBeStatic", "Standard sku publicIp "
                        + stored.id() + " must have AllocationMethod set to Static.");
            }
            String etag = Renderer.newEtag();
            ObjectNode doc = Renderer.publicIp(stored, body, location, sku, alloc, etag, guid(existing));
            save(c, stored, existing, doc, etag);
            return new WriteResult(doc, existing.isEmpty());
        });
    }

    /** The gateway ipConfiguration that uses a public IP, other than the given gateway's own. */
    private static Optional<String> publicIpUser(Connection c, ResourceRef pip, Optional<ResourceRef> exceptGateway) throws SQLException {
        for (StoredResource g : ResourceRepository.list(c, pip.subscription(), Optional.empty(), ResourceType.VIRTUAL_NETWORK_GATEWAY)) {
            if (exceptGateway.isPresent() && exceptGateway.get().key().equals(g.ref().key())) {
                continue;
            }
            for (var ipc : g.body().path("properties").path("ipConfigurations")) {
                String id = ipc.path("properties").path("publicIPAddress").path("id").asText();
                if (id.equalsIgnoreCase(pip.id())) {
                    return Optional.of(ipc.path("id").asText());
                }
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- gateways

    private record GatewayOnVnet(ResourceRef ref, VirtualNetworkGateway gateway) {}

    private static VirtualNetworkGateway readStoredGateway(StoredResource g) {
        return GatewayRules.read(g.ref().name(), g.ref().id(), g.body());
    }

    private static List<GatewayOnVnet> gatewaysOn(Connection c, ResourceRef vnet) throws SQLException {
        List<GatewayOnVnet> out = new ArrayList<>();
        for (StoredResource g : ResourceRepository.list(c, vnet.subscription(), Optional.empty(), ResourceType.VIRTUAL_NETWORK_GATEWAY)) {
            VirtualNetworkGateway gw = readStoredGateway(g);
            if (vnetOf(gw).map(v -> v.key().equals(vnet.key())).orElse(false)) {
                out.add(new GatewayOnVnet(g.ref(), gw));
            }
        }
        return out;
    }

    private static Optional<ResourceRef> vnetOf(VirtualNetworkGateway gw) {
        return gw.ipConfigurations().stream().findFirst()
                .flatMap(ipc -> ResourceRef.parseNetworkId(ipc.subnetId()))
                .map(ResourceRef.Parsed::ref)
                .filter(r -> r.type() == ResourceType.VIRTUAL_NETWORK);
    }

    private static ArmException badReference(String referenced, ResourceRef by) {
        return ArmException.badRequest("InvalidResourceReference", "Resource " + referenced + " referenced by resource "
                + by.id() + " was not found. Please make sure that the referenced resource exists, and that both"
                + " resources are in the same region.");
    }

    public WriteResult putGateway(ResourceRef ref, ObjectNode body, Preconditions pre) {
        return write(c -> putGw(c, ref, body, pre));
    }

    private WriteResult putGw(Connection c, ResourceRef ref, ObjectNode body, Preconditions pre) throws SQLException {
        NameRules.requireValid(ref.name(), 1, NameRules.GATEWAY_MAX);
        requireGroup(c, ref);
        Optional<StoredResource> existing = ResourceRepository.get(c, ref);
        pre.check(ref.id(), existing.map(StoredResource::etag));
        ResourceRef stored = existing.map(StoredResource::ref).orElse(ref);
        String location = location(body, existing);
        VirtualNetworkGateway gw = GatewayRules.read(stored.name(), stored.id(), body);
        checkTopology(c, stored, gw, existing);
        String etag = Renderer.newEtag();
        // Provisioning is simulated: Updating now, Succeeded shortly after (finishProvisioning).
        ObjectNode doc = Renderer.gateway(stored, body, gw, location, etag, guid(existing), Renderer.UPDATING);
        save(c, stored, existing, doc, etag);
        if (existing.isEmpty()) {
            byte[] key = new byte[OpenVpnStaticKeyFile.LENGTH];
            random.nextBytes(key);
            ResourceRepository.putStaticKey(c, stored, key);
        }
        return new WriteResult(doc, existing.isEmpty());
    }

    private static void checkTopology(Connection c, ResourceRef ref, VirtualNetworkGateway gw, Optional<StoredResource> existing)
            throws SQLException {
        ResourceRef vnetRef = null;
        List<String> pips = new ArrayList<>();
        for (IpConfiguration ipc : gw.ipConfigurations()) {
            ResourceRef.Parsed subnet = ResourceRef.parseNetworkId(ipc.subnetId())
                    .filter(p -> p.ref().type() == ResourceType.VIRTUAL_NETWORK && p.childPath().matches("(?i)/subnets/[^/]+"))
                    .orElseThrow(() -> badReference(ipc.subnetId(), ref));
            if (vnetRef != null && !vnetRef.key().equals(subnet.ref().key())) {
                throw ArmException.badRequest("IpConfigurationsInDifferentVnets",
                        "All ipConfigurations of gateway " + ref.name() + " must use the GatewaySubnet of the same virtual network.");
            }
            vnetRef = subnet.ref();
            String subnetName = subnet.childPath().substring("/subnets/".length());
            StoredResource vnetDoc = ResourceRepository.get(c, vnetRef).orElseThrow(() -> badReference(ipc.subnetId(), ref));
            VirtualNetwork vnet = VirtualNetworkRules.read(vnetDoc.ref().name(), vnetDoc.body());
            Subnet s = vnet.subnet(subnetName).orElseThrow(() -> badReference(ipc.subnetId(), ref));
            if (!s.isGatewaySubnet()) {
                throw ArmException.badRequest("GatewaySubnetRequired", "Subnet " + s.name() + " referenced by ipConfiguration "
                        + ipc.name() + " of gateway " + ref.name() + " is not a gateway subnet: a gateway needs the subnet named"
                        + " 'GatewaySubnet' in its virtual network (/29 or larger, /27 recommended).");
            }
            VirtualNetworkRules.checkGatewaySubnetSize(vnet.name(), s);
            GatewayRules.checkPoolAgainstVnet(gw, vnet);

            ResourceRef pip = ResourceRef.parseNetworkId(ipc.publicIpAddressId())
                    .filter(p -> p.ref().type() == ResourceType.PUBLIC_IP_ADDRESS && p.childPath().isEmpty())
                    .map(ResourceRef.Parsed::ref)
                    .orElseThrow(() -> badReference(ipc.publicIpAddressId(), ref));
            StoredResource pipDoc = ResourceRepository.get(c, pip).orElseThrow(() -> badReference(ipc.publicIpAddressId(), ref));
            if (pips.contains(pip.key())) {
                throw ArmException.badRequest("PublicIPAddressInUse", "Public IP address " + pip.id()
                        + " is used by more than one ipConfiguration of gateway " + ref.name() + ".");
            }
            pips.add(pip.key());
            Optional<String> user = publicIpUser(c, pip, Optional.of(ref));
            if (user.isPresent()) {
                throw ArmException.badRequest("PublicIPAddressInUse", "Public IP address " + pip.id()
                        + " is already in use by " + user.get() + ".");
            }
            // "The Basic gateway SKU currently accepts only a Basic-SKU public IP" (azure-p2s.md §1.2).
            String pipSku = pipDoc.body().path("sku").path("name").asText("Standard");
            if (gw.sku().isBasic() && !pipSku.equals("Basic")) {
                throw ArmException.badRequest("BasicSkuGatewayRequiresBasicSkuPublicIp", "Gateway " + ref.name()
                        + " has the Basic SKU, which accepts only a Basic-SKU public IP; " + pip.name() + " is " + pipSku + ".");
            }
        }
        // A virtual network has one VPN gateway.
        for (GatewayOnVnet other : gatewaysOn(c, vnetRef)) {
            if (!other.ref().key().equals(ref.key())) {
                throw ArmException.badRequest("VirtualNetworkAlreadyHasVpnGateway", "Virtual network " + vnetRef.name()
                        + " already has VPN gateway " + other.ref().id() + "; a virtual network can have only one.");
            }
        }
        if (existing.isPresent()) {
            VirtualNetworkGateway before = readStoredGateway(existing.get());
            // "The type cannot be changed without delete and re-create" (FAQ, azure-p2s.md §1.3).
            if (!before.vpnType().equals(gw.vpnType())) {
                throw ArmException.badRequest("VpnTypeCannotBeChanged", "The VPN type of gateway " + ref.name()
                        + " cannot be changed from " + before.vpnType() + " to " + gw.vpnType() + "; delete and re-create the gateway.");
            }
        }
    }

    /** Flips a gateway's provisioningState from Updating to Succeeded (same etag). */
    public void finishProvisioning(ResourceRef ref) {
        db.inTransaction(c -> {
            Optional<StoredResource> g = ResourceRepository.get(c, ref);
            if (g.isPresent() && Renderer.UPDATING.equals(g.get().body().path("properties").path("provisioningState").asText())) {
                ObjectNode doc = g.get().body().deepCopy();
                doc.with("properties").put("provisioningState", Renderer.SUCCEEDED);
                ResourceRepository.update(c, ref, doc, g.get().etag(), g.get().etag());
            }
            return null;
        });
    }

    /** After a restart: provisioning that was in flight has finished. */
    public void finishAllProvisioning() {
        for (StoredResource g : db.inTransaction(c -> ResourceRepository.listAll(c, ResourceType.VIRTUAL_NETWORK_GATEWAY))) {
            finishProvisioning(g.ref());
        }
    }

    // ---------------------------------------------------------------- gateway children (certificates)

    public WriteResult putGatewayChild(ResourceRef gwRef, GatewayChild kind, String name, ObjectNode body, Preconditions pre) {
        return write(c -> {
            StoredResource gw = require(c, gwRef);
            ObjectNode doc = gw.body().deepCopy();
            ArrayNode children = childrenOf(gwRef, doc, kind);
            int index = indexOf(children, name);
            pre.check(gwRef.id() + "/" + kind.property() + "/" + name, index < 0 ? Optional.empty() : Optional.of(gw.etag()));
            ObjectNode given = body.deepCopy();
            given.put("name", index < 0 ? name : children.get(index).path("name").asText());
            if (index < 0) {
                children.add(given);
            } else {
                children.set(index, given);
            }
            WriteResult r = putGw(c, gw.ref(), doc, Preconditions.NONE);
            return new WriteResult(findChild(childrenOf(gwRef, r.body(), kind), name).orElseThrow(), index < 0);
        });
    }

    public ObjectNode getGatewayChild(ResourceRef gwRef, GatewayChild kind, String name) {
        ObjectNode gw = get(gwRef);
        ArrayNode children = (ArrayNode) gw.path("properties").path("vpnClientConfiguration").path(kind.property());
        return (children.isMissingNode() ? Optional.<ObjectNode>empty() : findChild(children, name))
                .orElseThrow(() -> ArmException.notFound("NotFound", "Resource " + gwRef.id() + "/" + kind.property() + "/" + name + " not found."));
    }

    public List<ObjectNode> listGatewayChildren(ResourceRef gwRef, GatewayChild kind) {
        List<ObjectNode> out = new ArrayList<>();
        get(gwRef).path("properties").path("vpnClientConfiguration").path(kind.property()).forEach(n -> out.add((ObjectNode) n));
        return out;
    }

    public boolean deleteGatewayChild(ResourceRef gwRef, GatewayChild kind, String name, Preconditions pre) {
        return write(c -> {
            StoredResource gw = require(c, gwRef);
            ObjectNode doc = gw.body().deepCopy();
            if (!doc.path("properties").has("vpnClientConfiguration")) {
                pre.check(gwRef.id() + "/" + kind.property() + "/" + name, Optional.empty());
                return false;
            }
            ArrayNode children = childrenOf(gwRef, doc, kind);
            int index = indexOf(children, name);
            pre.check(gwRef.id() + "/" + kind.property() + "/" + name, index < 0 ? Optional.empty() : Optional.of(gw.etag()));
            if (index < 0) {
                return false;
            }
            children.remove(index);
            putGw(c, gw.ref(), doc, Preconditions.NONE);
            return true;
        });
    }

    private static ArrayNode childrenOf(ResourceRef gwRef, ObjectNode gwDoc, GatewayChild kind) {
        ObjectNode props = gwDoc.with("properties");
        if (!props.has("vpnClientConfiguration") || !props.get("vpnClientConfiguration").isObject()) {
            throw ArmException.badRequest("PointToSiteNotConfigured", "Gateway " + gwRef.name()
                    + " has no point-to-site configuration (vpnClientConfiguration); configure an address pool first.");
        }
        return ((ObjectNode) props.get("vpnClientConfiguration")).withArray(kind.property());
    }

    // ---------------------------------------------------------------- static key and gateway state

    /** POST resetvpnclientsharedkey: a fresh OpenVPN static key; clients need a new package. */
    public void resetStaticKey(ResourceRef gwRef) {
        write(c -> {
            StoredResource gw = require(c, gwRef);
            byte[] key = new byte[OpenVpnStaticKeyFile.LENGTH];
            random.nextBytes(key);
            ResourceRepository.putStaticKey(c, gw.ref(), key);
            return null;
        });
    }

    /** The gateway with its VNet and secrets, or empty when it does not exist. */
    public Optional<GatewayState> gatewayState(ResourceRef gwRef) {
        return db.inTransaction(c -> {
            Optional<StoredResource> g = ResourceRepository.get(c, gwRef);
            return g.isEmpty() ? Optional.<GatewayState>empty() : state(c, g.get());
        });
    }

    /** All gateways with their VNets, oldest first. */
    public List<GatewayState> gatewayStates() {
        return db.inTransaction(c -> {
            List<GatewayState> out = new ArrayList<>();
            for (StoredResource g : ResourceRepository.listAll(c, ResourceType.VIRTUAL_NETWORK_GATEWAY)) {
                state(c, g).ifPresent(out::add);
            }
            return out;
        });
    }

    private static Optional<GatewayState> state(Connection c, StoredResource g) throws SQLException {
        VirtualNetworkGateway gw = readStoredGateway(g);
        Optional<ResourceRef> vnetRef = vnetOf(gw);
        if (vnetRef.isEmpty()) {
            return Optional.empty();
        }
        Optional<StoredResource> vnetDoc = ResourceRepository.get(c, vnetRef.get());
        Optional<byte[]> key = ResourceRepository.staticKey(c, g.ref());
        if (vnetDoc.isEmpty() || key.isEmpty()) {
            return Optional.empty();
        }
        VirtualNetwork vnet = VirtualNetworkRules.read(vnetDoc.get().ref().name(), vnetDoc.get().body());
        return Optional.of(new GatewayState(g.ref(), gw, vnetDoc.get().ref(), vnet, SecretBytes.of(key.get()), g.createdSeq()));
    }
}
