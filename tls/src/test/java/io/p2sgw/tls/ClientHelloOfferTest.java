package io.p2sgw.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.tls.ClientHelloOffer.Versions;
import io.p2sgw.testkit.bytes.Hex;
import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

/**
 * The versions and the extended master secret of real JSSE ClientHellos, and what a short or odd hello gives (RFC 8446
 * §4.1.2, §4.2.1; RFC 7627 §5.1).
 */
class ClientHelloOfferTest {
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

    static ClientHelloOffer of(byte[] b) {
        return ClientHelloOffer.of(b, 0, b.length);
    }

    @Test
    void jsseHellosOfferTheExtendedMasterSecret() throws Exception {
        assertEquals(new ClientHelloOffer(Versions.TLS_1_2, false), of(hello("TLSv1.3", "TLSv1.2")));
        assertEquals(new ClientHelloOffer(Versions.TLS_1_2, false), of(hello("TLSv1.2")));
        // The extension is TLS 1.2's (TLS 1.3 always binds its keys to the transcript): a 1.3-only hello has none.
        assertEquals(new ClientHelloOffer(Versions.TLS_1_3_ONLY, true), of(hello("TLSv1.3")));
    }

    @Test
    void aHelloCutShortIsUnknownUnlessItsVersionsAreAlreadyThere() throws Exception {
        byte[] h = hello("TLSv1.3");
        for (int len = 0; len < 50; len++) {
            assertEquals(ClientHelloOffer.UNKNOWN, ClientHelloOffer.of(h, 0, len), "cut at " + len);
        }
        assertEquals(Versions.TLS_1_3_ONLY, ClientHelloOffer.of(h, 0, h.length).versions());
    }

    @Test
    void aPreTls13HelloWithoutExtensionsSaysItsVersionInLegacyVersionAndHasNoExtendedMasterSecret() {
        // Record 16 0303 len; ClientHello, version 0303, random, no session id, one suite, null compression.
        byte[] h = Hex.bytes("16 0303 002d  01 000029 0303" + "00".repeat(32) + "00 0002 c02f 01 00");
        assertEquals(new ClientHelloOffer(Versions.TLS_1_2, true), of(h));
        assertEquals(ClientHelloOffer.UNKNOWN, ClientHelloOffer.of(h, 0, h.length - 1));
    }

    /** A TLS 1.2 hello shaped like strongSwan 5.9.8's libtls: extensions, none of them extended_master_secret (23). */
    @Test
    void aTls12HelloWithExtensionsButNoExtendedMasterSecret() {
        String body = "0303" + "11".repeat(32) + "00" + "0004 c02f c030" + "01 00"
                + "000c" + "000d 0004 0002 0401" + "000b 0000"; // signature_algorithms, ec_point_formats (empty)
        byte[] h = hello12(body);
        assertEquals(new ClientHelloOffer(Versions.TLS_1_2, true), of(h));
        // Cut inside the extension block: the versions are unknown, and nothing is known to be missing.
        for (int cut = 0; cut < h.length; cut++) {
            assertFalse(ClientHelloOffer.of(h, 0, cut).lacksExtendedMasterSecret(), "cut at " + cut);
        }
        // The same hello with extended_master_secret (type 23, empty): offered.
        String withEms = "0303" + "11".repeat(32) + "00" + "0004 c02f c030" + "01 00"
                + "0010" + "000d 0004 0002 0401" + "000b 0000" + "0017 0000";
        assertEquals(new ClientHelloOffer(Versions.TLS_1_2, false), of(hello12(withEms)));
    }

    @Test
    void anExtensionRunningPastItsBlockLeavesTheExtendedMasterSecretUndecided() {
        String body = "0303" + "11".repeat(32) + "00" + "0002 c02f" + "01 00"
                + "0008" + "000d 0010 0002 0401"; // signature_algorithms claims 16 bytes, 4 are there
        assertFalse(of(hello12(body)).lacksExtendedMasterSecret());
    }

    @Test
    void notAClientHello() {
        assertEquals(ClientHelloOffer.UNKNOWN, of(Hex.bytes("17 0303 0005 0000000000")));
        assertEquals(ClientHelloOffer.UNKNOWN, of(Hex.bytes("16 0303 0004 02 000000")));
        assertEquals(ClientHelloOffer.UNKNOWN, of(new byte[0]));
        // supported_versions whose list length disagrees with the extension's.
        byte[] bad = Hex.bytes("16 0303 0033 01 00002f 0303" + "00".repeat(32) + "00 0002 c02f 01 00 0006 002b 0002 04 0304");
        assertEquals(ClientHelloOffer.UNKNOWN, of(bad));
        assertTrue(ClientHelloOffer.UNKNOWN.versions() == Versions.UNKNOWN);
    }

    /** A record and handshake header around a ClientHello body given in hex. */
    private static byte[] hello12(String bodyHex) {
        byte[] body = Hex.bytes(bodyHex);
        byte[] h = new byte[5 + 4 + body.length];
        h[0] = 22;
        h[1] = 3;
        h[2] = 3;
        h[3] = (byte) ((body.length + 4) >> 8);
        h[4] = (byte) (body.length + 4);
        h[5] = 1;
        h[6] = 0;
        h[7] = (byte) (body.length >> 8);
        h[8] = (byte) body.length;
        System.arraycopy(body, 0, h, 9, body.length);
        return h;
    }
}
