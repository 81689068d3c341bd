package io.p2sgw.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.p2sgw.lab.Cmd;
import io.p2sgw.lab.GatewayServer;
import io.p2sgw.lab.Lab;
import io.p2sgw.lab.LabPostgres;
import io.p2sgw.lab.instances.TwoInstanceGateway;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What the two-instance interop classes (issue 17: {@link TwoInstancesInteropTest} for OpenVPN,
 * {@link TwoInstancesIkeV2InteropTest}, {@link TwoInstancesSstpInteropTest}) share: the lab's
 * {@link TwoInstanceGateway} (a PostgreSQL and two real p2sgw processes, one active-active gateway) started from the
 * reactor's jar or the class skipped with the reason, its removal with the check that the run left no namespace, the
 * sessions as an instance's health lists them, and the bounded wait whose measured time the classes print.
 */
final class TwoInstancesFixture {
    static final int A = 0;
    static final int B = 1;
    /** A notification takes milliseconds and a heartbeat 2 s; this bound only stops a broken run. */
    static final Duration BOUND = Duration.ofSeconds(30);

    private TwoInstancesFixture() {
    }

    /**
     * Starts the two-instance gateway with {@code protocols} as its vpnClientProtocols and {@code clients} client
     * namespaces, or skips the calling class when the lab, PostgreSQL or the class's own client
     * ({@code clientUnavailable}) cannot run here.
     */
    static TwoInstanceGateway start(int clients, List<String> protocols, Optional<String> clientUnavailable) {
        Optional<String> why = Lab.whyUnavailable().or(LabPostgres::whyUnavailable).or(() -> clientUnavailable);
        assumeTrue(why.isEmpty(), () -> "interop tests skipped: " + why.orElse(""));
        return TwoInstanceGateway.start(clients, protocols, GatewayServer.currentJava(), SeedGateway.jar(),
                s -> System.out.println("[interop] " + s));
    }

    /**
     * Stops both instances and PostgreSQL and removes the lab (the caller closes its clients first), then checks that
     * no namespace of this run is left. Does nothing when {@link #start} skipped the class.
     */
    static void stop(TwoInstanceGateway gw) {
        if (gw == null) {
            return;
        }
        String runId = gw.lab().runId();
        gw.close();
        assertEquals(List.of(), Cmd.run("ip", "netns", "list").output().lines().filter(l -> l.contains(runId)).toList(),
                "the lab left no namespace behind");
    }

    /** The session of {@code user} as instance k's health API lists it (every instance's sessions, azure-p2s.md §6.1). */
    static Optional<JsonNode> session(TwoInstanceGateway gw, int k, String user) {
        return gw.health(k).stream().filter(s -> s.path("vpnUserName").asText().equals(user)).findFirst();
    }

    /** Polls until the condition holds and returns how long that took; fails after {@link #BOUND} with what it was waiting for. */
    static long eventually(String what, BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(what + " did not happen within " + BOUND);
            }
            sleep(Duration.ofMillis(20));
        }
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
