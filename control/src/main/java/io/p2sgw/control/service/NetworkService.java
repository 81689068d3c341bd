package io.p2sgw.control.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.control.model.JsonFields;
import io.p2sgw.control.model.ResourceRef;
import io.p2sgw.control.model.ResourceType;
import io.p2sgw.control.store.Database;
import io.p2sgw.control.store.OperationRepository;
import io.p2sgw.control.store.ResourceRepository;
import io.p2sgw.control.store.StoredResource;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The control plane's use cases: every ARM write runs in one transaction, checks the preconditions and
 * all rules before it writes anything, and notifies listeners only after commit. Reads return the
 * stored ARM documents.
 *
 * <p>This class owns the transactions and the change notification; what each resource kind checks and stores is
 * in its own class: {@link ResourceGroups}, {@link VirtualNetworks} (with subnets), {@link PublicIpAddresses},
 * {@link Gateways} (with their certificate collections), and {@link NetworkResources} for what all share. Child
 * collections (subnets, certificates) go through one helper, {@link ChildCollection}.
 */
public final class NetworkService {
    private final Database db;
    private final SecureRandom random;
    private final Gateways gateways;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public NetworkService(Database db, SecureRandom random) {
        this.db = db;
        this.random = random;
        this.gateways = new Gateways(random);
    }

    public NetworkService(Database db) {
        this(db, new SecureRandom());
    }

    /**
     * Called after every committed write through this instance (on the writing thread). Writes through other
     * instances sharing the store are learnt of by {@code io.p2sgw.control.instance.StoreChangeWatcher}.
     */
    public void addChangeListener(Runnable listener) {
        listeners.add(listener);
    }

    private <T> T write(Database.Work<T> work) {
        T result = db.inChangingTransaction(work);
        listeners.forEach(Runnable::run);
        return result;
    }

    private <T> T read(Database.Work<T> work) {
        return db.inTransaction(work);
    }

    // ---------------------------------------------------------------- resource groups

    public WriteResult putResourceGroup(String subscription, String group, ObjectNode body) {
        ResourceGroups.requireValidNames(subscription, group);
        return write(c -> ResourceGroups.put(c, subscription, group, body));
    }

    public ObjectNode getResourceGroup(String subscription, String group) {
        return read(c -> ResourceGroups.get(c, subscription, group));
    }

    public List<ObjectNode> listResourceGroups(String subscription) {
        return read(c -> ResourceGroups.list(c, subscription));
    }

    /**
     * Deletes a group and everything in it (ARM semantics), unless an operation in progress holds a gateway in it or
     * on one of its virtual networks: then {@code running} refuses it and nothing is deleted. False when it did not
     * exist.
     */
    public boolean deleteResourceGroup(String subscription, String group, OperationsInProgress running) {
        return write(c -> ResourceGroups.delete(c, subscription, group, running, db.isPostgresql()));
    }

    // ---------------------------------------------------------------- any network resource

    public ObjectNode get(ResourceRef ref) {
        return read(c -> NetworkResources.get(c, ref));
    }

    public List<ObjectNode> list(String subscription, Optional<String> group, ResourceType type) {
        return read(c -> NetworkResources.list(c, subscription, group, type));
    }

    /**
     * Deletes a network resource; false when it did not exist (ARM answers 204). A virtual network with a gateway that
     * an operation in progress holds is refused by {@code running} first.
     */
    public boolean delete(ResourceRef ref, Preconditions pre, OperationsInProgress running) {
        return write(c -> NetworkResources.delete(c, ref, pre, running, db.isPostgresql()));
    }

    /** PATCH {"tags":{...}}: replaces the tags only. */
    public ObjectNode patchTags(ResourceRef ref, ObjectNode body, Preconditions pre) {
        ObjectNode tags = JsonFields.tags(body);
        return write(c -> NetworkResources.patchTags(c, ref, tags, pre));
    }

    // ---------------------------------------------------------------- virtual networks and subnets

