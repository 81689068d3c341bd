package io.p2sgw.lab.demo;

import io.p2sgw.lab.Lab;
import io.p2sgw.lab.OpenVpnClient;
import io.p2sgw.pki.KeyAndChain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The stock {@code openvpn} client with the package's vpnconfig.ovpn, the certificate and key filled in. */
final class OpenVpnDemoClient extends NamespaceDemoClient {
    private final Path profile;
    private OpenVpnClient vpn;

    OpenVpnDemoClient(Lab lab, int index, KeyAndChain certificate, Path profile) {
        super(lab, index, certificate);
        this.profile = profile;
    }

    @Override
    public String tunnelType() {
        return "OpenVPN";
    }

    @Override
    public String commandLine() {
        return "ip netns exec " + namespace() + " openvpn --config " + profile;
    }

    @Override
    public boolean connect(Duration timeout) {
        close();
        vpn = lab.startOpenVpn(index, profile, List.of());
        return vpn.awaitConnected(timeout);
    }

    @Override
    public Optional<String> address() {
        return vpn == null ? Optional.empty() : vpn.tunnelAddress();
    }

    @Override
    public boolean stillUp() {
        return vpn != null && vpn.process().isAlive() && pingsVm();
    }

    @Override
    public String diagnostics() {
        return vpn == null ? "(not started)" : vpn.process().tail(25);
    }

    @Override
    public void close() {
        if (vpn != null) {
            vpn.close();
            vpn = null;
        }
    }
}
