package io.p2sgw.control.service;

import io.p2sgw.control.model.ResourceRef;
import io.p2sgw.control.model.VirtualNetwork;
import io.p2sgw.control.model.VirtualNetworkGateway;
import io.p2sgw.dataplane.api.SecretBytes;

/**
 * A stored gateway with everything the snapshot and the client package need: its VNet and its OpenVPN static key, as
 * the raw bytes the store keeps (the file format is rendered only into client profiles, {@code OpenVpnStaticKeyFile}).
 */
public record GatewayState(
        ResourceRef ref,
        VirtualNetworkGateway gateway,
        ResourceRef vnetRef,
        VirtualNetwork vnet,
        SecretBytes staticKey,
        long createdSeq) {}
