package io.p2sgw.sstp.server;

import io.p2sgw.sstp.engine.SstpSettings;
import io.p2sgw.sstp.ppp.LcpPolicy;
import io.p2sgw.sstp.ppp.PppSettings;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Configuration of the SSTP server on the shared TCP listener.
 *
 * @param serverKey the gateway's TLS private key (outer HTTPS and the EAP-TLS server inside PPP use the same
 *     certificate, as Azure does: sstp.md §4.3)
 * @param serverChain its certificate chain, leaf first
 * @param clock the time source for the engines' timers
 * @param settings the SSTP and PPP timers and choices; the PPP MRU is the core's tunnel MTU (sstp.md §4.6)
 * @param innerTlsProtocols the TLS versions EAP-TLS may use: by default 1.2 and 1.3, with 1.2 whenever the client
 *     offers it (pppd 2.4.9 and Windows, sstp.md §4.3) and 1.3 (RFC 9190) only for a client that insists on it
 *     ({@link io.p2sgw.tls.eap.InnerTls}); {@link io.p2sgw.tls.TlsServerContext#TLS_1_2_ONLY} caps it at 1.2
 * @param eapTlsKeysWithoutExtendedMasterSecret whether EAP-TLS keys a TLS 1.2 client that offers no extended master
 *     secret the RFC 5216 way (true, the default) or refuses it as RFC 7627 §5.4 asks
 * @param handshakeTimeoutMillis the outer TLS handshake must be done within this (the preamble timer starts after it)
 */
public record SstpServerConfig(PrivateKey serverKey, List<X509Certificate> serverChain, Clock clock,
        SstpSettings settings, List<String> innerTlsProtocols, long handshakeTimeoutMillis,
        boolean eapTlsKeysWithoutExtendedMasterSecret) {
    /** The outer TLS handshake's time limit: what the preamble gets after it (sstp.md §8 item 2). */
    public static final long DEFAULT_HANDSHAKE_TIMEOUT_MILLIS = 60_000;
    /**
     * How long our first LCP Configure-Request waits for the client's (pppd and Windows open LCP themselves): sstpc's
     * pty echoes what we send until pppd has started (sstp.md §4.2), which takes seconds on a slow client.
     */
    public static final long FIRST_LCP_DELAY_MILLIS = 3_000;

    public SstpServerConfig {
        Objects.requireNonNull(serverKey, "serverKey");
        serverChain = List.copyOf(serverChain);
        if (serverChain.isEmpty()) {
            throw new IllegalArgumentException("server chain is empty");
        }
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(settings, "settings");
        innerTlsProtocols = List.copyOf(innerTlsProtocols);
        if (handshakeTimeoutMillis <= 0) {
            throw new IllegalArgumentException("handshake timeout " + handshakeTimeoutMillis);
        }
    }

    /**
     * Defaults ([MS-SSTP] timers, both HLAK layouts, inner TLS 1.2, or 1.3 when the client insists) with the PPP MRU set to the core's tunnel MTU;
     * the gateway's tunnel address and DNS come with each admission.
     */
    public static SstpServerConfig of(PrivateKey serverKey, List<X509Certificate> serverChain, int tunnelMtu) {
        int mru = Math.clamp(tunnelMtu, LcpPolicy.MIN_MRU, LcpPolicy.MAX_MRU);
        PppSettings ppp = PppSettings.defaults(0, 0, 0);
        ppp = new PppSettings(mru, 0, 0, 0, FIRST_LCP_DELAY_MILLIS, ppp.eapRetransmitMillis(), ppp.eapMaxTries());
        return new SstpServerConfig(serverKey, serverChain, Clock.systemUTC(), SstpSettings.defaults(ppp),
                io.p2sgw.tls.TlsServerContext.PROTOCOLS, DEFAULT_HANDSHAKE_TIMEOUT_MILLIS, true);
    }

    /**
     * With another SSTP Hello interval: idle time before our ECHO_REQUEST, and then before a silent client is dropped
     * ([MS-SSTP] 3.3.2.1; 60 s by default).
     */
    public SstpServerConfig withHelloInterval(java.time.Duration interval) {
        return new SstpServerConfig(serverKey, serverChain, clock, settings.withHelloMillis(interval.toMillis()),
                innerTlsProtocols, handshakeTimeoutMillis, eapTlsKeysWithoutExtendedMasterSecret);
    }

    /**
     * Whether EAP-TLS keys a TLS 1.2 client without the extended master secret (RFC 5216 §2.3) or refuses it (RFC 7627
     * §5.4).
     */
    public SstpServerConfig withEapTlsKeysWithoutExtendedMasterSecret(boolean allowed) {
        return new SstpServerConfig(serverKey, serverChain, clock, settings, innerTlsProtocols, handshakeTimeoutMillis,
                allowed);
    }

    @Override
    public String toString() {
        return "SstpServerConfig[server=" + serverChain.getFirst().getSubjectX500Principal().getName()
                + ", inner TLS " + innerTlsProtocols + ", key redacted]";
    }
}