    public WriteResult putVirtualNetwork(ResourceRef ref, ObjectNode body, Preconditions pre) {
        return write(c -> VirtualNetworks.put(c, ref, body, pre));
    }

    public WriteResult putSubnet(ResourceRef vnetRef, String subnetName, ObjectNode body, Preconditions pre) {
        VirtualNetworks.requireValidSubnetName(subnetName);
        return write(c -> VirtualNetworks.SUBNETS.put(c, vnetRef, subnetName, body, pre));
    }

    public ObjectNode getSubnet(ResourceRef vnetRef, String subnetName) {
        return VirtualNetworks.SUBNETS.require(vnetRef, get(vnetRef), subnetName);
    }

    public List<ObjectNode> listSubnets(ResourceRef vnetRef) {
        return VirtualNetworks.SUBNETS.list(get(vnetRef));
    }

    public boolean deleteSubnet(ResourceRef vnetRef, String subnetName, Preconditions pre) {
        return write(c -> VirtualNetworks.SUBNETS.delete(c, vnetRef, subnetName, pre));
    }

    // ---------------------------------------------------------------- public IP addresses

    public WriteResult putPublicIp(ResourceRef ref, ObjectNode body, Preconditions pre) {
        PublicIpAddresses.requireValidName(ref);
        return write(c -> PublicIpAddresses.put(c, ref, body, pre));
    }

    // ---------------------------------------------------------------- gateways and their certificates

    /**
     * Creates or updates a gateway. It takes the holds lock first ({@link OperationRepository#lockHolds}), as the
     * deletes that check holds do: a delete of its virtual network or group then either commits before (and this
     * write finds them gone) or after (and sees the gateway, and its operation's hold).
     */
    public WriteResult putGateway(ResourceRef ref, ObjectNode body, Preconditions pre) {
        return write(c -> {
            OperationRepository.lockHolds(c, db.isPostgresql());
            return gateways.put(c, ref, body, pre);
        });
    }

    /** Flips a gateway's provisioningState from Updating to Succeeded (same etag). */
    public void finishProvisioning(ResourceRef ref) {
        read(c -> {
            Gateways.finishProvisioning(c, ref);
            return null;
        });
    }

    /** After a restart: provisioning that was in flight has finished. */
    public void finishAllProvisioning() {
        for (StoredResource g : read(c -> ResourceRepository.listAll(c, ResourceType.VIRTUAL_NETWORK_GATEWAY))) {
            finishProvisioning(g.ref());
        }
    }

    public WriteResult putGatewayChild(ResourceRef gwRef, GatewayChild kind, String name, ObjectNode body, Preconditions pre) {
        return write(c -> gateways.children(kind).put(c, gwRef, name, body, pre));
    }

    public ObjectNode getGatewayChild(ResourceRef gwRef, GatewayChild kind, String name) {
        return gateways.children(kind).require(gwRef, get(gwRef), name);
    }

    public List<ObjectNode> listGatewayChildren(ResourceRef gwRef, GatewayChild kind) {
        return gateways.children(kind).list(get(gwRef));
    }

    public boolean deleteGatewayChild(ResourceRef gwRef, GatewayChild kind, String name, Preconditions pre) {
        return write(c -> gateways.children(kind).delete(c, gwRef, name, pre));
    }

    // ---------------------------------------------------------------- static key and gateway state

    /** POST resetvpnclientsharedkey: a fresh OpenVPN static key; clients need a new package. */
    public void resetStaticKey(ResourceRef gwRef) {
        write(c -> {
            GatewayStates.newStaticKey(c, StoredDocuments.require(c, gwRef).ref(), random);
            return null;
        });
    }

    /** The gateway with its VNet and secrets, or empty when it does not exist. */
    public Optional<GatewayState> gatewayState(ResourceRef gwRef) {
        return read(c -> GatewayStates.of(c, gwRef));
    }

    /** All gateways with their VNets, oldest first. */
    public List<GatewayState> gatewayStates() {
        return read(GatewayStates::all);
    }
}
