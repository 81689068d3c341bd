package io.p2sgw.bench;

import io.p2sgw.lab.Lab;
import io.p2sgw.lab.StrongSwanClient;
import java.nio.file.Path;
import java.util.List;

/**
 * The strongSwan configuration texts of the IKEv2 bench: the one client profile every client uses (the shape of
 * the package's {@code strongSwan/swanctl.conf}, control's SwanctlRenderer: the same proposals, {@code encap},
 * {@code vips}), the load charon's settings and connections, and strongSwan's own responder, set up like the
 * p2sgw gateway (same certificate and CA, same pool, the VNet as traffic selector).
 */
final class IkeProfiles {
    /** The package's IKE and ESP proposals (SwanctlRenderer), on the clients and on strongSwan's responder. */
    static final String IKE_PROPOSALS = "aes256gcm16-prfsha384-ecp384-ecp256-modp2048,aes256-sha256-ecp256-modp2048";
    static final String ESP_PROPOSALS = "aes256gcm16,aes256-sha256";
    /** Client files in a swanctl directory (what StrongSwanClient and the load charons expect). */
    static final String SERVER_CA_FILE = "VpnServerRoot.pem";
    static final String CONNECTION = "bench";
    /** strongSwan's responder: files in its swanctl directory. */
    static final String RESPONDER_CERT = "server.pem";
    static final String RESPONDER_KEY = "server.key";
    static final String RESPONDER_CLIENT_ROOT = "client-root.pem";
    static final String RESPONDER_SERVER_CA = "server-ca.pem";

    private IkeProfiles() {}

    /** The name of load client i's connection in its charon. */
    static String loadConnection(int i) {
        return "l" + i;
    }

    /**
     * One client connection (the package's profile, with the gateway's address for {@code remote_addrs} since the
     * lab has no DNS), certificate {@code certFile} in {@code x509/}.
     */
    static String clientConnection(String name, String certFile) {
        return String.join("\n",
                "  " + name + " {",
                "    version = 2",
                "    remote_addrs = " + Lab.GATEWAY_PUBLIC_ADDRESS,
                "    vips = 0.0.0.0",
                "    encap = yes",
                "    proposals = " + IKE_PROPOSALS,
                "    dpd_delay = 30s",
                "    local {",
                "      auth = pubkey",
                "      certs = " + certFile,
                "    }",
                "    remote {",
                "      auth = pubkey",
                "      id = " + GatewayMain.SERVER_NAME,
                "      cacerts = " + SERVER_CA_FILE,
                "    }",
                "    children {",
                "      " + name + " {",
                "        remote_ts = " + Lab.VNET_PREFIX,
                "        esp_proposals = " + ESP_PROPOSALS,
                "      }",
                "    }",
                "  }",
                "");
    }

    /** A swanctl.conf with the given connections: {@code names.get(k)} uses certificate {@code certs.get(k)}. */
    static String clientSwanctl(List<String> names, List<String> certs) {
        if (names.size() != certs.size()) {
            throw new IllegalArgumentException(names.size() + " connections, " + certs.size() + " certificates");
        }
        StringBuilder sb = new StringBuilder("connections {\n");
        for (int k = 0; k < names.size(); k++) {
            sb.append(clientConnection(names.get(k), certs.get(k)));
        }
        return sb.append("}\n").toString();
    }

    /**
     * strongswan.conf of a load charon: many IKE SAs in one charon, each with its virtual IP (kernel-libipsec refuses
     * a CHILD SA whose source address is not installed: its install_route needs it), but no routes (the load clients
     * send no traffic); ESP in kernel-libipsec as on every client here.
     */
    static String loadCharonConf(Path dir) {
        return StrongSwanClient.strongswanConf(dir, List.of("install_routes = no", "retransmit_tries = 3"), List.of("default = 1", "knl = 2"));
    }

    /**
     * strongswan.conf of strongSwan's responder in the gateway namespace: kernel-libipsec (the only ESP this kernel
     * allows), which routes the clients' virtual IPs through its TUN device; log level 0 but for the kernel interface,
     * so logging costs it little.
     */
    static String responderCharonConf(Path dir) {
        return StrongSwanClient.strongswanConf(dir, List.of(), List.of("default = 0", "knl = 2"));
    }

    /**
     * strongSwan's responder, as the p2sgw gateway is configured in the bench: our certificate and name, client
     * certificates under the bench's root, addresses from the same pool, the VNet (and the pool) as its side of the
     * traffic selectors, the package's proposals.
     */
    static String responderSwanctl() {
        return String.join("\n",
                "connections {",
                "  " + CONNECTION + " {",
                "    version = 2",
                "    local_addrs = " + Lab.GATEWAY_PUBLIC_ADDRESS,
                "    pools = pool",
                "    proposals = " + IKE_PROPOSALS,
                "    dpd_delay = 30s",
                "    local {",
                "      auth = pubkey",
                "      certs = " + RESPONDER_CERT,
                "      id = " + GatewayMain.SERVER_NAME,
                "    }",
                "    remote {",
                "      auth = pubkey",
                "      cacerts = " + RESPONDER_CLIENT_ROOT,
                "    }",
                "    children {",
                "      " + CONNECTION + " {",
                "        local_ts = " + Lab.VNET_PREFIX + "," + Lab.CLIENT_POOL,
                "        esp_proposals = " + ESP_PROPOSALS,
                "      }",
                "    }",
                "  }",
                "}",
                "pools {",
                "  pool {",
                "    addrs = " + Lab.CLIENT_POOL,
                "  }",
                "}",
                "");
    }
}
