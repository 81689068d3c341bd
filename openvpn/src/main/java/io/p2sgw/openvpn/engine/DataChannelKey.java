package io.p2sgw.openvpn.engine;

import io.p2sgw.openvpn.wire.DataPacketHeader;
import io.p2sgw.openvpn.wire.Opcode;
import io.p2sgw.openvpn.wire.PacketIdWindow;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One key_id's data-channel keys as the server (openvpn.md §6.1, §7.1): encrypt with key2[128..] and
 * implicit IV key2[192..200), decrypt with key2[0..] and key2[64..72). Nonce = packet-id(4) | implicit
 * IV(8); the 16-byte tag sits before the ciphertext on the wire. Not thread-safe.
 */
public final class DataChannelKey {
    /** Renegotiate before the packet-id reaches this (PACKET_ID_WRAP_TRIGGER). */
    public static final long PACKET_ID_WRAP_TRIGGER = 0xFF000000L;
    private static final int IMPLICIT_IV = 8;
    private static final int NONCE = 12;

    private final int keyId;
    private final DataCipher cipher;
    private final SecretKeySpec encKey;
    private final SecretKeySpec decKey;
    private final byte[] encIv = new byte[NONCE];
    private final byte[] decIv = new byte[NONCE];
    private final Cipher enc;
    private final Cipher dec;
    private final PacketIdWindow replay = new PacketIdWindow();
    private long sendPacketId;
    private byte[] scratch = new byte[2048];
    /** A view of the caller's (reused) output array, so encryption allocates no buffer per packet. */
    private byte[] outArray;
    private ByteBuffer outView;

    public DataChannelKey(int keyId, DataCipher cipher, byte[] key2) {
        if (key2.length != KeyDerivation.KEY2_LENGTH) {
            throw new IllegalArgumentException("key2 is 256 bytes");
        }
        this.keyId = keyId;
        this.cipher = cipher;
        int kl = cipher.keyLength();
        if (allZero(key2, 128, kl) || allZero(key2, 0, kl)) {
            // check_key(): an all-zero key means the derivation went wrong.
            throw new IllegalArgumentException("all-zero data key");
        }
        encKey = new SecretKeySpec(key2, 128, kl, cipher.keyAlgorithm());
        decKey = new SecretKeySpec(key2, 0, kl, cipher.keyAlgorithm());
        System.arraycopy(key2, 192, encIv, 4, IMPLICIT_IV);
        System.arraycopy(key2, 64, decIv, 4, IMPLICIT_IV);
        try {
            enc = Cipher.getInstance(cipher.transformation());
            dec = Cipher.getInstance(cipher.transformation());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(cipher + " unavailable", e);
        }
    }

    public int keyId() {
        return keyId;
    }

    public DataCipher cipher() {
        return cipher;
    }

    public long sentPacketId() {
        return sendPacketId;
    }

    /** Bytes a data packet adds to its payload (V2). */
    public static int overheadV2() {
        return DataPacketHeader.V2_HEADER + DataPacketHeader.TAG_LENGTH;
    }

    /**
     * Encrypts {@code plain} (position..limit, consumed) into {@code out} at {@code off} as P_DATA_V2.
     *
     * @return the packet length
     */
    public int encryptV2(ByteBuffer plain, int peerId, byte[] out, int off) {
        int len = plain.remaining();
        long pid = ++sendPacketId;
        out[off] = Opcode.DATA_V2.firstByte(keyId);
        out[off + 1] = (byte) (peerId >>> 16);
        out[off + 2] = (byte) (peerId >>> 8);
        out[off + 3] = (byte) peerId;
        putInt(out, off + 4, pid);
        putInt(encIv, 0, pid);
        int ctOff = off + DataPacketHeader.V2_HEADER + DataPacketHeader.TAG_LENGTH;
        try {
            enc.init(Cipher.ENCRYPT_MODE, encKey, params(encIv));
            enc.updateAAD(out, off, DataPacketHeader.V2_HEADER);
            if (out != outArray) {
                outArray = out;
                outView = ByteBuffer.wrap(out);
            }
            int n = enc.doFinal(plain, outView.clear().position(ctOff));
            if (n != len + DataPacketHeader.TAG_LENGTH) {
                throw new IllegalStateException("unexpected AEAD output length " + n);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AEAD encryption failed", e);
        }
        // JCA appends the tag; OpenVPN puts it before the ciphertext.
        System.arraycopy(out, ctOff + len, out, off + DataPacketHeader.V2_HEADER, DataPacketHeader.TAG_LENGTH);
        return DataPacketHeader.V2_HEADER + DataPacketHeader.TAG_LENGTH + len;
    }

    /**
     * Authenticates, decrypts and replay-checks one data packet.
     *
     * @return the plaintext length written to {@code out} at 0, or -1 if the packet is rejected
     */
    public int decrypt(byte[] buf, int off, int len, DataPacketHeader h, byte[] out) {
        int ctOff = off + h.headerLength() + DataPacketHeader.TAG_LENGTH;
        int ctLen = len - h.headerLength() - DataPacketHeader.TAG_LENGTH;
        if (scratch.length < ctLen + DataPacketHeader.TAG_LENGTH) {
            scratch = new byte[ctLen + DataPacketHeader.TAG_LENGTH];
        }
        System.arraycopy(buf, ctOff, scratch, 0, ctLen);
        System.arraycopy(buf, off + h.headerLength(), scratch, ctLen, DataPacketHeader.TAG_LENGTH);
        putInt(decIv, 0, h.packetId());
        int n;
        try {
            dec.init(Cipher.DECRYPT_MODE, decKey, params(decIv));
            if (h.opcode() == Opcode.DATA_V2) {
                dec.updateAAD(buf, off, DataPacketHeader.V2_HEADER);
            } else {
                // V1 authenticates only the packet-id (openvpn.md §7.1).
                dec.updateAAD(buf, off + 1, 4);
            }
            n = dec.doFinal(scratch, 0, ctLen + DataPacketHeader.TAG_LENGTH, out, 0);
        } catch (AEADBadTagException e) {
            return -1;
        } catch (GeneralSecurityException e) {
            return -1;
        }
        if (!replay.accept(h.packetId())) {
            return -1;
        }
        return n;
    }

    private AlgorithmParameterSpec params(byte[] nonce) {
        return cipher == DataCipher.CHACHA20_POLY1305 ? new IvParameterSpec(nonce) : new GCMParameterSpec(128, nonce);
    }

    private static void putInt(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static boolean allZero(byte[] b, int off, int len) {
        return Arrays.equals(b, off, off + len, new byte[len], 0, len);
    }
}
