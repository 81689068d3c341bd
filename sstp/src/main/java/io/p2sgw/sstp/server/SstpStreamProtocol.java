package io.p2sgw.sstp.server;

import io.p2sgw.common.concurrent.Ticker;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.spi.GatewayCore;
import io.p2sgw.dataplane.spi.StreamProtocol;
import io.p2sgw.dataplane.spi.StreamReceiver;
import io.p2sgw.dataplane.spi.StreamWriter;
import io.p2sgw.tls.ServerIdentity;
import io.p2sgw.tls.TlsServerContext;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * SSTP on the shared TCP listener (443), beside OpenVPN ([MS-SSTP] 3.2.4.1; sstp.md §1): the probe claims a connection
 * that begins with a TLS handshake record ({@code 16 03 xx}, RFC 8446 §5.1), which OpenVPN's length-prefixed client
 * reset never does (its first byte is a length's high byte and its third an opcode). Every claimed connection becomes
 * an {@link SstpStreamConnection}: outer TLS without a client certificate, the HTTPS preamble, SSTP, PPP with EAP-TLS,
 * then IPv4 to and from the core.
 */
public final class SstpStreamProtocol implements StreamProtocol, AutoCloseable {
    /** TLS record content type handshake (RFC 8446 §5.1). */
    static final int TLS_HANDSHAKE = 0x16;
    /** The major version byte of every TLS record header since SSL 3.0 (RFC 8446 §5.1 legacy_record_version). */
    static final int TLS_MAJOR = 0x03;

    private final SstpServerConfig config;
    private final TlsServerContext tls;
    private final SecureRandom random = new SecureRandom();
    private final Ticker<SstpStreamConnection> ticker = new Ticker<>("sstp-timer");
    /** The core that opened the connections, for the CertificateRequest's root names (the core is one per server). */
    private final AtomicReference<GatewayCore> core = new AtomicReference<>();

    public SstpStreamProtocol(SstpServerConfig config) throws GeneralSecurityException {
        this.config = config;
        this.tls = new TlsServerContext(new ServerIdentity(config.serverKey(), config.serverChain()), this::trustedRoots,
                random);
    }

    @Override
    public String name() {
        return "SSTP";
    }

    @Override
    public TunnelType tunnelType() {
        return TunnelType.SSTP;
    }

    @Override
    public Probe probe(ByteBuffer firstBytes) {
        int p = firstBytes.position();
        if (firstBytes.remaining() < 1) {
            return Probe.NEED_MORE;
        }
        if ((firstBytes.get(p) & 0xFF) != TLS_HANDSHAKE) {
            return Probe.NO_MATCH;
        }
        if (firstBytes.remaining() < 2) {
            return Probe.NEED_MORE;
        }
        return (firstBytes.get(p + 1) & 0xFF) == TLS_MAJOR ? Probe.MATCH : Probe.NO_MATCH;
    }

    @Override
    public StreamReceiver open(InetSocketAddress remote, StreamWriter writer, GatewayCore core) {
        this.core.compareAndSet(null, core);
        SstpStreamConnection c = new SstpStreamConnection(remote, writer, core, tls, config, random, ticker::remove);
        ticker.add(c);
        return c;
    }

    /** Connections being ticked (tests). */
    int liveConnections() {
        return ticker.size();
    }

    /** Stops the timer thread (the core owns the listener and the connections). */
    @Override
    public void close() {
        ticker.close();
    }

    /** The roots named in EAP-TLS's CertificateRequest: the gateway's trusted certificates as they are now. */
    private List<X509Certificate> trustedRoots() {
        GatewayCore c = core.get();
        return c == null ? List.of() : c.trustedCertificates();
    }
}
