package io.p2sgw.control.clientpackage;

import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.pki.Certificates;
import java.util.List;

/** {@code README.txt}: what each file of this package is for and how to use it. */
final class ReadmeRenderer {
    private ReadmeRenderer() {
    }

    static String render(ClientPackageInput in, List<String> paths) {
        StringBuilder r = new StringBuilder();
        r.append("VPN client configuration for virtual network ").append(in.vnetName())
                .append(" (p2sgw gateway ").append(in.gatewayName()).append(")\n");
        r.append("=".repeat(72)).append("\n\n");
        r.append("Server:          ").append(in.serverName());
        if (!in.publicAddress().equals(in.serverName())) {
            r.append(" (").append(in.publicAddress()).append(')');
        }
        r.append('\n');
        r.append("Ports:           ").append(ports(in)).append('\n');
        r.append("Tunnel types:    ").append(String.join(", ", in.tunnelTypes().stream()
                .sorted().map(t -> t.armName()).toList())).append('\n');
        r.append("Routes:          ").append(String.join(", ", in.routes())).append('\n');
        r.append("Address pool:    ").append(String.join(", ", in.addressPool())).append('\n');
        r.append("DNS servers:     ").append(in.dnsServers().isEmpty() ? "(none set on the virtual network)" : String.join(", ", in.dnsServers())).append('\n');
        r.append("Server root:     ").append(Certificates.commonName(in.serverCa()))
                .append(", SHA-1 thumbprint ").append(Certificates.thumbprint(in.serverCa())).append("\n\n");
        r.append("You authenticate with a client certificate that chains to a root certificate uploaded to the\n");
        r.append("gateway. You need it as a .pfx (with its private key), e.g. made with\n");
        r.append("  p2sgw pki client create --ca <root dir> --cn <name> --out <dir> --pfx-password <password>\n\n");
        r.append("Regenerate this package after changing tunnel types, root certificates, DNS servers or\n");
        r.append("routes of the gateway or its virtual network.\n\n");
        r.append("Files\n-----\n");
        for (String p : paths) {
            r.append(p).append('\n').append(describe(in, p)).append('\n');
        }
        r.append("Filling in the OpenVPN profiles\n-------------------------------\n");
        r.append("The profiles contain two placeholders: $CLIENTCERTIFICATE (inside <cert>) and $PRIVATEKEY\n");
        r.append("(inside <key>). Extract both from your .pfx:\n");
        r.append("  openssl pkcs12 -in P2SChildCert.pfx -nodes -out profileinfo.txt\n");
        r.append("Open profileinfo.txt. Replace $CLIENTCERTIFICATE with the -----BEGIN CERTIFICATE----- block\n");
        r.append("of your client certificate (the one whose subject is your name, not the root), and\n");
        r.append("$PRIVATEKEY with the -----BEGIN PRIVATE KEY----- block, both including the BEGIN/END lines.\n");
        r.append("Or let p2sgw do it:\n");
        r.append("  p2sgw network vnet-gateway vpn-client generate -g <resource group> -n " + in.gatewayName()
                + " \\\n      --client-cert P2SChildCert.pfx --ovpn-file vpnconfig.ovpn\n");
        r.append("Then: sudo openvpn --config vpnconfig.ovpn  (OpenVPN 2.6: add --disable-dco only if DCO fails),\n");
        r.append("or import the file into OpenVPN Connect.\n");
        return r.toString();
    }

    /** The ports the profiles use, as the server serves them (issue 16). */
    private static String ports(ClientPackageInput in) {
        List<String> tcp = new java.util.ArrayList<>();
        if (in.tunnelTypes().contains(TunnelType.OPENVPN)) {
            tcp.add("OpenVPN");
        }
        if (in.tunnelTypes().contains(TunnelType.SSTP)) {
            tcp.add("SSTP");
        }
        List<String> parts = new java.util.ArrayList<>();
        if (!tcp.isEmpty()) {
            parts.add("TCP " + in.openVpnTcpPort() + " (" + String.join(", ", tcp) + ")");
        }
        if (in.tunnelTypes().contains(TunnelType.OPENVPN)) {
            parts.add("UDP " + in.openVpnUdpPort() + " (OpenVPN)");
        }
        if (in.tunnelTypes().contains(TunnelType.IKEV2)) {
            parts.add("UDP 500 and 4500 (IKEv2)");
        }
        return String.join(", ", parts);
    }

