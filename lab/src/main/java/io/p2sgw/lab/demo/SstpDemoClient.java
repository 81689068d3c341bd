package io.p2sgw.lab.demo;

import io.p2sgw.lab.Lab;
import io.p2sgw.lab.SstpUmlClient;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import java.time.Duration;
import java.util.Optional;

/**
 * The stock {@code sstpc} + {@code pppd} (EAP-TLS) inside User-Mode Linux, whose kernel has PPP (this host's has
 * none; lab/README.md). It trusts the server root from the package (Windows/VpnServerRoot.cer as PEM). The guest pings
 * and fetches the VM itself right after IPCP is up, then holds the tunnel until the demo ends.
 */
final class SstpDemoClient implements DemoClient {
    /** The guest's whole life, boot to power-off: long enough to stay up through the revocation steps. */
    static final Duration GUEST_LIFE = Duration.ofSeconds(400);

    private final Lab lab;
    private final int index;
    private final KeyAndChain certificate;
    private final String serverRootPem;
    private SstpUmlClient guest;
    private SstpUmlClient last;

    SstpDemoClient(Lab lab, int index, KeyAndChain certificate, String serverRootPem) {
        this.lab = lab;
        this.index = index;
        this.certificate = certificate;
        this.serverRootPem = serverRootPem;
    }

    /** Why sstpc in User-Mode Linux cannot run here. */
    static Optional<String> whyUnavailable() {
        return SstpUmlClient.whyUnavailable();
    }

    @Override
    public String tunnelType() {
        return "SSTP";
    }

    @Override
    public KeyAndChain certificate() {
        return certificate;
    }

    @Override
    public String commandLine() {
        return "ip netns exec " + lab.clientNamespace(index) + " linux.uml (User-Mode Linux, PPP in its kernel), inside it: "
                + "sstpc --ca-cert ca.pem --user " + Certificates.commonName(certificate.certificate()) + " "
                + Lab.GATEWAY_PUBLIC_ADDRESS + ":443 -- file pppd.options   (pppd: EAP-TLS with ca, cert, key; need-peer-eap)";
    }

    @Override
    public boolean connect(Duration timeout) {
        close();
        guest = SstpUmlClient.start(lab, index, Lab.GATEWAY_PUBLIC_ADDRESS, serverRootPem, certificate, true,
                GUEST_LIFE);
        last = guest;
        return guest.awaitChecks(timeout) && guest.tunnelAddress().isPresent();
    }

    @Override
    public Optional<String> address() {
        return guest == null ? Optional.empty() : guest.tunnelAddress();
    }

    @Override
    public boolean pingsVm() {
        return guest != null && guest.pingSucceeded();
    }

    @Override
    public Optional<String> fetchVm() {
        return guest == null ? Optional.empty() : guest.httpBody();
    }

    @Override
    public String checksRunFrom() {
        return "inside the UML guest (namespace " + lab.clientNamespace(index) + "), right after IPCP";
    }

    /** pppd still holds ppp0 (the guest writes pppd-gone when the server ended the call). */
    @Override
    public boolean stillUp() {
        return guest != null && guest.process().isAlive() && !guest.awaitPppdGone(Duration.ofMillis(500));
    }

    @Override
    public boolean reconnects(Duration timeout) {
        close();
        SstpUmlClient again = SstpUmlClient.start(lab, index, Lab.GATEWAY_PUBLIC_ADDRESS, serverRootPem, certificate,
                false, GUEST_LIFE);
        last = again;
        try {
            again.awaitDone(timeout);
            return again.tunnelAddress().isPresent();
        } finally {
            again.close();
        }
    }

    @Override
    public String diagnostics() {
        return last == null ? "(not started)" : last.diagnostics();
    }

    @Override
    public void close() {
        if (guest != null) {
            guest.close();
            guest = null;
        }
    }
}
