package io.p2sgw.lab.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.p2sgw.cli.arm.ArmException;
import io.p2sgw.lab.GatewayServer;
import io.p2sgw.lab.Lab;
import io.p2sgw.pki.Certificates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The demo's client half: each stock client (OpenVPN, IKEv2, SSTP) connects to the one gateway, gets its own pool
 * address, pings and fetches from the VM; the health API lists every session with its tunnel type; then one client's
 * certificate is revoked: its session ends (the time from the API call is printed), its reconnect is refused with the
 * reason in the server log, and the others stay up. Failures are collected, not thrown, so every step is shown.
 */
final class ClientsWalkthrough {
    /** How long the revoked session may take to leave the health list before the demo calls it a failure. */
    static final Duration REVOCATION_LIMIT = Duration.ofSeconds(5);
    static final Duration RECONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);

    private final SeedWalkthrough walk;
    private final GatewayServer server;
    private final Consumer<String> step;
    private final Consumer<String> result;
    private final Duration timeout;
    private final List<String> failures = new ArrayList<>();
    private final List<DemoClient> connected = new ArrayList<>();
    private final Map<String, String> addresses = new LinkedHashMap<>();

    ClientsWalkthrough(SeedWalkthrough walk, GatewayServer server, Consumer<String> step, Consumer<String> result,
            Duration timeout) {
        this.walk = walk;
        this.server = server;
        this.step = step;
        this.result = result;
        this.timeout = timeout;
    }

    /** What went wrong so far (empty: everything passed). */
    List<String> failures() {
        return List.copyOf(failures);
    }

    /** The clients whose tunnel came up. */
    List<DemoClient> connected() {
        return List.copyOf(connected);
    }

    private void fail(String what) {
        failures.add(what);
        result("FAILED: " + what);
    }

    private void result(String text) {
        result.accept(text);
    }

    private static String user(DemoClient c) {
        return Certificates.commonName(c.certificate().certificate());
    }

    /** Connects one client, then pings and fetches the VM through its tunnel. */
    void connect(DemoClient c) {
        step.accept("connect " + c.tunnelType() + " as " + user(c) + ": " + c.commandLine());
        if (!c.connect(timeout)) {
            fail(c.tunnelType() + " client did not connect within " + timeout.toSeconds() + " s. Client:\n"
                    + c.diagnostics() + "\nServer log:\n" + server.process().tail(25));
            return;
        }
        connected.add(c);
        String address = c.address().orElse("unknown");
        addresses.put(user(c), address);
        result(c.tunnelType() + " connected; client address " + address
                + (SessionChecks.inPool(address) ? " (from the pool " + Lab.CLIENT_POOL + ")" : " (NOT from the pool)"));
        step.accept("ping 10.1.0.4 and HTTP GET http://10.1.0.4/ through the " + c.tunnelType() + " tunnel, from "
                + c.checksRunFrom());
        if (c.pingsVm()) {
            result("10.1.0.4 answers");
        } else {
            fail("no ping answer from 10.1.0.4 through " + c.tunnelType());
        }
        Optional<String> body = c.fetchVm();
        if (body.isPresent()) {
            result("200: " + body.get().strip());
        } else {
            fail("no HTTP answer from 10.1.0.4 through " + c.tunnelType());
        }
    }

    /** Every connected client has its own address, all from the one pool. */
    void checkAddresses() {
        step.accept("one pool for all tunnel types: each client has its own address from " + Lab.CLIENT_POOL);
        Map<String, String> byType = new LinkedHashMap<>();
        connected.forEach(c -> byType.put(c.tunnelType(), addresses.get(user(c))));
        List<String> problems = SessionChecks.addressProblems(byType);
        problems.forEach(this::fail);
        if (problems.isEmpty()) {
            result(String.join(", ", byType.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList())
                    + ": distinct, all in the pool");
        }
    }

    /** getVpnClientConnectionHealth lists every connected client's session with its tunnel type. */
    void showHealth() {
        step.accept("POST getVpnClientConnectionHealth");
        List<JsonNode> sessions;
        try {
            sessions = walk.connectionHealth();
        } catch (ArmException e) {
            fail("health not available: " + e.describe());
            return;
        }
        for (JsonNode s : sessions) {
            result(SessionChecks.tunnelType(s) + ": " + s.path("vpnConnectionId").asText() + " user "
                    + s.path("vpnUserName").asText() + " private " + s.path("privateIpAddress").asText() + " public "
                    + s.path("publicIpAddress").asText() + " in " + s.path("ingressBytesTransferred").asText() + " B / out "
                    + s.path("egressBytesTransferred").asText() + " B");
        }
        Map<String, String> expected = new LinkedHashMap<>();
        connected.forEach(c -> expected.put(user(c), c.tunnelType()));
        SessionChecks.sessionProblems(sessions, expected, addresses).forEach(this::fail);
    }

    /**
     * Revokes {@code target}'s certificate: its session must leave the health list (the time from the API call is
     * printed), a reconnect with the same certificate must be refused with the reason in the server log, and every
     * other connected client must stay up.
     */
    void revoke(DemoClient target) {
        String name = user(target);
        String thumbprint = Certificates.thumbprint(target.certificate().certificate());
        long start = System.nanoTime();
        walk.revoke(name + "-lost", thumbprint);
        boolean ended = false;
        while (System.nanoTime() - start < REVOCATION_LIMIT.toNanos()) {
            if (SessionChecks.sessionOf(walk.connectionHealth(), name).isEmpty()) {
                ended = true;
                break;
            }
            sleep(POLL);
        }
        long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
        if (ended) {
            result(target.tunnelType() + " session of " + name + " ended " + ms + " ms after the revocation call was sent");
        } else {
            fail(target.tunnelType() + " session of " + name + " still listed " + REVOCATION_LIMIT.toSeconds()
                    + " s after the revocation");
        }
        target.close();
        connected.remove(target);

        step.accept("reconnect " + target.tunnelType() + " with the revoked certificate: " + target.commandLine());
        int logMark = server.process().logText().length();
        boolean again = target.reconnects(RECONNECT_TIMEOUT);
        String newLog = server.process().logText();
        Optional<String> reason = SessionChecks.revocationLine(newLog.substring(Math.min(logMark, newLog.length())), thumbprint);
        if (again) {
            fail("the revoked " + target.tunnelType() + " client connected again");
        } else if (reason.isEmpty()) {
            fail("refused, but the server log has no line naming thumbprint " + thumbprint + " as REVOKED");
        } else {
            result("refused; server log: " + reason.get());
        }

        step.accept("the other clients stay up");
        List<JsonNode> sessions = walk.connectionHealth();
        for (DemoClient c : connected) {
            boolean listed = SessionChecks.sessionOf(sessions, user(c)).isPresent();
            boolean up = c.stillUp();
            if (listed && up) {
                result(c.tunnelType() + " (" + user(c) + ", " + addresses.get(user(c)) + "): still connected and listed");
            } else {
                fail(c.tunnelType() + " (" + user(c) + ") " + (up ? "" : "lost its tunnel ") + (listed ? "" : "left the health list"));
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
