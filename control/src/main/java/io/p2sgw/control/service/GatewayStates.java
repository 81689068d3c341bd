package io.p2sgw.control.service;

import io.p2sgw.control.model.ResourceRef;
import io.p2sgw.control.model.ResourceType;
import io.p2sgw.control.model.VirtualNetwork;
import io.p2sgw.control.model.VirtualNetworkGateway;
import io.p2sgw.control.rules.VirtualNetworkRules;
import io.p2sgw.control.store.ResourceRepository;
import io.p2sgw.control.store.StoredResource;
import io.p2sgw.control.clientpackage.OpenVpnStaticKeyFile;
import io.p2sgw.dataplane.api.SecretBytes;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A gateway with what the snapshot and the client package need beyond its document: its VNet and its secrets. */
final class GatewayStates {
    private GatewayStates() {}

    /** A fresh OpenVPN static key for the gateway (on create, and on resetvpnclientsharedkey). */
    static void newStaticKey(Connection c, ResourceRef gateway, SecureRandom random) throws SQLException {
        byte[] key = new byte[OpenVpnStaticKeyFile.LENGTH];
        random.nextBytes(key);
        ResourceRepository.putStaticKey(c, gateway, key);
    }

    static Optional<GatewayState> of(Connection c, ResourceRef gwRef) throws SQLException {
        Optional<StoredResource> g = ResourceRepository.get(c, gwRef);
        return g.isEmpty() ? Optional.empty() : state(c, g.get());
    }

    /** All gateways with their VNets, oldest first. */
    static List<GatewayState> all(Connection c) throws SQLException {
        List<GatewayState> out = new ArrayList<>();
        for (StoredResource g : ResourceRepository.listAll(c, ResourceType.VIRTUAL_NETWORK_GATEWAY)) {
            state(c, g).ifPresent(out::add);
        }
        return out;
    }

    private static Optional<GatewayState> state(Connection c, StoredResource g) throws SQLException {
        VirtualNetworkGateway gw = GatewayTopology.readStoredGateway(g);
        Optional<ResourceRef> vnetRef = GatewayTopology.vnetOf(gw);
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
