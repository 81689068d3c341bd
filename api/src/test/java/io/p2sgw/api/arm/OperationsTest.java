package io.p2sgw.api.arm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import io.p2sgw.control.ArmException;
import io.p2sgw.control.store.Database;
import io.p2sgw.control.testing.MutableClock;
import io.p2sgw.control.testing.StoreKind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
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
}
