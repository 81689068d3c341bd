package io.p2sgw.control.clientpackage;

import java.util.Objects;

/**
 * Where this host serves its gateway, as the server was started ({@code --server-name}, {@code --public-address},
 * {@code --tcp-port}, {@code --openvpn-udp-port}): what every client profile must name, or no client can connect
 * (issue 16). IKEv2 always uses UDP 500 and 4500 (RFC 7296 §2, RFC 3948), which the clients do not let one change.
 *
 * @param serverName     the name clients connect to (a SAN of the server certificate)
 * @param publicAddress  the address listeners bind to; profiles try it when the name does not resolve
 * @param tcpPort        the shared TLS port of the stream protocols (OpenVPN TCP, SSTP)
 * @param openVpnUdpPort OpenVPN's UDP port
 */
public record ServedEndpoints(String serverName, String publicAddress, int tcpPort, int openVpnUdpPort) {
    /** DESIGN.md "Ports": TCP 443 carries OpenVPN and SSTP. */
    public static final int DEFAULT_TCP_PORT = 443;
    /** DESIGN.md "Ports": OpenVPN also on UDP 1194. */
    public static final int DEFAULT_OPENVPN_UDP_PORT = 1194;

    public ServedEndpoints {
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(publicAddress, "publicAddress");
        checkPort("tcpPort", tcpPort);
        checkPort("openVpnUdpPort", openVpnUdpPort);
    }

    /** The default ports, for tests and tools that do not run the data plane. */
    public static ServedEndpoints withDefaultPorts(String serverName, String publicAddress) {
        return new ServedEndpoints(serverName, publicAddress, DEFAULT_TCP_PORT, DEFAULT_OPENVPN_UDP_PORT);
    }

    private static void checkPort(String what, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + " must be 1..65535 (got " + port + ")");
        }
    }
}
