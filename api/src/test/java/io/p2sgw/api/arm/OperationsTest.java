package io.p2sgw.api.arm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import io.p2sgw.control.ArmException;
import io.p2sgw.control.store.Database;
import io.p2sgw.control.testing.MutableClock;
import io.p2sgw.control.testing.StoreKind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Long-running operations in the store (issue 17): one started through an instance is polled through another. */
class OperationsTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anOperationStartedOnOneInstanceIsPolledToCompletionThroughAnother(StoreKind kind) {
        String url = kind.newUrl(dir);
        Operations a = new Operations(clock, Database.open(url));
        Operations b = new Operations(clock, Database.open(url));

        Operations.Operation op = a.start();
        assertEquals(Operations.Status.IN_PROGRESS, b.get(op.id()).orElseThrow().status());
        clock.advance(Duration.ofSeconds(3));
        a.succeed(op, TextNode.valueOf("https://gw.example.test/vpnclientpackage/x/VNet1GW.zip"));
        Operations.Operation polled = b.get(op.id()).orElseThrow();
        assertEquals(Operations.Status.SUCCEEDED, polled.status());
        assertEquals(Optional.of(clock.instant()), polled.ended());
        assertEquals("https://gw.example.test/vpnclientpackage/x/VNet1GW.zip", polled.result().orElseThrow().asText());

        Operations.Operation failing = b.start();
        b.fail(failing, ArmException.conflict("AnotherOperationInProgress", "busy"));
        ArmException e = a.get(failing.id()).orElseThrow().error().orElseThrow();
        assertEquals(409, e.status());
        assertEquals("AnotherOperationInProgress", e.code());
        assertEquals("busy", e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void finishedOperationsAreForgottenAfterTheRetention(StoreKind kind) {
        Operations ops = new Operations(clock, Database.open(kind.newUrl(dir)));
        Operations.Operation done = ops.start();
        ops.succeed(done, null);
        Operations.Operation running = ops.start();
        clock.advance(Operations.RETENTION.plusSeconds(1));
        ops.start(); // evicts
        assertTrue(ops.get(done.id()).isEmpty());
        assertTrue(ops.get(running.id()).isPresent(), "an operation in progress is kept");
        assertEquals(Optional.empty(), ops.get(running.id()).orElseThrow().result());
    }

    private static final String GW = "/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualnetworkgateways/gw";
    private static final Duration EXPECTED = Duration.ofSeconds(1);

    private static ArmException refused(String holder) {
        return ArmException.conflict("AnotherOperationInProgress", "held by " + holder);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aGatewayHeldThroughOneInstanceIsRefusedThroughAnotherUntilTheOperationEnds(StoreKind kind) {
        String url = kind.newUrl(dir);
        Operations a = new Operations(clock, Database.open(url));
        Operations b = new Operations(clock, Database.open(url));

        Operations.Operation running = a.startHolding(GW, EXPECTED, OperationsTest::refused);
        ArmException e = assertThrows(ArmException.class, () -> b.startHolding(GW, EXPECTED, OperationsTest::refused));
        assertEquals(409, e.status());
        assertEquals("held by " + running.id(), e.getMessage());
        assertThrows(ArmException.class, () -> a.startHolding(GW, EXPECTED, OperationsTest::refused), "the holder's own"
                + " instance refuses too");
        b.startHolding(GW + "2", EXPECTED, OperationsTest::refused); // another gateway is free

        a.succeed(running, null);
        Operations.Operation next = b.startHolding(GW, EXPECTED, OperationsTest::refused);
        b.release(next);
        assertTrue(b.get(next.id()).isEmpty(), "a released hold leaves no operation to poll");
        a.startHolding(GW, EXPECTED, OperationsTest::refused);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aHoldWhoseInstanceDiedExpiresAndItsOperationReadsAsFailed(StoreKind kind) {
        String url = kind.newUrl(dir);
        Operations a = new Operations(clock, Database.open(url));
        Operations b = new Operations(clock, Database.open(url));
        Operations.Operation orphan = a.startHolding(GW, EXPECTED, OperationsTest::refused);

        clock.advance(EXPECTED.plus(Operations.HOLD_GRACE));
        assertThrows(ArmException.class, () -> b.startHolding(GW, EXPECTED, OperationsTest::refused), "not before the"
                + " grace is over");
        clock.advance(Duration.ofMillis(1));
        b.startHolding(GW, EXPECTED, OperationsTest::refused);
        Operations.Operation polled = b.get(orphan.id()).orElseThrow();
        assertEquals(Operations.Status.FAILED, polled.status());
        assertEquals(500, polled.error().orElseThrow().status());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void ofManyWritersClaimingOneGatewayAtOnceExactlyOneHoldsIt(StoreKind kind) throws Exception {
        String url = kind.newUrl(dir);
        int writers = 8;
        List<Operations> instances = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            instances.add(new Operations(clock, Database.open(url)));
        }
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            List<Future<Boolean>> held = new ArrayList<>();
            for (Operations ops : instances) {
                held.add(pool.submit(() -> {
                    go.await();
                    try {
                        ops.startHolding(GW, EXPECTED, OperationsTest::refused);
                        return true;
                    } catch (ArmException e) {
                        assertEquals("AnotherOperationInProgress", e.code());
                        return false;
                    }
                }));
            }
            go.countDown();
            int winners = 0;
            for (Future<Boolean> f : held) {
                winners += f.get() ? 1 : 0;
            }
            assertEquals(1, winners);
        }
    }
}
