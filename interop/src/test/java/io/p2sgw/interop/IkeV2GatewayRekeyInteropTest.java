package io.p2sgw.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.p2sgw.lab.Cmd;
import io.p2sgw.lab.Lab;
import io.p2sgw.lab.StrongSwanClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Gateway-initiated CHILD SA rekeys (RFC 7296 §1.3.3, §2.8; issue 14 "CHILD and IKE rekey under traffic with short
 * lifetimes"): the gateway runs with {@code --ike-child-lifetime} of {@link #LIFETIME_SECONDS} s, so it rekeys the
 * CHILD SA itself at 80-90 % of that, long before the stock strongSwan 5.9.8 client's own rekey (1 h with the
 * package's profile), then deletes the old SA. The client keeps pinging 10.1.0.4 through two such rekeys. Set up as
 * {@link IkeV2ClientCasesInteropTest} (the seed walkthrough, the package's strongSwan profile, kernel-libipsec).
 */
@Tag("interop")
@Timeout(600)
class IkeV2GatewayRekeyInteropTest {
    static final int LIFETIME_SECONDS = 20;
    static final int REKEYS = 2;
    /** Bounds that only end a broken run: two rekeys take about 2 × 17 s. */
    static final Duration REKEYS_TIMEOUT = Duration.ofSeconds(LIFETIME_SECONDS * (REKEYS + 2));
    static final Duration INITIATE_TIMEOUT = Duration.ofSeconds(40);
    static final Pattern GATEWAY_REKEY = Pattern.compile("(?m)^.*CHILD SA rekeyed by the gateway: .*$");

    static SeedGateway gw;
    static Path profile;

    @BeforeAll
    static void start() throws IOException {
        Optional<String> why = Lab.whyUnavailable().or(StrongSwanClient::whyUnavailable);
        assumeTrue(why.isEmpty(), () -> "interop tests skipped: " + why.orElse(""));
        gw = SeedGateway.start(1, List.of("OpenVPN", "IkeV2"),
                List.of("--ike-child-lifetime", Integer.toString(LIFETIME_SECONDS)));
        try {
            profile = IkeV2SeedInteropTest.unzipFolder(gw.packageZip, "strongSwan/",
                    gw.lab.newDirectory("package-strongswan"));
        } catch (RuntimeException | Error | IOException e) {
            gw.close();
            gw = null;
            throw e;
        }
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.closeLeavingNoNamespace();
        }
    }

    static List<String> gatewayRekeys() {
        Matcher m = GATEWAY_REKEY.matcher(gw.serverLog());
        return m.results().map(r -> r.group().strip()).toList();
    }

    @Test
    void theClientKeepsPingingAcrossTwoGatewayInitiatedChildRekeys() {
        StrongSwanClient c = StrongSwanClient.start(gw.lab, 1, profile, gw.clientCertificate("rekeyed"));
        try {
            Cmd.Result r = c.initiate(INITIATE_TIMEOUT);
            assertTrue(r.ok() && r.output().contains("initiate completed successfully"), () -> "did not connect:\n"
                    + r.output() + "\ncharon log:\n" + IkeV2ClientCasesInteropTest.tail(c.log(), 40)
                    + "\nServer log:\n" + gw.server.process().tail(40));
            String ns = gw.lab.clientNamespace(1);
            int pings = 0;
            int lost = 0;
            int lostInARow = 0;
            int worstRun = 0;
            Instant end = Instant.now().plus(REKEYS_TIMEOUT);
            // One ping a second (each waits at most 1 s for its answer) until the gateway has rekeyed twice, and a few
            // more after the second rekey's delete of the old SA.
            int after = -1;
            while (Instant.now().isBefore(end) && after != 0) {
                boolean ok = gw.lab.ping(ns, Lab.VM_ADDRESS, Duration.ofSeconds(1));
                pings++;
                lost += ok ? 0 : 1;
                lostInARow = ok ? 0 : lostInARow + 1;
                worstRun = Math.max(worstRun, lostInARow);
                if (after > 0) {
                    after--;
                } else if (after < 0 && gatewayRekeys().size() >= REKEYS) {
                    after = 5;
                }
                IkeV2ClientCasesInteropTest.sleep(Duration.ofMillis(ok ? 1_000 : 0));
            }
            List<String> rekeys = gatewayRekeys();
            String charon = c.log();
            List<String> clientSide = charon.lines().filter(l -> l.contains("CHILD_SA") && (l.contains("established")
                    || l.contains("received DELETE") || l.contains("closed") || l.contains("rekey"))).toList();
            System.out.println("[interop] gateway-initiated rekeys in the gateway log:\n  " + String.join("\n  ", rekeys));
            System.out.println("[interop] strongSwan's CHILD_SA lines:\n  " + String.join("\n  ", clientSide));
            System.out.println("[interop] " + pings + " pings to " + Lab.VM_ADDRESS + ", " + lost + " lost, at most "
                    + worstRun + " in a row");
            assertTrue(rekeys.size() >= REKEYS, () -> "the gateway rekeyed " + rekeys.size() + " times:\n"
                    + gw.server.process().tail(40) + "\ncharon log:\n" + IkeV2ClientCasesInteropTest.tail(charon, 40));
            // strongSwan answered our D(ESP) of each old SA.
            long deletes = charon.lines().filter(l -> l.contains("received DELETE for ESP CHILD_SA")).count();
            assertTrue(deletes >= REKEYS, () -> "strongSwan received " + deletes + " deletes of ESP CHILD_SAs:\n"
                    + IkeV2ClientCasesInteropTest.tail(charon, 40));
            assertTrue(charon.lines().noneMatch(l -> l.contains("received DELETE for IKE_SA")),
                    "the IKE SA lived on");
            // Connectivity: never two pings lost in a row (a cut-over may cost one), and the last ones answered.
            assertTrue(worstRun <= 1, "lost " + worstRun + " pings in a row");
            assertTrue(gw.lab.ping(ns, Lab.VM_ADDRESS, Duration.ofSeconds(2)), "ping after the rekeys");
        } finally {
            c.close();
        }
    }
}
