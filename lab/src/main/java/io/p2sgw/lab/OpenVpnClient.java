package io.p2sgw.lab;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A stock {@code openvpn} client running in a lab client namespace. */
public final class OpenVpnClient implements AutoCloseable {
    /** What OpenVPN 2.x logs once the tunnel is up. */
    public static final String CONNECTED_MARKER = "Initialization Sequence Completed";
    private static final Pattern IFCONFIG = Pattern.compile("net_addr_v4_add: (\\d+\\.\\d+\\.\\d+\\.\\d+)/(\\d+) dev (\\S+)");

    private static final Pattern KERNEL_TUN_ADDR = Pattern.compile("\\d+: tun\\S*\\s+inet (\\d+\\.\\d+\\.\\d+\\.\\d+)/");

    private final Lab lab;
    private final int client;
    private final BackgroundProcess process;

    OpenVpnClient(Lab lab, int client, BackgroundProcess process) {
        this.lab = lab;
        this.client = client;
        this.process = process;
    }

    public BackgroundProcess process() {
        return process;
    }

    public String namespace() {
        return lab.clientNamespace(client);
    }

    /** Waits for "Initialization Sequence Completed"; false on timeout or when openvpn exited. */
    public boolean awaitConnected(Duration timeout) {
        return process.awaitLog(CONNECTED_MARKER, timeout);
    }

    /** The tunnel address the server pushed, as openvpn logged it when configuring the TUN. */
    public Optional<String> tunnelAddress() {
        Matcher m = IFCONFIG.matcher(process.logText());
        if (m.find()) {
            return Optional.of(m.group(1));
        }
        // Otherwise ask the kernel: the IPv4 address on a tun interface in the client's namespace.
        Cmd.Result r = lab.exec(namespace(), "ip", "-4", "-o", "addr", "show");
        Matcher k = KERNEL_TUN_ADDR.matcher(r.output());
        return k.find() ? Optional.of(k.group(1)) : Optional.empty();
    }

    /** The client's log so far. */
    public String log() {
        return process.logText();
    }

    @Override
    public void close() {
        process.close();
    }
}
