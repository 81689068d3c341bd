package io.p2sgw.control.snapshot;

import io.p2sgw.control.ArmException;
import io.p2sgw.control.clientpackage.ClientPackageInput;
import io.p2sgw.control.clientpackage.ServedEndpoints;
import io.p2sgw.control.model.Ipv4Cidr;
import io.p2sgw.control.service.GatewayState;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Builds the client package input from a gateway at generation time (azure-p2s.md §3.1). */
public final class ClientPackageInputs {
    private ClientPackageInputs() {}

    /**
     * Fails like Azure's "File download error. Target URI is not specified." when the gateway is not a
     * RouteBased VPN gateway with point-to-site configured (azure-p2s.md §3.1, §7). The profiles name the server
     * and ports this host serves ({@code served}), not the defaults (issue 16).
     */
    public static ClientPackageInput from(GatewayState state, ServedEndpoints served, X509Certificate serverCa) {
        return from(state, served, serverCa, List.of());
    }

    /**
     * The input of a gateway whose other instances (issue 17) are at {@code otherInstanceAddresses}: profiles list
     * them after this instance's address.
     */
    public static ClientPackageInput from(GatewayState state, ServedEndpoints served, X509Certificate serverCa,
                                          List<String> otherInstanceAddresses) {
        if (!state.gateway().supportsPointToSite() || state.gateway().vpnClientConfiguration().isEmpty()) {
            throw ArmException.badRequest("TargetUriNotSpecified", "File download error. Target URI is not specified."
                    + " Gateway " + state.ref().name() + " must be a RouteBased VPN gateway (gatewayType Vpn, vpnType RouteBased)"
                    + " with a point-to-site configuration to have a VPN client package.");
        }
        var p2s = state.gateway().vpnClientConfiguration().get();
        return new ClientPackageInput(state.ref().name(), state.vnetRef().name(), served.serverName(),
                served.publicAddress(), served.tcpPort(), served.openVpnUdpPort(), Set.copyOf(p2s.protocols()), SnapshotCompiler.routes(state),
                p2s.addressPool().stream().map(Ipv4Cidr::toString).toList(), state.vnet().dnsServers(), serverCa,
                state.staticKey(), Optional.empty(), otherInstanceAddresses.stream()
                        .filter(a -> !a.equals(served.publicAddress()) && !a.equals(served.serverName())).distinct().toList());
    }
}
