package io.p2sgw.lab.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.p2sgw.lab.OpenVpnClient;
import io.p2sgw.lab.instances.TwoInstanceGateway;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code p2sgw demo --instances 2} (issue 17): two gateway instances on one PostgreSQL that the demo starts, an
 * OpenVPN client on each, a revocation written through instance a that ends the session held by instance b, then
 * {@code kill -9} of a and its client's reconnect to b. Prints each step and what it found; returns whether every
 * check held.
 */
public final class InstancesWalkthrough {
    /** Client 1 prefers instance a, client 2 instance b. */
    private static final int ON_A = 1;
    private static final int ON_B = 2;
    private static final int A = 0;
    private static final int B = 1;

    private final Consumer<String> step;
    private final Consumer<String> result;
    private final Duration timeout;

    /**
     * @param step    prints a numbered step
     * @param result  prints what a step found
     * @param timeout how long to wait for an API or a client
     */
    public InstancesWalkthrough(Consumer<String> step, Consumer<String> result, Duration timeout) {
        this.step = step;
        this.result = result;
        this.timeout = timeout;
    }

    /** Runs the walkthrough; everything it started is removed before it returns. */
    public boolean run(Path java, Path jar, boolean keepScratch) {
        TwoInstanceGateway gw = TwoInstanceGateway.start(2, java, jar, step);
        try {
            if (keepScratch) {
                gw.lab().keepScratch();
                result.accept("scratch kept: " + gw.lab().scratch());
            }
            result.accept("instances a (198.51.100.4, slot 0, pool " + TwoInstanceGateway.HALF.get(A) + ") and b (198.51.100.5,"
                    + " slot 1, pool " + TwoInstanceGateway.HALF.get(B) + ") share " + gw.postgres().jdbcUrl());
            return walk(gw);
        } finally {
            step.accept("clean up: stop the clients, the instances and PostgreSQL, delete the namespaces");
            List<String> namespaces = gw.lab().namespaces();
            gw.close();
            result.accept("removed " + namespaces.size() + " namespaces");
        }
    }

    private boolean walk(TwoInstanceGateway gw) {
        KeyAndChain alice = gw.clientCertificate("alice");
        KeyAndChain bob = gw.clientCertificate("bob");
        step.accept("connect alice to a and bob to b (the same package profile, each with its instance's remote first)");
        OpenVpnClient a = gw.connect(ON_A, alice, A);
        OpenVpnClient b = gw.connect(ON_B, bob, B);
        if (!a.awaitConnected(timeout) || !b.awaitConnected(timeout)) {
            result.accept("FAILED: a client did not connect. alice:\n" + a.process().tail(15) + "\nbob:\n" + b.process().tail(15));
            return false;
        }
        String aliceAddress = a.lastTunnelAddress().orElse("?");
        String bobAddress = b.lastTunnelAddress().orElse("?");
        result.accept("alice on " + a.lastPeer().orElse("?") + " with " + aliceAddress + "; bob on " + b.lastPeer().orElse("?")
                + " with " + bobAddress);
        boolean halves = TwoInstanceGateway.inHalf(aliceAddress, A) && TwoInstanceGateway.inHalf(bobAddress, B);
        boolean pings = gw.lab().clientPingsVm(ON_A) && gw.lab().clientPingsVm(ON_B);
        result.accept((halves ? "each address is from its instance's half" : "FAILED: an address is outside its instance's half")
                + "; " + (pings ? "both reach the VM 10.1.0.4" : "FAILED: a client does not reach the VM"));

        step.accept("POST getVpnClientConnectionHealth through a: every instance's sessions");
        boolean listed = waitFor(() -> users(gw, A).containsAll(List.of("alice", "bob")));
        for (JsonNode s : gw.health(A)) {
            result.accept(s.path("vpnConnectionId").asText() + " " + s.path("vpnUserName").asText() + " "
                    + s.path("privateIpAddress").asText());
        }

        String thumbprint = Certificates.thumbprint(bob.certificate());
        step.accept("revoke bob's certificate through a's API (PUT .../vpnClientRevokedCertificates/bob-lost-laptop, thumbprint "
                + thumbprint + "); bob's session is held by b");
        long start = System.nanoTime();
        gw.revoke(A, "bob-lost-laptop", thumbprint);
        boolean ended = waitFor(() -> !users(gw, B).contains("bob"));
        long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
        result.accept(ended ? "b ended bob's session " + ms + " ms after the revocation was sent to a"
                : "FAILED: b still lists bob's session");
        b.close();

        step.accept("kill -9 instance a (alice's); the VNet now routes the whole pool to b");
        long killed = System.nanoTime();
        gw.kill(A);
        boolean back = a.awaitConnectedTimes(2, timeout);
        long backMs = Duration.ofNanos(System.nanoTime() - killed).toMillis();
        String newAddress = a.lastTunnelAddress().orElse("?");
        result.accept(back ? "alice reconnected to " + a.lastPeer().orElse("?") + " " + backMs + " ms after the kill, address "
                + newAddress + (TwoInstanceGateway.inHalf(newAddress, B) ? " (b's half)" : "")
                : "FAILED: alice did not reconnect:\n" + a.process().tail(15));
        boolean pingAfter = back && gw.lab().clientPingsVm(ON_A);
        result.accept(pingAfter ? "alice reaches the VM through b" : "FAILED: alice does not reach the VM");
        a.close();
        return halves && pings && listed && ended && back && pingAfter;
    }

    private static List<String> users(TwoInstanceGateway gw, int k) {
        return gw.health(k).stream().map(s -> s.path("vpnUserName").asText()).toList();
    }

    private boolean waitFor(java.util.function.BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
