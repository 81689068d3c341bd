package io.p2sgw.control.clientpackage;

/**
 * {@code strongSwan/swanctl.conf}: an IKEv2 client with certificate (pubkey) authentication, the
 * modern form of the docs' strongSwan profile (azure-p2s.md §4.2; ikev2.md §9.5). The folder is laid
 * out as a swanctl directory ({@code x509ca/} holds the gateway CA) so that
 * {@code SWANCTL_DIR=strongSwan swanctl --load-all} works once the client certificate is in
 * {@code x509/} and its key in {@code private/}.
 */
import java.util.List;

final class SwanctlRenderer {
    static final String CA_FILE = "VpnServerRoot.pem";
    static final String CLIENT_CERT_FILE = "client.pem";
    static final String CLIENT_KEY_FILE = "client.key";

    private SwanctlRenderer() {
    }

    static String render(ClientPackageInput in) {
        String name = Text.safeName(in.gatewayName());
        StringBuilder s = new StringBuilder();
        s.append("# strongSwan (swanctl) profile for gateway ").append(in.gatewayName())
                .append(" (virtual network ").append(in.vnetName()).append(").\n");
        s.append("# Install: copy this folder's files into /etc/swanctl (swanctl.conf into conf.d/), put your\n");
        s.append("# client certificate (PEM) in x509/").append(CLIENT_CERT_FILE).append(" and its private key in private/")
                .append(CLIENT_KEY_FILE).append(",\n");
        s.append("# then: swanctl --load-all && swanctl --initiate --child ").append(name).append('\n');
        List<String> others = in.otherInstanceAddresses();
        if (!others.isEmpty()) {
            // As initiator strongSwan uses only the first address of remote_addrs (swanctl.conf(5)), so a list there
            // would not fail over: each other instance of the gateway gets a connection of its own (issue 17).
            s.append("# The gateway has ").append(others.size() + 1).append(" instances. If ").append(in.serverName())
                    .append(" cannot be reached, initiate another one's connection:\n");
            for (int i = 0; i < others.size(); i++) {
                s.append("#   swanctl --initiate --child ").append(name).append('-').append(i + 2).append("   (")
                        .append(others.get(i)).append(")\n");
            }
        }
        s.append("connections {\n");
        connection(s, in, name, in.serverName());
        for (int i = 0; i < others.size(); i++) {
            connection(s, in, name + "-" + (i + 2), others.get(i));
        }
        s.append("}\n");
        return s.toString();
    }

    /** One connection to one address of the gateway; every instance presents the same server name. */
    private static void connection(StringBuilder s, ClientPackageInput in, String name, String remoteAddress) {
        s.append("  ").append(name).append(" {\n");
        s.append("    version = 2\n");
        s.append("    remote_addrs = ").append(remoteAddress).append('\n');
        s.append("    # ask the gateway for an address from the client pool ")
                .append(String.join(", ", in.addressPool())).append('\n');
        s.append("    vips = 0.0.0.0\n");
        // UDP encapsulation always: works behind NAT and with kernel-libipsec (ikev2.md §9.2, §9.5).
        s.append("    encap = yes\n");
        s.append("    proposals = aes256gcm16-prfsha384-ecp384-ecp256-modp2048,aes256-sha256-ecp256-modp2048\n");
        s.append("    dpd_delay = 30s\n");
        s.append("    local {\n");
        s.append("      auth = pubkey\n");
        s.append("      certs = ").append(CLIENT_CERT_FILE).append('\n');
        s.append("    }\n");
        s.append("    remote {\n");
        s.append("      auth = pubkey\n");
        // strongSwan matches the remote id against the server certificate's SAN (ikev2.md §9.6).
        s.append("      id = ").append(in.serverName()).append('\n');
        s.append("      cacerts = ").append(CA_FILE).append('\n');
        s.append("    }\n");
        s.append("    children {\n");
        s.append("      ").append(name).append(" {\n");
        s.append("        remote_ts = ").append(String.join(",", in.routes())).append('\n');
        s.append("        esp_proposals = aes256gcm16,aes256-sha256\n");
        s.append("        dpd_action = restart\n");
        s.append("      }\n");
        s.append("    }\n");
        s.append("  }\n");
    }
}
