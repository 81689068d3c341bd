package io.p2sgw.openvpn.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.p2sgw.openvpn.wire.DataPacketHeader;
import io.p2sgw.openvpn.wire.WireException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The data channel against packets built by hand from openvpn.md §6.1 / §7.1 with plain JCA. */
class DataChannelKeyTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEY2 = new byte[256];
    static {
        for (int i = 0; i < 256; i++) {
            KEY2[i] = (byte) (i * 13 + 1);
        }
    }
    private static final byte[] IP = HEX.parseHex("4500001c0000000040110000ac10c9020a010004");

    @ParameterizedTest
    @EnumSource(DataCipher.class)
    void decryptsClientDataV2(DataCipher cipher) throws Exception {
        // Client -> server: key2[0..keylen), implicit IV key2[64..72); AAD = op|peer-id|pid.
        byte[] header = HEX.parseHex("48" + "000007" + "00000001");
        byte[] nonce = concat(HEX.parseHex("00000001"), Arrays.copyOfRange(KEY2, 64, 72));
        byte[] ctTag = aead(cipher, Cipher.ENCRYPT_MODE, Arrays.copyOfRange(KEY2, 0, cipher.keyLength()), nonce, header, IP);
        byte[] packet = concat(header, Arrays.copyOfRange(ctTag, IP.length, ctTag.length), Arrays.copyOf(ctTag, IP.length));
        DataChannelKey key = new DataChannelKey(0, cipher, KEY2);
        DataPacketHeader h = DataPacketHeader.parse(packet, 0, packet.length);
        assertEquals(7, h.peerId());
        byte[] out = new byte[2048];
        int n = key.decrypt(packet, 0, packet.length, h, out);
        assertArrayEquals(IP, Arrays.copyOf(out, n));
        assertEquals(-1, key.decrypt(packet, 0, packet.length, h, out), "replayed packet");
        packet[packet.length - 1] ^= 1;
        DataChannelKey fresh = new DataChannelKey(0, cipher, KEY2);
        assertEquals(-1, fresh.decrypt(packet, 0, packet.length, h, out), "tampered packet");
    }

    @ParameterizedTest
    @EnumSource(DataCipher.class)
    void decryptsClientDataV1(DataCipher cipher) throws Exception {
        // P_DATA_V1 authenticates only the packet-id.
        byte[] pid = HEX.parseHex("00000005");
        byte[] nonce = concat(pid, Arrays.copyOfRange(KEY2, 64, 72));
        byte[] ctTag = aead(cipher, Cipher.ENCRYPT_MODE, Arrays.copyOfRange(KEY2, 0, cipher.keyLength()), nonce, pid, IP);
        byte[] packet = concat(HEX.parseHex("31"), pid, Arrays.copyOfRange(ctTag, IP.length, ctTag.length), Arrays.copyOf(ctTag, IP.length));
        DataPacketHeader h = DataPacketHeader.parse(packet, 0, packet.length);
        assertEquals(1, h.keyId());
        byte[] out = new byte[2048];
        int n = new DataChannelKey(1, cipher, KEY2).decrypt(packet, 0, packet.length, h, out);
        assertArrayEquals(IP, Arrays.copyOf(out, n));
    }

    @ParameterizedTest
    @EnumSource(DataCipher.class)
    void encryptsServerDataV2(DataCipher cipher) throws Exception {
        DataChannelKey key = new DataChannelKey(3, cipher, KEY2);
        byte[] out = new byte[2048];
        int n = key.encryptV2(ByteBuffer.wrap(IP), 0x010203, out, 2);
        byte[] packet = Arrays.copyOfRange(out, 2, 2 + n);
        byte[] header = HEX.parseHex("4b" + "010203" + "00000001");
        assertArrayEquals(header, Arrays.copyOf(packet, 8));
        // Server -> client: key2[128..], implicit IV key2[192..200).
        byte[] nonce = concat(HEX.parseHex("00000001"), Arrays.copyOfRange(KEY2, 192, 200));
        byte[] ctTag = concat(Arrays.copyOfRange(packet, 24, packet.length), Arrays.copyOfRange(packet, 8, 24));
        byte[] plain = aead(cipher, Cipher.DECRYPT_MODE, Arrays.copyOfRange(KEY2, 128, 128 + cipher.keyLength()), nonce, header, ctTag);
        assertArrayEquals(IP, plain);
        assertEquals(1, key.sentPacketId());
    }

    @ParameterizedTest
    @EnumSource(DataCipher.class)
    void truncatedPacketsAreTypedErrors(DataCipher ignored) {
        assertEquals(WireException.Code.TRUNCATED, assertThrows(WireException.class,
                () -> DataPacketHeader.parse(HEX.parseHex("48000001000000010000"), 0, 10)).code());
        assertEquals(WireException.Code.BAD_OPCODE, assertThrows(WireException.class,
                () -> DataPacketHeader.parse(new byte[40], 0, 40)).code());
        assertEquals(WireException.Code.TRUNCATED, assertThrows(WireException.class,
                () -> DataPacketHeader.parse(new byte[0], 0, 0)).code());
    }

    static byte[] aead(DataCipher cipher, int mode, byte[] key, byte[] nonce, byte[] aad, byte[] data) throws Exception {
        Cipher c = Cipher.getInstance(cipher == DataCipher.CHACHA20_POLY1305 ? "ChaCha20-Poly1305" : "AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(key, cipher == DataCipher.CHACHA20_POLY1305 ? "ChaCha20" : "AES"),
                cipher == DataCipher.CHACHA20_POLY1305 ? new IvParameterSpec(nonce) : new GCMParameterSpec(128, nonce));
        c.updateAAD(aad);
        return c.doFinal(data);
    }

    static byte[] concat(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }
}
