package io.p2sgw.control.service;

import io.p2sgw.control.ArmException;
import io.p2sgw.control.model.ResourceRef;
import io.p2sgw.control.store.OperationRepository;
import io.p2sgw.control.store.OperationRepository.Hold;
import io.p2sgw.control.store.ResourceRepository;
import io.p2sgw.control.store.StoredResource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Collection;
import java.util.Optional;

/**
 * What a delete that would take gateways with it (a resource group, a virtual network) checks first: that no operation
 * in progress holds one of them, whichever instance sharing the store runs it. ARM refuses such a delete with 409
 * {@code AnotherOperationInProgress} ("Another operation on this or dependent resource is in progress", issue 17).
 * The check runs inside the delete's transaction under the store's holds lock ({@link OperationRepository#lockHolds}),
 * so a claim through another instance either committed first and is seen here, or waits until the delete committed
 * and then finds no gateway. A refused delete throws before it removes anything, so its transaction rolls back whole.
 */
public final class OperationsInProgress {
    /** The error for a delete refused because {@code operationId} holds {@code gateway}. */
    @FunctionalInterface
    public interface Refusal {
        ArmException refuse(ResourceRef gateway, String operationId);
    }

    private final Clock clock;
    private final Refusal refusal;

    public OperationsInProgress(Clock clock, Refusal refusal) {
        this.clock = clock;
        this.refusal = refusal;
    }

    /**
     * Throws the refusal when an operation in progress holds one of {@code gateways} or a resource under one of
     * {@code containers} (their ARM keys).
     */
    void refuseIfHeld(Connection c, boolean postgresql, Collection<String> gateways, Collection<String> containers)
            throws SQLException {
        OperationRepository.lockHolds(c, postgresql);
        Optional<Hold> hold = OperationRepository.liveHold(c, clock.instant(), gateways, containers);
        if (hold.isPresent()) {
            throw refusal.refuse(heldResource(c, hold.get().resourceKey()), hold.get().operationId());
        }
    }

    /** The held resource as it was created (ARM echoes its casing), or as the hold names it when not yet written. */
    private static ResourceRef heldResource(Connection c, String key) throws SQLException {
        ResourceRef named = ResourceRef.parseNetworkId(key).map(ResourceRef.Parsed::ref)
                .orElseThrow(() -> new IllegalStateException("an operation holds " + key + ", not a network resource"));
        return ResourceRepository.get(c, named).map(StoredResource::ref).orElse(named);
    }
}
