package io.p2sgw.ikev2.server;

import io.p2sgw.ikev2.engine.ChildLifetime;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Configuration of the IKEv2 server binding.
 *
 * @param serverKey        the gateway's private key (the one OpenVPN and SSTP use for TLS)
 * @param serverChain      its certificate chain, leaf first; a self-signed root at the end is not sent (ikev2.md §1.10)
 * @param ikePort          UDP port for IKE_SA_INIT (500; 0 = ephemeral, for tests)
 * @param natTraversalPort UDP port for IKE behind the non-ESP marker and ESP-in-UDP (4500, RFC 3948; 0 = ephemeral)
 * @param legacyWindows    accept MODP-1024 (DH group 2), the only group an unconfigured Windows client offers, as
 *                         Azure does (ikev2.md §2.4, pitfall §10.18)
 * @param cookieThreshold  half-open IKE SAs from which IKE_SA_INIT must carry a COOKIE (RFC 7296 §2.6)
 * @param maxHalfOpen      half-open IKE SAs kept at most; beyond it new IKE_SA_INITs are dropped (a memory bound
 *                         behind the cookie, which already makes a spoofed flood cost no state)
 * @param dpdIdle          how long an established IKE SA may be silent (no IKE message, no ESP packet) before we send
 *                         a liveness check (RFC 7296 §2.4; strongSwan's dpd_delay, ikev2.md §4.3)
 * @param eapTlsKeysWithoutExtendedMasterSecret whether EAP-TLS keys a TLS 1.2 client that offers no extended master
 *                         secret the RFC 5216 way (true, the default; strongSwan 5.9's eap-tls is such a client) or
 *                         refuses it as RFC 7627 §5.4 asks ({@link io.p2sgw.tls.eap.InnerTls})
 * @param childLifetime    the gateway's CHILD SA lifetime: it rekeys a CHILD SA itself at 80-90 % of it (if the
 *                         client has not) and ends the IKE SA at 100 % if no rekey succeeded (RFC 7296 §2.8; default
 *                         2 h, ikev2.md §7.5); {@link ChildLifetime#UNLIMITED} rekeys only when the ESP sequence
 *                         numbers near their end
 */
public record IkeV2ServerConfig(PrivateKey serverKey, List<X509Certificate> serverChain, int ikePort,
        int natTraversalPort, boolean legacyWindows, int cookieThreshold, int maxHalfOpen, Duration dpdIdle,
        ChildLifetime childLifetime, boolean eapTlsKeysWithoutExtendedMasterSecret) {
    public static final int DEFAULT_IKE_PORT = 500;
    public static final int DEFAULT_NAT_T_PORT = 4500;
    /** strongSwan's default cookie threshold (ikev2.md §2.2). */
    public static final int DEFAULT_COOKIE_THRESHOLD = 30;
    public static final int DEFAULT_MAX_HALF_OPEN = 4096;
    public static final Duration DEFAULT_DPD_IDLE = Duration.ofSeconds(30);

    public IkeV2ServerConfig {
        Objects.requireNonNull(serverKey, "serverKey");
        serverChain = List.copyOf(serverChain);
        if (serverChain.isEmpty()) {
            throw new IllegalArgumentException("server chain is empty");
        }
        for (int p : new int[] {ikePort, natTraversalPort}) {
            if (p < 0 || p > 0xFFFF) {
                throw new IllegalArgumentException("UDP port " + p);
            }
        }
        if (ikePort != 0 && ikePort == natTraversalPort) {
            throw new IllegalArgumentException("IKE and NAT-T need two ports, got " + ikePort + " twice");
        }
        if (cookieThreshold < 0 || maxHalfOpen < 1 || maxHalfOpen < cookieThreshold) {
            throw new IllegalArgumentException("cookie threshold " + cookieThreshold + ", max half-open " + maxHalfOpen);
        }
        Objects.requireNonNull(dpdIdle, "dpdIdle");
        Objects.requireNonNull(childLifetime, "childLifetime");
    }

    /** Defaults: UDP 500 and 4500, MODP-1024 accepted, cookies from 30 half-open SAs, liveness check after 30 s. */
    public static IkeV2ServerConfig of(PrivateKey serverKey, List<X509Certificate> serverChain) {
        return new IkeV2ServerConfig(serverKey, serverChain, DEFAULT_IKE_PORT, DEFAULT_NAT_T_PORT, true,
                DEFAULT_COOKIE_THRESHOLD, DEFAULT_MAX_HALF_OPEN, DEFAULT_DPD_IDLE, ChildLifetime.DEFAULT, true);
    }

    public IkeV2ServerConfig withPorts(int ike, int natTraversal) {
        return new IkeV2ServerConfig(serverKey, serverChain, ike, natTraversal, legacyWindows, cookieThreshold,
                maxHalfOpen, dpdIdle, childLifetime, eapTlsKeysWithoutExtendedMasterSecret);
    }

    public IkeV2ServerConfig withCookieThreshold(int threshold) {
        return new IkeV2ServerConfig(serverKey, serverChain, ikePort, natTraversalPort, legacyWindows, threshold,
                Math.max(maxHalfOpen, threshold), dpdIdle, childLifetime, eapTlsKeysWithoutExtendedMasterSecret);
    }

    /**
     * Whether MODP-1024 is accepted: on by default as Azure does, so a Windows client without the package's script
     * connects; an operator whose clients all run the script (or are not Windows) switches it off (ikev2.md §2.4).
     */
    public IkeV2ServerConfig withLegacyWindows(boolean legacy) {
        return new IkeV2ServerConfig(serverKey, serverChain, ikePort, natTraversalPort, legacy, cookieThreshold,
                maxHalfOpen, dpdIdle, childLifetime, eapTlsKeysWithoutExtendedMasterSecret);
    }

    public IkeV2ServerConfig withDpdIdle(Duration idle) {
        return new IkeV2ServerConfig(serverKey, serverChain, ikePort, natTraversalPort, legacyWindows, cookieThreshold,
                maxHalfOpen, idle, childLifetime, eapTlsKeysWithoutExtendedMasterSecret);
    }

    /** The gateway's CHILD SA lifetime ({@link ChildLifetime}); short ones are for tests of the rekey. */
    public IkeV2ServerConfig withChildLifetime(ChildLifetime lifetime) {
        return new IkeV2ServerConfig(serverKey, serverChain, ikePort, natTraversalPort, legacyWindows, cookieThreshold,
                maxHalfOpen, dpdIdle, lifetime, eapTlsKeysWithoutExtendedMasterSecret);
    }

    /**
     * Whether EAP-TLS keys a TLS 1.2 client without the extended master secret (RFC 5216 §2.3) or refuses it (RFC 7627
     * §5.4).
     */
    public IkeV2ServerConfig withEapTlsKeysWithoutExtendedMasterSecret(boolean allowed) {
        return new IkeV2ServerConfig(serverKey, serverChain, ikePort, natTraversalPort, legacyWindows, cookieThreshold,
                maxHalfOpen, dpdIdle, childLifetime, allowed);
    }

    /**
     * The TLS versions of EAP-TLS inside IKE_AUTH (RFC 7296 §2.16): TLS 1.2 (RFC 5216) whenever the client offers it,
     * 1.3 (RFC 9190) when it insists ({@link io.p2sgw.tls.eap.InnerTls}).
     */
    public List<String> eapTlsProtocols() {
        return io.p2sgw.tls.TlsServerContext.PROTOCOLS;
    }

    /** The chain we send in CERT payloads: leaf and intermediates, never a self-signed root (ikev2.md §1.10). */
    public List<X509Certificate> chainToSend() {
        return serverChain.stream().filter(c -> c == serverChain.getFirst()
                || !c.getSubjectX500Principal().equals(c.getIssuerX500Principal())).toList();
    }

    @Override
    public String toString() {
        return "IkeV2ServerConfig[ports " + ikePort + "/" + natTraversalPort + ", MODP-1024 "
                + (legacyWindows ? "accepted" : "refused") + ", CHILD SA lifetime "
                + (childLifetime.unlimited() ? "none" : childLifetime.lifetime().toSeconds() + " s") + ", server "
                + serverChain.getFirst().getSubjectX500Principal().getName() + ", key redacted]";
    }
}
