package io.p2sgw.openvpn.server;

import io.p2sgw.openvpn.engine.SessionSettings;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Configuration of the OpenVPN server bindings.
 *
 * @param serverKey    the gateway's TLS private key
 * @param serverChain  its certificate chain, leaf first (serverAuth EKU and keyUsage, openvpn.md §10.2)
 * @param udpPort      UDP port of {@link OpenVpnUdpService} (1194 by default; 0 = ephemeral, for tests)
 * @param clock        time source for timers and replay-time values
 * @param settings     protocol timers (tls-timeout, hand-window, ping, ping-restart, renegotiation)
 * @param maxHalfOpen  bound on UDP sessions still in their handshake (memory / DoS bound)
 */
public record OpenVpnServerConfig(
        PrivateKey serverKey, List<X509Certificate> serverChain, int udpPort, Clock clock, SessionSettings settings, int maxHalfOpen) {
    public static final int DEFAULT_UDP_PORT = 1194;
    public static final int DEFAULT_MAX_HALF_OPEN = 1024;

    public OpenVpnServerConfig {
        Objects.requireNonNull(serverKey, "serverKey");
        serverChain = List.copyOf(serverChain);
        if (serverChain.isEmpty()) {
            throw new IllegalArgumentException("server chain is empty");
        }
        if (udpPort < 0 || udpPort > 65535) {
            throw new IllegalArgumentException("udp port " + udpPort);
        }
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(settings, "settings");
        if (maxHalfOpen < 1) {
            throw new IllegalArgumentException("maxHalfOpen must be positive");
        }
    }

    /** Defaults: UDP 1194, system clock, OpenVPN's default timers, 1024 half-open sessions. */
    public static OpenVpnServerConfig of(PrivateKey serverKey, List<X509Certificate> serverChain) {
        return new OpenVpnServerConfig(serverKey, serverChain, DEFAULT_UDP_PORT, Clock.systemUTC(), SessionSettings.defaults(),
                DEFAULT_MAX_HALF_OPEN);
    }

    public OpenVpnServerConfig withUdpPort(int port) {
        return new OpenVpnServerConfig(serverKey, serverChain, port, clock, settings, maxHalfOpen);
    }

    public OpenVpnServerConfig withSettings(SessionSettings s) {
        return new OpenVpnServerConfig(serverKey, serverChain, udpPort, clock, s, maxHalfOpen);
    }

    @Override
    public String toString() {
        return "OpenVpnServerConfig[udpPort=" + udpPort + ", server=" + serverChain.getFirst().getSubjectX500Principal().getName()
                + ", key redacted]";
    }
}
