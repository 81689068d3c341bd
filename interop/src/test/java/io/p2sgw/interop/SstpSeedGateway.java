package io.p2sgw.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.p2sgw.lab.Cmd;
import io.p2sgw.lab.Lab;
import io.p2sgw.lab.SstpUmlClient;
import io.p2sgw.pki.KeyAndChain;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SSTP interop tests' fixture: the {@link SeedGateway} serving OpenVPN and SSTP together on TCP 443 (so the pool
 * is split and SSTP serves its upper half, azure-p2s.md §2.1), the gateway's server root as the guests trust it, and
 * the stock client (sstpc + pppd inside User-Mode Linux, {@link SstpUmlClient}) started in a client namespace.
 * {@link #close()} removes the lab and checks that it left no namespace behind.
 */
final class SstpSeedGateway implements AutoCloseable {
    /** The server root inside the package's OpenVPN profile. */
    static final Pattern CA = Pattern.compile("<ca>\\s*(.*?)\\s*</ca>", Pattern.DOTALL);

    final SeedGateway seed;
    /** PEM of the gateway's server root: sstpc checks the outer TLS chain with it (--ca-cert), pppd EAP-TLS's (ca). */
    final String serverCa;
    private final Duration guestLimit;

    private SstpSeedGateway(SeedGateway seed, String serverCa, Duration guestLimit) {
        this.seed = seed;
        this.serverCa = serverCa;
        this.guestLimit = guestLimit;
    }

    /**
     * Skips the calling test class (an assumption) when the lab or User-Mode Linux cannot run here; else builds a lab
     * with {@code clients} client namespaces and the seed gateway with {@code vpnClientProtocols = [OpenVPN, SSTP]}.
     *
     * @param guestLimit a guest's whole life: boot, connect, checks, power-off
     */
    static SstpSeedGateway start(int clients, Duration guestLimit) {
        Optional<String> why = Lab.whyUnavailable().or(SstpUmlClient::whyUnavailable);
        assumeTrue(why.isEmpty(), () -> "SSTP interop tests skipped: " + why.orElse(""));
        SeedGateway seed = SeedGateway.start(clients, List.of("OpenVPN", "SSTP"));
        try {
            // The root of the gateway's server certificate, as the package's profile carries it for OpenVPN.
            Matcher m = CA.matcher(seed.template);
            assertTrue(m.find(), "the profile template has the server's CA");
            return new SstpSeedGateway(seed, m.group(1) + "\n", guestLimit);
        } catch (RuntimeException | Error e) {
            seed.close();
            throw e;
        }
    }

    /**
     * Starts a guest in client namespace {@code i} that connects with {@code cert}.
     *
     * @param hold keep the tunnel up after the checks until the guest is closed (else the guest powers off)
     */
    SstpUmlClient guest(int i, KeyAndChain cert, boolean hold) {
        return SstpUmlClient.start(seed.lab, i, Lab.GATEWAY_PUBLIC_ADDRESS, serverCa, cert, hold, guestLimit);
    }

    /** What a failure message shows: the guest's logs and the end of the server's. */
    String why(SstpUmlClient c) {
        return c.diagnostics() + "\n--- server log\n" + seed.server.process().tail(40);
    }

    @Override
    public void close() {
        String runId = seed.lab.runId();
        seed.close();
        assertEquals(List.of(), Cmd.run("ip", "netns", "list").output().lines().filter(l -> l.contains(runId)).toList(),
                "the lab left no namespace behind");
    }
}
