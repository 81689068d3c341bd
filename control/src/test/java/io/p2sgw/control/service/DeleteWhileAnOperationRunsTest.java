package io.p2sgw.control.service;

import static io.p2sgw.control.testing.TestData.RG;
import static io.p2sgw.control.testing.TestData.SUB;
import static io.p2sgw.control.testing.TestData.json;
import static io.p2sgw.control.testing.TestData.rgBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.control.ArmException;
import io.p2sgw.control.model.ResourceRef;
import io.p2sgw.control.model.ResourceType;
import io.p2sgw.control.store.Database;
import io.p2sgw.control.store.OperationRepository;
import io.p2sgw.control.testing.MutableClock;
import io.p2sgw.control.testing.StoreKind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 17: a delete that would take a gateway with it (its resource group, its virtual network) while an operation on
 * that gateway is in progress, through another instance sharing the store, is refused with 409
 * {@code AnotherOperationInProgress}, and deletes nothing.
 */
class DeleteWhileAnOperationRunsTest {
    private static final ResourceRef VNET = NetworkServiceTest.VNET;
    private static final ResourceRef PIP = NetworkServiceTest.PIP;
    private static final ResourceRef GW = NetworkServiceTest.GW;
    private static final Duration HOLD = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
    /** The instance that deletes; the operation runs on another one, on the same store. */
    private NetworkService deleter;
    private OperationRepository running;

    private void open(StoreKind kind) {
        String url = kind.newUrl(dir);
        NetworkService writer = new NetworkService(Database.open(url));
        NetworkServiceTest.seed(writer);
        writer.finishProvisioning(GW);
        running = new OperationRepository(Database.open(url));
        deleter = new NetworkService(Database.open(url));
    }

    private OperationsInProgress refusing() {
        return new OperationsInProgress(clock, (gw, operation) -> ArmException.conflict("AnotherOperationInProgress",
                "operation " + operation + " holds " + gw.id()));
    }

    private void hold(String operation, ResourceRef gateway) {
        assertEquals(Optional.empty(), running.claim(operation, gateway.key(), clock.instant(), clock.instant().plus(HOLD)));
    }

    private void assertRefused(String operation, ResourceRef gateway, ArmException e) {
        assertEquals(409, e.status());
        assertEquals("AnotherOperationInProgress", e.code());
        assertEquals("operation " + operation + " holds " + gateway.id(), e.getMessage());
    }

    private void assertNothingDeleted() {
        assertEquals(1, deleter.listResourceGroups(SUB).size());
        for (ResourceRef r : new ResourceRef[] {VNET, PIP, GW}) {
            assertEquals(r.id(), deleter.get(r).path("id").asText(), "still there: " + r.id());
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aGroupWhoseGatewayAnOperationHoldsIsNotDeletedUntilTheOperationEnds(StoreKind kind) {
        open(kind);
        hold("update", GW);

        assertRefused("update", GW, assertThrows(ArmException.class,
                () -> deleter.deleteResourceGroup(SUB, RG, refusing())));
        assertNothingDeleted();

        running.end("update", "Succeeded", clock.instant(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
        assertTrue(deleter.deleteResourceGroup(SUB, RG, refusing()));
        assertTrue(deleter.listResourceGroups(SUB).isEmpty());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aVirtualNetworkWhoseGatewayAnOperationHoldsIsRefusedWith409BeforeTheSubnetInUse(StoreKind kind) {
        open(kind);
        hold("update", GW);

        assertRefused("update", GW, assertThrows(ArmException.class,
                () -> deleter.delete(VNET, Preconditions.NONE, refusing())));
        assertNothingDeleted();

        running.end("update", "Succeeded", clock.instant(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
        ArmException inUse = assertThrows(ArmException.class, () -> deleter.delete(VNET, Preconditions.NONE, refusing()));
        assertEquals("InUseSubnetCannotBeDeleted", inUse.code(), "once the operation ended, the rule of a gateway on it");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aGatewayBeingCreatedInTheGroupHoldsItBeforeItIsWritten(StoreKind kind) {
        open(kind);
        ResourceRef creating = GW.sibling(ResourceType.VIRTUAL_NETWORK_GATEWAY, "Second_GW");
        hold("create", creating);

        // Not written yet: the refusal names it as the hold does (ARM ids compare case-insensitively).
        ResourceRef asHeld = new ResourceRef(SUB, RG.toLowerCase(java.util.Locale.ROOT),
                ResourceType.VIRTUAL_NETWORK_GATEWAY, "second_gw");
        assertRefused("create", asHeld, assertThrows(ArmException.class,
                () -> deleter.deleteResourceGroup(SUB, RG, refusing())));
        assertNothingDeleted();
        // A gateway of another group is no reason to refuse: the hold is on what the delete would remove.
        running.delete("create");
        deleter.putResourceGroup(SUB, "OtherRG", json(rgBody()));
        hold("elsewhere", new ResourceRef(SUB, "OtherRG", ResourceType.VIRTUAL_NETWORK_GATEWAY, "GW"));
        hold("sibling", new ResourceRef(SUB, RG + "2", ResourceType.VIRTUAL_NETWORK_GATEWAY, "GW"));
        assertTrue(deleter.deleteResourceGroup(SUB, RG, refusing()));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aHoldWhoseInstanceDiedNoLongerRefusesOnceItExpired(StoreKind kind) {
        open(kind);
        hold("orphan", GW);
        clock.advance(HOLD);
        assertThrows(ArmException.class, () -> deleter.deleteResourceGroup(SUB, RG, refusing()));

        clock.advance(Duration.ofMillis(1));
        assertTrue(deleter.deleteResourceGroup(SUB, RG, refusing()));
        assertEquals("Failed", running.get("orphan").orElseThrow().status());
    }
}
