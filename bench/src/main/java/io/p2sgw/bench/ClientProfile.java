package io.p2sgw.bench;

import io.p2sgw.lab.Lab;

/**
 * The one client configuration both servers are measured with: the Azure package's OpenVPN profile
 * (azure-p2s.md §3.4: tls-auth with key-direction 1, SHA256, AES-256-GCM), the same binary and the same options
 * for p2sgw and the stock server. Only {@code dev} differs between uses: {@code tun} for the throughput client,
 * {@code null} for the load clients (handshakes, idle sessions), which then need no kernel device, so that dozens
 * of them can share a namespace.
 */
public final class ClientProfile {
    public enum Proto {
        TCP("tcp", 443, "tcp-client"),
        UDP("udp", 1194, "udp");

        final String label;
        final int port;
        final String clientProto;

        Proto(String label, int port, String clientProto) {
            this.label = label;
            this.port = port;
            this.clientProto = clientProto;
        }

        public String label() {
            return label;
        }

        public int port() {
            return port;
        }
    }

    /** How the control channel is wrapped; the same choice on both servers. */
    public enum Wrap {
        TLS_AUTH("tls-auth"),
        TLS_CRYPT("tls-crypt");

        final String option;

        Wrap(String option) {
            this.option = option;
        }

        public String option() {
            return option;
        }

        public static Wrap parse(String s) {
            for (Wrap w : values()) {
                if (w.option.equals(s)) {
                    return w;
                }
            }
            throw new IllegalArgumentException("wrap must be tls-auth or tls-crypt, not " + s);
        }
    }

    static final String CA_FILE = "ca.pem";
    static final String STATIC_KEY_FILE = "ta.key";

    private ClientProfile() {}

    /**
     * The profile text. Paths are relative to the client directory (openvpn runs with {@code --cd} there).
     *
     * @param tunDevice true for a real TUN ({@code dev tun}), false for {@code dev null}
     */
    public static String text(Proto proto, Wrap wrap, boolean tunDevice, String certFile, String keyFile) {
        StringBuilder sb = new StringBuilder();
        sb.append("client\n");
        sb.append("dev ").append(tunDevice ? "tun" : "null").append('\n');
        if (!tunDevice) {
            // A null device has nothing to configure: without these openvpn fails setting the pushed MTU on it.
            sb.append("ifconfig-noexec\n");
            sb.append("route-noexec\n");
        }
        sb.append("remote ").append(Lab.GATEWAY_PUBLIC_ADDRESS).append(' ').append(proto.port).append('\n');
        sb.append("proto ").append(proto.clientProto).append('\n');
        sb.append("nobind\n");
        sb.append("remote-cert-tls server\n");
        sb.append("auth SHA256\n");
        sb.append("cipher AES-256-GCM\n");
        sb.append("tls-version-min 1.2\n");
        if (wrap == Wrap.TLS_AUTH) {
            sb.append("key-direction 1\n");
        }
        sb.append(wrap.option).append(' ').append(STATIC_KEY_FILE).append('\n');
        sb.append("ca ").append(CA_FILE).append('\n');
        sb.append("cert ").append(certFile).append('\n');
        sb.append("key ").append(keyFile).append('\n');
        sb.append("connect-retry 1 1\n");
        sb.append("auth-retry none\n");
        if (proto == Proto.UDP) {
            // Tells the server at once when a load client stops, so rounds do not pile up stale UDP sessions.
            sb.append("explicit-exit-notify 1\n");
        }
        sb.append("verb 3\n");
        return sb.toString();
    }
}
