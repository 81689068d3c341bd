package io.p2sgw.control.service;

import io.p2sgw.control.model.ResourceRef;
import io.p2sgw.control.model.VirtualNetwork;
import io.p2sgw.control.model.VirtualNetworkGateway;
import io.p2sgw.dataplane.api.StaticKey;

/** A stored gateway with everything the snapshot and the client package need: its VNet and static key. */
public record GatewayState(
        ResourceRef ref,
        VirtualNetworkGateway gateway,
        ResourceRef vnetRef,
        VirtualNetwork vnet,
        StaticKey staticKey,
        long createdSeq) {}
