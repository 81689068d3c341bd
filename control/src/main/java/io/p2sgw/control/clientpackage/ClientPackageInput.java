package io.p2sgw.control.clientpackage;

import io.p2sgw.dataplane.api.SecretBytes;
import io.p2sgw.dataplane.api.TunnelType;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a VPN client configuration package reflects, taken from the gateway at generation time
 * (azure-p2s.md §3).
 *
 * @param gatewayName       the zip is named after the gateway (azure-p2s.md §3.1)
 * @param vnetName          Windows names the connection after the VNet
 * @param serverName        DNS name of the gateway (remote, verify-x509-name, IKE remote id)
 * @param publicAddress     the address the listeners bind to / clients connect to
 * @param openVpnTcpPort    443 by default
 * @param openVpnUdpPort    1194 by default
 * @param tunnelTypes       enabled vpnClientProtocols
 * @param routes            VNet prefixes, the pool, custom routes (CIDR)
 * @param addressPool       vpnClientAddressPool prefixes (CIDR)
 * @param dnsServers        VNet dhcpOptions.dnsServers
 * @param serverCa          the CA that issued the gateway's server certificate (VpnServerRoot.cer, OpenVPN &lt;ca&gt;)
 * @param staticKey         the gateway's OpenVPN static key (tls-auth / tls-crypt), 256 raw bytes
 * @param clientCredentials optional: a client certificate chain + key to fill into ready-to-import profiles
 * @param otherInstanceAddresses the public addresses of the gateway's other instances sharing the store (issue 17):
 *                          profiles that allow several servers list them after this one's, so that a client whose
 *                          instance is lost reconnects to another
 */
public record ClientPackageInput(
        String gatewayName,
        String vnetName,
        String serverName,
        String publicAddress,
        int openVpnTcpPort,
        int openVpnUdpPort,
        Set<TunnelType> tunnelTypes,
        List<String> routes,
        List<String> addressPool,
        List<String> dnsServers,
        X509Certificate serverCa,
        SecretBytes staticKey,
        Optional<ClientCredentials> clientCredentials,
        List<String> otherInstanceAddresses) {

    /** The input of a gateway served by one instance. */
    public ClientPackageInput(String gatewayName, String vnetName, String serverName, String publicAddress,
                              int openVpnTcpPort, int openVpnUdpPort, Set<TunnelType> tunnelTypes, List<String> routes,
                              List<String> addressPool, List<String> dnsServers, X509Certificate serverCa,
                              SecretBytes staticKey, Optional<ClientCredentials> clientCredentials) {
        this(gatewayName, vnetName, serverName, publicAddress, openVpnTcpPort, openVpnUdpPort, tunnelTypes, routes,
                addressPool, dnsServers, serverCa, staticKey, clientCredentials, List.of());
    }

    public ClientPackageInput {
        Objects.requireNonNull(gatewayName, "gatewayName");
        Objects.requireNonNull(vnetName, "vnetName");
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(publicAddress, "publicAddress");
        tunnelTypes = Set.copyOf(tunnelTypes);
        routes = List.copyOf(routes);
        addressPool = List.copyOf(addressPool);
        dnsServers = List.copyOf(dnsServers);
        Objects.requireNonNull(serverCa, "serverCa");
        Objects.requireNonNull(staticKey, "staticKey");
        Objects.requireNonNull(clientCredentials, "clientCredentials");
        otherInstanceAddresses = List.copyOf(otherInstanceAddresses);
    }

    /**
     * A client's certificate chain (leaf first) and its private key as PEM text, for profiles with the
     * placeholders filled in.
     */
    public record ClientCredentials(String certificateChainPem, String privateKeyPem) {
        public ClientCredentials {
            Objects.requireNonNull(certificateChainPem, "certificateChainPem");
            Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        }
    }
}
