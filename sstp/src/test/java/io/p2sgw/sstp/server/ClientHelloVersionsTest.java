package io.p2sgw.sstp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.p2sgw.sstp.server.ClientHelloVersions.Offer;
import io.p2sgw.testkit.bytes.Hex;
import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

/** The versions of real JSSE ClientHellos, and what a short or odd hello gives (RFC 8446 §4.1.2, §4.2.1). */
class ClientHelloVersionsTest {
    static byte[] hello(String... protocols) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, null, null);
        SSLEngine e = ctx.createSSLEngine("vpn.test", 443);
        e.setUseClientMode(true);
        e.setEnabledProtocols(protocols);
        ByteBuffer net = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
        e.wrap(ByteBuffer.allocate(0), net);
        return Arrays.copyOf(net.array(), net.position());
    }

    static Offer of(byte[] b) {
        return ClientHelloVersions.of(b, 0, b.length);
    }

    @Test
    void jsseHellos() throws Exception {
        assertEquals(Offer.TLS_1_2, of(hello("TLSv1.3", "TLSv1.2")));
        assertEquals(Offer.TLS_1_2, of(hello("TLSv1.2")));
        assertEquals(Offer.TLS_1_3_ONLY, of(hello("TLSv1.3")));
    }

    @Test
    void aHelloCutShortIsUnknownUnlessItsVersionsAreAlreadyThere() throws Exception {
        byte[] h = hello("TLSv1.3");
        for (int len = 0; len < 50; len++) {
            assertEquals(Offer.UNKNOWN, ClientHelloVersions.of(h, 0, len), "cut at " + len);
        }
        assertEquals(Offer.TLS_1_3_ONLY, ClientHelloVersions.of(h, 0, h.length));
    }

    @Test
    void aPreTls13HelloWithoutExtensionsSaysItsVersionInLegacyVersion() {
        // Record 16 0303 len; ClientHello, version 0303, random, no session id, one suite, null compression.
        byte[] h = Hex.bytes("16 0303 002d  01 000029 0303" + "00".repeat(32) + "00 0002 c02f 01 00");
        assertEquals(Offer.TLS_1_2, of(h));
        assertEquals(Offer.UNKNOWN, ClientHelloVersions.of(h, 0, h.length - 1));
    }

    @Test
    void notAClientHello() {
        assertEquals(Offer.UNKNOWN, of(Hex.bytes("17 0303 0005 0000000000")));
        assertEquals(Offer.UNKNOWN, of(Hex.bytes("16 0303 0004 02 000000")));
        assertEquals(Offer.UNKNOWN, of(new byte[0]));
        // supported_versions whose list length disagrees with the extension's.
        byte[] bad = Hex.bytes("16 0303 0033 01 00002f 0303" + "00".repeat(32) + "00 0002 c02f 01 00 0006 002b 0002 04 0304");
        assertEquals(Offer.UNKNOWN, of(bad));
    }
}