    private static String describe(ClientPackageInput in, String path) {
        String d;
        if (path.equals("README.txt")) {
            d = "This file.";
        } else if (path.equals("OpenVPN/vpnconfig.ovpn")) {
            d = "OpenVPN profile as Azure generates it: TCP port " + in.openVpnTcpPort() + ", tls-auth. Fill in the\n"
                    + "placeholders (below), then use it with OpenVPN 2.x or OpenVPN Connect.";
        } else if (path.equals("OpenVPN/vpnconfig-udp.ovpn")) {
            d = "The same over UDP port " + in.openVpnUdpPort() + " (faster when UDP is not blocked).";
        } else if (path.equals("OpenVPN/vpnconfig-tlscrypt.ovpn")) {
            d = "The same over TCP with tls-crypt instead of tls-auth (hides the certificates on the wire).";
        } else if (path.startsWith("OpenVPN/ready/")) {
            d = "Ready-to-import copy with your client certificate and key filled in. Keep it private.";
        } else if (path.equals("AzureVPN/azurevpnconfig.xml")) {
            d = "Profile for the Azure VPN Client (Import, then pick your client certificate under\n"
                    + "\"Certificate Information\").";
            if (in.openVpnTcpPort() != ServedEndpoints.DEFAULT_TCP_PORT) {
                // The profile format has a server name and no port (azure-p2s.md §3.5: serverlist/ServerEntry holds
                // displayname and fqdn only), and the client connects to TCP 443: say so rather than ship a profile
                // that silently cannot connect (issue 16).
                d += "\nNOT USABLE WITH THIS SERVER: it serves TCP port " + in.openVpnTcpPort() + ", and this profile format\n"
                        + "has no port (the Azure VPN Client always connects to TCP 443). Use OpenVPN/vpnconfig.ovpn.";
            }
        } else if (path.equals("Generic/VpnSettings.xml")) {
            d = "Settings for configuring an IKEv2 client by hand: server name (also the server identity),\n"
                    + "routes, address pool, DNS servers, server root name.";
        } else if (path.equals("Generic/VpnServerRoot.cer")) {
            d = "Root of the gateway's server certificate (DER). Clients must trust it to verify the gateway,\n"
                    + "e.g. strongSwan: /etc/swanctl/x509ca/; read it with: openssl x509 -inform der -in VpnServerRoot.cer";
        } else if (path.equals("strongSwan/swanctl.conf")) {
            d = "strongSwan IKEv2 client (certificate authentication). Copy the strongSwan folder's files\n"
                    + "into /etc/swanctl (swanctl.conf into conf.d/), put your certificate in x509/client.pem\n"
                    + "(openssl pkcs12 -in P2SChildCert.pfx -clcerts -nokeys -out client.pem) and your key in\n"
                    + "private/client.key (openssl pkcs12 -in P2SChildCert.pfx -nocerts -nodes -out client.key),\n"
                    + "then: swanctl --load-all && swanctl --initiate --child " + Text.safeName(in.gatewayName());
        } else if (path.equals("strongSwan/x509ca/VpnServerRoot.pem")) {
            d = "The server root in PEM, where swanctl looks for CA certificates.";
        } else if (path.startsWith("strongSwan/x509/") || path.startsWith("strongSwan/private/")) {
            d = "Your client certificate / private key for strongSwan. Keep the key private.";
        } else if (path.startsWith("Apple/")) {
            d = "macOS/iOS profile: IKEv2 with certificate authentication and the server root. First import\n"
                    + "your .pfx (Keychain Access / AirDrop to iOS), then install this profile"
                    + (in.clientCredentials().isPresent() ? "." : " and set \"Local ID\"\n"
                    + "to your client certificate's name (it says " + AppleMobileConfigRenderer.LOCAL_ID_PLACEHOLDER + ") and choose\n"
                    + "your certificate in the VPN settings.");
        } else if (path.equals("Windows/" + WindowsScriptRenderer.FILE)) {
            d = "Windows: creates the VPN connection with the built-in client (IKEv2 or SSTP). Install your\n"
                    + ".pfx for the current user first, then in an elevated PowerShell:\n"
                    + "  powershell -ExecutionPolicy Bypass -File .\\" + WindowsScriptRenderer.FILE + " [-TunnelType SSTP]";
        } else if (path.equals("Windows/VpnServerRoot.cer")) {
            d = "Root of the gateway's server certificate, imported by the script.";
        } else {
            d = "";
        }
        return d.isEmpty() ? "" : "    " + d.replace("\n", "\n    ") + "\n";
    }
}
