package io.p2sgw.openvpn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.p2sgw.openvpn.wire.StaticKey;
import io.p2sgw.openvpn.wire.TlsAuthWrap;
import io.p2sgw.openvpn.wire.TlsCryptWrap;
import io.p2sgw.testkit.pki.Issued;
import io.p2sgw.testkit.pki.TestPki;
import io.p2sgw.tls.ServerIdentity;
import io.p2sgw.tls.TlsServerContext;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The whole server session under hostile input: the rule "a malformed packet drops that packet or that session,
 * never the server" (openvpn.md §11) as a fuzz target. The input is a list of records
 * {@code flags(1) | length(1) | packet(length)}; flag bit 0 wraps the packet with the client's tls-auth key so it
 * gets past the HMAC firewall into the control parser, reliability layer, TLS and key method 2; bit 1 advances the
 * clock by a second and ticks. {@link OpenVpnSession#onPacket} and {@link OpenVpnSession#tick} must never throw,
 * every packet the session sends stays within the client's control-channel MTU, and the handshake times out.
 */
class OpenVpnSessionFuzzTest {
    /** The 2.6 client's tls-mtu (openvpn.md §3.2): no control packet of ours may be larger. */
    static final int CLIENT_TLS_MTU = 1250;
    static final TlsServerContext TLS;
    static final StaticKey SERVER_KEY;
    static final StaticKey CLIENT_KEY;
    static final SessionSettings SETTINGS = new SessionSettings(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(1));

    static {
        try {
            TestPki pki = TestPki.ec("fuzz root");
            Issued server = pki.server("vpn.fuzz.test");
            TLS = new TlsServerContext(new ServerIdentity(server.privateKey(), List.of(server.certificate())), new SecureRandom());
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
        byte[] k = new byte[StaticKey.LENGTH];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (i * 13 + 5);
        }
        SERVER_KEY = StaticKey.of(k);
        byte[] c = new byte[k.length];
        System.arraycopy(k, 128, c, 0, 128);
        System.arraycopy(k, 0, c, 128, 128);
        CLIENT_KEY = StaticKey.of(c);
    }

    /** Records what the session does; refuses every client (no handshake completes on fuzz input anyway). */
    static final class RecordingHost implements SessionHost {
        int transmitted;
        int ended;

        @Override
        public void transmit(byte[] buf, int off, int len) {
            assertTrue(off >= OpenVpnSession.HEADROOM && off + len <= buf.length, "transmit range " + off + "+" + len);
            assertTrue(len <= CLIENT_TLS_MTU, "sent a " + len + "-byte packet");
            transmitted++;
        }

        @Override
        public AuthDecision authenticate(List<X509Certificate> clientChain, String peerInfoSummary) {
            return new AuthDecision.Rejected("fuzz");
        }

        @Override
        public void deliver(byte[] buf, int off, int len) {
            assertTrue(off >= 0 && len >= 0 && off + len <= buf.length);
        }

        @Override
        public void ended(String reason) {
            ended++;
        }
    }

    @FuzzTest
    void tlsAuthSession(byte[] data) {
        run(data, new TlsAuthWrap(SERVER_KEY, 1), new TlsAuthWrap(CLIENT_KEY, 1));
    }

    @FuzzTest
    void tlsCryptSession(byte[] data) {
        run(data, new TlsCryptWrap(SERVER_KEY, 1), new TlsCryptWrap(CLIENT_KEY, 1));
    }

    private static void run(byte[] data, io.p2sgw.openvpn.wire.ControlWrap serverWrap, io.p2sgw.openvpn.wire.ControlWrap clientWrap) {
        RecordingHost host = new RecordingHost();
        long now = 1_000_000;
        // A seeded generator: the same input always meets the same session id and randoms.
        OpenVpnSession session = new OpenVpnSession(serverWrap, TLS, host, SETTINGS, new SplittableRandom(42), 7, "fuzz", now);
        int p = 0;
        while (p + 2 <= data.length) {
            int flags = data[p] & 0xFF;
            int len = Math.min(data[p + 1] & 0xFF, data.length - p - 2);
            byte[] packet = Arrays.copyOfRange(data, p + 2, p + 2 + len);
            p += 2 + len;
            // The client's wrap needs at least the op/sid header and the ACK count (openvpn.md §2.3).
            if ((flags & 1) != 0 && packet.length >= 10) {
                packet = clientWrap.wrap(packet);
            }
            session.onPacket(packet, now);
            if ((flags & 2) != 0) {
                now += 1000;
                session.tick(now);
            }
        }
        // No fuzz input completes a TLS handshake, so after hand-window the session is over (handshakes time out),
        // and the binding heard about it exactly once.
        session.tick(now + SETTINGS.handshakeWindow().toMillis());
        session.tick(now + 2 * SETTINGS.handshakeWindow().toMillis());
        assertEquals(OpenVpnSession.State.ENDED, session.state());
        assertEquals(1, host.ended, "ended() is called once");
    }
}
