package io.p2sgw.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.p2sgw.lab.Lab;
import io.p2sgw.lab.OpenVpnClient;
import io.p2sgw.lab.instances.ActiveActiveSetup;
import io.p2sgw.lab.instances.TwoInstanceGateway;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 17 with real parts: a PostgreSQL started here, two p2sgw processes (the real p2sgw.jar) each in its own
 * gateway namespace with its own public address, one active-active gateway, the stock openvpn client connected to
 * each instance with the package's profile (which lists both instances). Writes through one instance reach the
 * other's data plane; losing an instance (kill -9) moves its clients to the other. Bounds are generous so the test
 * never fails on timing; the measured delays are printed. Root only; the lab and PostgreSQL are removed after the
 * class, also on failure.
 */
@Tag("interop")
@Timeout(600)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesInteropTest {
    static final int A = TwoInstancesFixture.A;
    static final int B = TwoInstancesFixture.B;
    /** c1: revoked on b; c2: disconnected on b, later a new client on the restarted a; c3, c4 on a; c5, c6 on b. */
    static final int CLIENTS = 6;
    static final List<Integer> ON_A = List.of(3, 4);
    static final List<Integer> ON_B = List.of(5, 6);
    static final Duration CONNECT = Duration.ofSeconds(60);
    static final Duration BOUND = TwoInstancesFixture.BOUND;

    static TwoInstanceGateway gw;
    static final Map<Integer, OpenVpnClient> clients = new TreeMap<>();

    @BeforeAll
    static void start() {
        gw = TwoInstancesFixture.start(CLIENTS, ActiveActiveSetup.DEFAULT_PROTOCOLS, Optional.empty());
    }

    @AfterAll
    static void stop() {
        clients.values().forEach(OpenVpnClient::close);
        TwoInstancesFixture.stop(gw);
    }

    private static OpenVpnClient connected(int client, String cn, int instance) {
        KeyAndChain cert = gw.clientCertificate(cn);
        OpenVpnClient c = gw.connect(client, cert, instance);
        clients.put(client, c);
        assertTrue(c.awaitConnected(CONNECT), () -> "client " + client + " did not connect to "
                + TwoInstanceGateway.NAMES.get(instance) + ". Client log:\n" + c.process().tail(30) + "\nServer log:\n"
                + gw.server(instance).process().tail(30));
        return c;
    }

    private static boolean inHalf(String address, int instance) {
        return TwoInstanceGateway.inHalf(address, instance);
    }

    private static String address(OpenVpnClient c) {
        return c.lastTunnelAddress().orElseThrow(() -> new AssertionError("no tunnel address:\n" + c.log()));
    }

    private static boolean pings(int client) {
        return gw.lab().clientPingsVm(client);
    }

    private static Optional<JsonNode> session(int instance, String user) {
        return TwoInstancesFixture.session(gw, instance, user);
    }

    private static long eventually(String what, BooleanSupplier condition) {
        return TwoInstancesFixture.eventually(what, condition);
    }

    private static void sleep(Duration d) {
        TwoInstancesFixture.sleep(d);
    }

    @Test
    @Order(1)
    void eachInstanceServesItsHalfOfThePoolAndItsClientsReachTheVm() {
        for (int i : ON_A) {
            connected(i, "user" + i, A);
        }
        for (int i : ON_B) {
            connected(i, "user" + i, B);
        }
        for (int i : ON_A) {
            assertEquals(Optional.of(Lab.gatewayPublicAddress(A)), clients.get(i).lastPeer(), clients.get(i).log());
            assertTrue(inHalf(address(clients.get(i)), A), "a's client " + i + " has " + address(clients.get(i)));
            assertTrue(pings(i), "client " + i + " (on a) reaches the VM");
        }
        for (int i : ON_B) {
            assertEquals(Optional.of(Lab.gatewayPublicAddress(B)), clients.get(i).lastPeer(), clients.get(i).log());
            assertTrue(inHalf(address(clients.get(i)), B), "b's client " + i + " has " + address(clients.get(i)));
            assertTrue(pings(i), "client " + i + " (on b) reaches the VM");
        }
    }

    @Test
    @Order(2)
    void aRevocationWrittenThroughAEndsTheSessionHeldByB() {
        KeyAndChain cert = gw.clientCertificate("revoked");
        OpenVpnClient c = gw.connect(1, cert, B);
        clients.put(1, c);
        assertTrue(c.awaitConnected(CONNECT), () -> "client 1 did not connect to b:\n" + c.process().tail(30));
        eventually("b lists its session", () -> session(B, "revoked").isPresent());
        String thumbprint = Certificates.thumbprint(cert.certificate());

        long start = System.nanoTime();
        gw.revoke(A, "revoked", thumbprint);
        long written = System.nanoTime();
        eventually("the session on b ends after the revocation through a", () -> session(B, "revoked").isEmpty());
        long ended = System.nanoTime();
        System.out.printf("[interop] revocation through a: PUT took %d ms; the session on b ended %d ms after the call"
                + " (%d ms after the PUT returned)%n", Duration.ofNanos(written - start).toMillis(),
                Duration.ofNanos(ended - start).toMillis(), Duration.ofNanos(ended - written).toMillis());
        assertTrue(gw.logLines(B, thumbprint).size() > 0, "b's log names the revoked thumbprint");
        // Reconnecting (to either instance: the profile lists both) is refused.
        assertTrue(c.process().awaitLog("AUTH_FAILED", Duration.ofSeconds(60)) || !c.process().isAlive(), c.log());
        assertEquals(1, c.timesConnected(), "the revoked client never got a tunnel again");
        c.close();
        clients.remove(1);
    }

    @Test
    @Order(3)
    void healthThroughAListsBsSessionAndADisconnectThroughAEndsIt() {
        OpenVpnClient c = connected(2, "disconnectme", B);
        String address = address(c);
        long listed = eventually("a's health lists the session held by b", () -> session(A, "disconnectme").isPresent());
        System.out.println("[interop] a's health listed b's session after " + listed + " ms");
        JsonNode s = session(A, "disconnectme").orElseThrow();
        assertEquals(address, s.path("privateIpAddress").asText(), s.toString());
        assertTrue(inHalf(address, B), address);
        String id = s.path("vpnConnectionId").asText();
        // a's health also lists its own clients and b's others: every session of the gateway.
        List<String> users = gw.health(A).stream().map(x -> x.path("vpnUserName").asText()).sorted().toList();
        assertTrue(users.containsAll(List.of("disconnectme", "user3", "user4", "user5", "user6")), users.toString());

        gw.disconnect(A, id);
        long gone = eventually("b ends the session asked through a", () ->
                gw.health(B).stream().noneMatch(x -> x.path("vpnConnectionId").asText().equals(id)));
        System.out.println("[interop] the disconnect through a ended b's session " + id + " within " + gone + " ms");
        assertTrue(c.process().awaitLog(RESTART, Duration.ofSeconds(30)), "the client saw its tunnel end:\n" + c.log());
        c.close();
        clients.remove(2);
    }

    /** openvpn's lines when the server ends the session (TCP: the connection closes). */
    private static final java.util.regex.Pattern RESTART = java.util.regex.Pattern.compile(
            "SIGUSR1|Connection reset|connection-reset|SIGTERM|process exiting|restarting");

    @Test
    @Order(4)
    void anOperationStartedOnAIsPolledThroughBAndItsPackageLinkDownloadsThroughB() throws Exception {
        URI poll = gw.startPackageOperation(A, B);
        assertEquals(Lab.gatewayPublicAddress(B), poll.getHost());
        HttpResponse<String> result = null;
        long deadline = System.nanoTime() + BOUND.toNanos();
        int polls = 0;
        while (System.nanoTime() < deadline) {
            result = gw.get(poll);
            polls++;
            if (result.statusCode() != 202) {
                break;
            }
            sleep(Duration.ofMillis(200));
        }
        assertEquals(200, result.statusCode(), result.body());
        System.out.println("[interop] the operation started on a completed when polled through b (" + polls + " poll(s))");
        String link = new ObjectMapper().readTree(result.body()).asText();
        assertTrue(link.contains("://" + Lab.gatewayPublicAddress(A) + ":"), "a issued the link: " + link);
        byte[] zip = gw.arm(B).download(TwoInstanceGateway.onInstance(URI.create(link), B));
        String profile = TwoInstanceGateway.packageProfile(zip);
        assertTrue(profile.contains("\nremote " + Lab.gatewayPublicAddress(A) + " ")
                && profile.contains("\nremote " + Lab.gatewayPublicAddress(B) + " "), profile);
    }

    @Test
    @Order(5)
    void killOfAKeepsBsClientsUpAndMovesAsClientsToB() {
        Map<Integer, Integer> connectionsBefore = new TreeMap<>();
        clients.forEach((i, c) -> connectionsBefore.put(i, c.timesConnected()));
        long killedAt = System.nanoTime();
        gw.kill(A);
        System.out.println("[interop] kill -9 of instance a");
        for (int i : ON_B) {
            assertTrue(pings(i), "b's client " + i + " still reaches the VM after a was killed");
        }
        for (int i : ON_A) {
            OpenVpnClient c = clients.get(i);
            assertTrue(c.awaitConnectedTimes(connectionsBefore.get(i) + 1, CONNECT),
                    () -> "a's client " + i + " did not reconnect:\n" + c.process().tail(30) + "\nb's log:\n"
                            + gw.server(B).process().tail(30));
            long ms = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
            // Read right after the reconnect: whether b had already taken over the whole pool (a's heartbeat lapsed).
            boolean bAlone = gw.servesWholePoolAlone(B);
            String address = address(c);
            System.out.println("[interop] a's client " + i + " back on " + c.lastPeer().orElse("?") + " with " + address
                    + " " + ms + " ms after the kill" + (bAlone ? " (b already served the whole pool)" : ""));
            assertEquals(Optional.of(Lab.gatewayPublicAddress(B)), c.lastPeer(), c.log());
            assertTrue(bAlone ? address.startsWith("172.16.201.") : inHalf(address, B),
                    "a's client " + i + " got " + address + " from b");
            assertTrue(pings(i), "a's client " + i + " reaches the VM through b");
        }
        for (int i : ON_B) {
            assertEquals(connectionsBefore.get(i), clients.get(i).timesConnected(), "b's client " + i + " kept its tunnel");
            assertTrue(pings(i), "b's client " + i + " still reaches the VM");
        }
    }

    @Test
    @Order(6)
    void aRestartedARejoinsWithoutDisturbingB() {
        Map<Integer, Integer> connectionsBefore = new TreeMap<>();
        clients.forEach((i, c) -> connectionsBefore.put(i, c.timesConnected()));
        Map<Integer, String> addressesBefore = new TreeMap<>();
        clients.forEach((i, c) -> addressesBefore.put(i, address(c)));
        gw.restart(A);
        // a is back in its slot once a new client that prefers a gets an address from a's half.
        OpenVpnClient fresh = connected(2, "afterrestart", A);
        assertEquals(Optional.of(Lab.gatewayPublicAddress(A)), fresh.lastPeer(), fresh.log());
        assertTrue(inHalf(address(fresh), A), "the restarted a gives " + address(fresh));
        assertTrue(pings(2), "the restarted a's client reaches the VM");
        eventually("a's health lists b's sessions again", () -> session(A, "user5").isPresent() && session(A, "user6").isPresent());
        List<String> closedOnB = new ArrayList<>(gw.logLines(B, "no longer in the"));
        for (Map.Entry<Integer, OpenVpnClient> e : clients.entrySet()) {
            int i = e.getKey();
            if (i == 2) {
                continue;
            }
            boolean inBsHalf = inHalf(addressesBefore.get(i), B);
            if (inBsHalf) {
                assertEquals(connectionsBefore.get(i), e.getValue().timesConnected(), "client " + i + " on b kept its tunnel");
                assertEquals(addressesBefore.get(i), address(e.getValue()));
                assertTrue(pings(i), "client " + i + " on b still reaches the VM");
            }
        }
        assertEquals(List.of(), closedOnB.stream().filter(l -> ON_B.stream().anyMatch(i -> l.contains(addressesBefore.get(i)))).toList(),
                "b closed none of its own clients");
    }
}
