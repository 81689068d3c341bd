package io.p2sgw.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.p2sgw.lab.Cmd;
import io.p2sgw.lab.Lab;
import io.p2sgw.lab.StrongSwanClient;
import io.p2sgw.lab.instances.TwoInstanceGateway;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 17 for IKEv2 with real parts: the two-instance lab of {@link TwoInstancesInteropTest} (a PostgreSQL, two
 * p2sgw processes, one active-active gateway) with IkeV2 enabled next to OpenVPN, and the stock strongSwan 5.9.8
 * client with the package's {@code strongSwan/} profile initiating the connection that targets instance b's public
 * address (the profile has one connection per instance, control's SwanctlRenderer). Its address comes from b's half
 * of the pool; a's health lists the session; a revocation written through a makes b DELETE the IKE SA, and a
 * reconnect to b is refused with AUTHENTICATION_FAILED (RFC 7296 §3.10.1). Bounds are generous, the delays are
 * printed; the lab and PostgreSQL are removed after the class, also on failure. Root only.
 */
@Tag("interop")
@Timeout(420)
class TwoInstancesIkeV2InteropTest {
    static final int A = TwoInstancesFixture.A;
    static final int B = TwoInstancesFixture.B;
    static final int CLIENT = 1;
    static final String USER = "ikeonb";
    static final Duration INITIATE_TIMEOUT = Duration.ofSeconds(40);
    static final Duration BOUND = TwoInstancesFixture.BOUND;
    /** A connection block of swanctl.conf and the first remote_addrs inside it (the renderer's layout). */
    private static final Pattern CONNECTION = Pattern.compile("(?m)^  (\\S+) \\{\\n(?:    .*\\n)*?    remote_addrs = (\\S+)");

    static TwoInstanceGateway gw;
    static StrongSwanClient client;

    @BeforeAll
    static void start() {
        gw = TwoInstancesFixture.start(CLIENT, List.of("OpenVPN", "IkeV2"), StrongSwanClient.whyUnavailable());
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        TwoInstancesFixture.stop(gw);
    }

    /** The name of the profile's connection (and child) whose remote_addrs is {@code address}. */
    static String connectionTo(String swanctlConf, String address) {
        Matcher m = CONNECTION.matcher(swanctlConf);
        while (m.find()) {
            if (m.group(2).equals(address)) {
                return m.group(1);
            }
        }
        throw new AssertionError("the package's strongSwan profile has no connection to " + address + ":\n" + swanctlConf);
    }

    private static Optional<JsonNode> session(int instance, String user) {
        return TwoInstancesFixture.session(gw, instance, user);
    }

    private static long eventually(String what, BooleanSupplier condition) {
        return TwoInstancesFixture.eventually(what, condition);
    }

    private static Cmd.Result initiate(String child) {
        return client.swanctl(INITIATE_TIMEOUT.plusSeconds(10), "--initiate", "--child", child, "--timeout",
                Long.toString(INITIATE_TIMEOUT.toSeconds()));
    }

    private static String tail(String s, int lines) {
        List<String> l = s.lines().toList();
        return String.join("\n", l.subList(Math.max(0, l.size() - lines), l.size()));
    }

    @Test
    void strongSwanOnBIsListedThroughAAndARevocationThroughAEndsItOnB() throws IOException {
        Path profile = IkeV2SeedInteropTest.unzipFolder(gw.packageZip(), "strongSwan/",
                gw.lab().newDirectory("package-strongswan"));
        String toB = connectionTo(Files.readString(profile.resolve("swanctl.conf"), StandardCharsets.UTF_8),
                Lab.gatewayPublicAddress(B));
        KeyAndChain cert = gw.clientCertificate(USER);
        client = StrongSwanClient.start(gw.lab(), CLIENT, profile, cert);

        // Connected to b: an address from b's half of the pool, the VM reachable through b.
        Cmd.Result up = initiate(toB);
        assertTrue(up.ok() && up.output().contains("initiate completed successfully"), () -> "strongSwan did not connect"
                + " to b with " + toB + ":\n" + up.output() + "\ncharon log:\n" + tail(client.log(), 40) + "\nb's log:\n"
                + gw.server(B).process().tail(40));
        String vip = client.virtualAddress().orElseThrow(() -> new AssertionError("no virtual IP:\n" + client.log()));
        System.out.println("[interop] strongSwan (" + toB + ") got " + vip + " from b; " + client.listSas().lines()
                .filter(l -> l.contains("ESTABLISHED") || l.contains("INSTALLED")).map(String::strip).toList());
        assertTrue(client.listSas().contains(Lab.gatewayPublicAddress(B)), "the IKE SA is with b:\n" + client.listSas());
        assertTrue(TwoInstanceGateway.inHalf(vip, B), "b gives " + vip + ", outside its half " + TwoInstanceGateway.HALF.get(B));
        assertTrue(gw.lab().ping(gw.lab().clientNamespace(CLIENT), Lab.VM_ADDRESS, Duration.ofSeconds(5)),
                "the IKEv2 client on b reaches the VM 10.1.0.4");

        // Health through a lists b's IKEv2 session.
        long listed = eventually("a's health lists the IKEv2 session held by b", () -> session(A, USER).isPresent());
        JsonNode s = session(A, USER).orElseThrow();
        System.out.println("[interop] a's health listed b's IKEv2 session after " + listed + " ms: " + s);
        assertTrue(s.path("vpnConnectionId").asText().startsWith("IKEv2_"), s.toString());
        assertEquals(vip, s.path("privateIpAddress").asText(), s.toString());

        // A revocation written through a: b DELETEs the IKE SA and the session ends.
        String thumbprint = Certificates.thumbprint(cert.certificate());
        long start = System.nanoTime();
        gw.revoke(A, USER, thumbprint);
        long written = System.nanoTime();
        assertTrue(client.awaitLog(Pattern.compile("received DELETE for IKE_SA"), BOUND), () -> "strongSwan got no"
                + " DELETE from b:\n" + tail(client.log(), 30) + "\nb's log:\n" + gw.server(B).process().tail(30));
        long deleted = System.nanoTime();
        eventually("the session ends in b's health", () -> session(B, USER).isEmpty());
        long ended = System.nanoTime();
        System.out.printf("[interop] revocation through a: PUT took %d ms; strongSwan received b's DELETE %d ms after"
                + " the call; b's health no longer listed the session %d ms after the call%n",
                Duration.ofNanos(written - start).toMillis(), Duration.ofNanos(deleted - start).toMillis(),
                Duration.ofNanos(ended - start).toMillis());
        assertFalse(gw.logLines(B, thumbprint).isEmpty(), "b's log names the revoked thumbprint");

        // Reconnecting to b is refused with AUTHENTICATION_FAILED.
        Cmd.Result again = initiate(toB);
        assertFalse(again.ok() && again.output().contains("initiate completed successfully"), again.output());
        assertTrue(again.output().contains("AUTHENTICATION_FAILED") || client.log().contains("AUTHENTICATION_FAILED"),
                () -> again.output() + "\n" + tail(client.log(), 30));
        System.out.println("[interop] the reconnect to b was refused with AUTHENTICATION_FAILED");
        eventually("a's health no longer lists the session", () -> session(A, USER).isEmpty());
    }
}
