package io.p2sgw.openvpn.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** tls-auth and tls-crypt against layouts built by hand from openvpn.md §4.2 / §4.3. */
class WrapTest {
    private static final HexFormat HEX = HexFormat.of();
    static final byte[] KEY = new byte[256];
    static {
        for (int i = 0; i < 256; i++) {
            KEY[i] = (byte) (i * 7 + 3);
        }
    }
    private static final StaticKey STATIC = StaticKey.of(KEY);
    private static final long TIME = 0x5f000000L;
    private static final byte[] PLAIN = HEX.parseHex("38" + "0102030405060708" + "00" + "00000000");

    @Test
    void tlsAuthServerWrapGolden() throws Exception {
        byte[] ids = HEX.parseHex("00000001" + "5f000000");
        byte[] hmac = hmac(Arrays.copyOfRange(KEY, 64, 96), concat(ids, PLAIN));
        byte[] expected = concat(Arrays.copyOfRange(PLAIN, 0, 9), hmac, ids, Arrays.copyOfRange(PLAIN, 9, PLAIN.length));
        assertArrayEquals(expected, new TlsAuthWrap(STATIC, TIME).wrap(PLAIN));
    }

    @Test
    void tlsAuthUnwrapsClientPacketAndRejectsReplay() throws Exception {
        byte[] wire = clientTlsAuth(1, PLAIN);
        TlsAuthWrap server = new TlsAuthWrap(STATIC, TIME);
        assertArrayEquals(PLAIN, server.unwrap(wire));
        assertEquals(WireException.Code.REPLAY, assertThrows(WireException.class, () -> server.unwrap(wire)).code());
        assertArrayEquals(PLAIN, server.unwrap(clientTlsAuth(2, PLAIN)));
    }

    @Test
    void tlsAuthRejectsTamperingAndOwnDirection() throws Exception {
        byte[] wire = clientTlsAuth(1, PLAIN);
        wire[wire.length - 1] ^= 1;
        assertEquals(WireException.Code.BAD_HMAC, assertThrows(WireException.class, () -> new TlsAuthWrap(STATIC, TIME).unwrap(wire)).code());
        // A packet signed with the server's own sending key does not verify (directions are separate).
        byte[] reflected = new TlsAuthWrap(STATIC, TIME).wrap(PLAIN);
        assertEquals(WireException.Code.BAD_HMAC, assertThrows(WireException.class, () -> new TlsAuthWrap(STATIC, TIME).unwrap(reflected)).code());
        assertEquals(WireException.Code.TRUNCATED, assertThrows(WireException.class,
                () -> new TlsAuthWrap(STATIC, TIME).unwrap(new byte[TlsAuthWrap.MIN_WIRE_LENGTH - 1])).code());
    }

    @Test
    void tlsCryptServerWrapGolden() throws Exception {
        byte[] header = concat(Arrays.copyOfRange(PLAIN, 0, 9), HEX.parseHex("00000001" + "5f000000"));
        byte[] rest = Arrays.copyOfRange(PLAIN, 9, PLAIN.length);
        byte[] tag = hmac(Arrays.copyOfRange(KEY, 64, 96), concat(header, rest));
        byte[] ct = ctr(Arrays.copyOfRange(KEY, 0, 32), Arrays.copyOf(tag, 16), rest);
        assertArrayEquals(concat(header, tag, ct), new TlsCryptWrap(STATIC, TIME).wrap(PLAIN));
    }

    @Test
    void tlsCryptUnwrapsClientPacket() throws Exception {
        byte[] plain = HEX.parseHex("20" + "0102030405060708" + "01" + "00000000" + "a1a2a3a4a5a6a7a8" + "00000001" + "160301");
        TlsCryptWrap server = new TlsCryptWrap(STATIC, TIME);
        assertArrayEquals(plain, server.unwrap(clientTlsCrypt(1, plain)));
        assertEquals(WireException.Code.REPLAY, assertThrows(WireException.class, () -> server.unwrap(clientTlsCrypt(1, plain))).code());
        byte[] bad = clientTlsCrypt(2, plain);
        bad[bad.length - 2] ^= 0x40;
        assertEquals(WireException.Code.BAD_HMAC, assertThrows(WireException.class, () -> server.unwrap(bad)).code());
        assertEquals(WireException.Code.TRUNCATED, assertThrows(WireException.class, () -> server.unwrap(new byte[10])).code());
    }

    /** What a client (key-direction 1) sends: HMAC with key bytes 192..224. */
    static byte[] clientTlsAuth(int pid, byte[] plain) throws Exception {
        byte[] ids = ByteBuffer.allocate(8).putInt(pid).putInt((int) TIME).array();
        byte[] hmac = hmac(Arrays.copyOfRange(KEY, 192, 224), concat(ids, plain));
        return concat(Arrays.copyOfRange(plain, 0, 9), hmac, ids, Arrays.copyOfRange(plain, 9, plain.length));
    }

    /** What a tls-crypt client sends: Ke = key[128..160), Ka = key[192..224). */
    static byte[] clientTlsCrypt(int pid, byte[] plain) throws Exception {
        byte[] header = concat(Arrays.copyOfRange(plain, 0, 9), ByteBuffer.allocate(8).putInt(pid).putInt((int) TIME).array());
        byte[] rest = Arrays.copyOfRange(plain, 9, plain.length);
        byte[] tag = hmac(Arrays.copyOfRange(KEY, 192, 224), concat(header, rest));
        return concat(header, tag, ctr(Arrays.copyOfRange(KEY, 128, 160), Arrays.copyOf(tag, 16), rest));
    }

    static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(key, "HmacSHA256"));
        return m.doFinal(data);
    }

    static byte[] ctr(byte[] key, byte[] iv, byte[] data) throws Exception {
        Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        return c.doFinal(data);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }
}
