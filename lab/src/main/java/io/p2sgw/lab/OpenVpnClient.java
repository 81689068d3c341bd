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

    /** How openvpn 2.x names the server a TLS session came up with. */
    private static final Pattern PEER = Pattern.compile("Peer Connection Initiated with \\[AF_INET\\](\\d+\\.\\d+\\.\\d+\\.\\d+):(\\d+)");

    /** How many times the tunnel came up so far (a reconnect to another gateway instance counts again). */
    public int timesConnected() {
        String log = process.logText();
        int n = 0;
        for (int i = log.indexOf(CONNECTED_MARKER); i >= 0; i = log.indexOf(CONNECTED_MARKER, i + 1)) {
            n++;
        }
        return n;
    }

    /** Waits until the tunnel came up at least {@code times} times; false on timeout or when openvpn exited. */
    public boolean awaitConnectedTimes(int times, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end && process.isAlive()) {
            if (timesConnected() >= times) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return timesConnected() >= times;
    }

    /** The server address of the latest TLS session ("Peer Connection Initiated with [AF_INET]a.b.c.d:port"). */
    public Optional<String> lastPeer() {
        Matcher m = PEER.matcher(process.logText());
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return Optional.ofNullable(last);
    }

    /** The tunnel address of the latest connection (after a reconnect, the new one). */
    public Optional<String> lastTunnelAddress() {
        Matcher m = IFCONFIG.matcher(process.logText());
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return Optional.ofNullable(last);
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
