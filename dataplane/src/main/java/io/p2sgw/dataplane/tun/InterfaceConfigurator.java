package io.p2sgw.dataplane.tun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sets the TUN's address, MTU, state and routes, and enables IPv4 forwarding.
 *
 * <p>This runs the iproute2 {@code ip} command rather than speaking rtnetlink through FFM: it happens once
 * per snapshot change (never per packet), iproute2 is on every machine that has a TUN, and its error
 * messages are the ones operators know. The TUN itself is FFM (see {@link LinuxTun}).
 */
public final class InterfaceConfigurator {
    /** How long one {@code ip} invocation may take before we give up. */
    private static final long IP_TIMEOUT_SECONDS = 10;
    private static final Path IP_FORWARD = Path.of("/proc/sys/net/ipv4/ip_forward");

    private InterfaceConfigurator() {}

    /** Gives the device {@code address/prefixLength}, which also installs the route to that prefix on it. */
    public static void setAddress(String device, String address, int prefixLength) throws IOException {
        run(List.of("ip", "addr", "replace", address + "/" + prefixLength, "dev", device));
    }

    public static void flushAddresses(String device) throws IOException {
        run(List.of("ip", "addr", "flush", "dev", device));
    }

    public static void setUp(String device, int mtu) throws IOException {
        run(List.of("ip", "link", "set", "dev", device, "mtu", Integer.toString(mtu), "up"));
    }

    /** Routes an extra pool prefix to the device (pools with several prefixes). */
    public static void addRoute(String prefix, String device) throws IOException {
        run(List.of("ip", "route", "replace", prefix, "dev", device));
    }

    public static void deleteRoute(String prefix, String device) throws IOException {
        run(List.of("ip", "route", "del", prefix, "dev", device));
    }

    /**
     * Turns on IPv4 forwarding in this process's network namespace, so the kernel routes between the TUN
     * and the VNet leg (DESIGN.md "Two planes"). A no-op when already on.
     */
    public static void enableIpv4Forwarding() throws IOException {
        String now = Files.readString(IP_FORWARD, StandardCharsets.US_ASCII).trim();
        if (!now.equals("1")) {
            try {
                Files.writeString(IP_FORWARD, "1\n", StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new IOException("cannot enable IPv4 forwarding (" + IP_FORWARD
                        + "): needs CAP_NET_ADMIN/root in the network namespace: " + e.getMessage(), e);
            }
        }
    }

    static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(IP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + IP_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.exitValue() != 0) {
            String hint = out.contains("Operation not permitted") ? " (needs CAP_NET_ADMIN)" : "";
            throw new IOException(String.join(" ", command) + " failed with exit " + p.exitValue() + hint + ": " + out);
        }
    }
}
