package io.p2sgw.openvpn.wire;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * tls-crypt v1 as the server (openvpn.md §4.3): wire layout
 * {@code op | sid(8) | pid(4) | time(4) | tag(32) | AES-256-CTR(rest)}, tag = HMAC-SHA256 over
 * {@code op | sid | pid | time | rest}, IV = tag[0..16). Server encrypts with Ke = key[0..32),
 * Ka = key[64..96) and decrypts with key[128..160), key[192..224).
 */
public final class TlsCryptWrap implements ControlWrap {
    public static final int TAG_LENGTH = 32;
    private static final int HEADER = 1 + 8;
    private static final int AUTHENTICATED_HEADER = HEADER + 8;
    /** op + sid + pid + time + tag + ack count. */
    public static final int MIN_WIRE_LENGTH = AUTHENTICATED_HEADER + TAG_LENGTH + 1;

    private final SecretKeySpec encKey;
    private final SecretKeySpec decKey;
    private final Mac sendMac;
    private final Mac recvMac;
    private final Cipher ctr;
    private final PacketIdWindow replay = new PacketIdWindow();
    private final long sendTime;
    private long sendCounter;

    public TlsCryptWrap(StaticKey key, long unixTime) {
        byte[] k = key.bytes();
        try {
            encKey = new SecretKeySpec(k, 0, 32, "AES");
            decKey = new SecretKeySpec(k, 128, 32, "AES");
            sendMac = Mac.getInstance("HmacSHA256");
            sendMac.init(new SecretKeySpec(k, 64, 32, "HmacSHA256"));
            recvMac = Mac.getInstance("HmacSHA256");
            recvMac.init(new SecretKeySpec(k, 192, 32, "HmacSHA256"));
            ctr = Cipher.getInstance("AES/CTR/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR / HmacSHA256 unavailable", e);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
        this.sendTime = unixTime;
    }

    @Override
    public byte[] wrap(byte[] plain) {
        long pid = ++sendCounter;
        byte[] out = new byte[plain.length + 8 + TAG_LENGTH];
        System.arraycopy(plain, 0, out, 0, HEADER);
        ByteBuffer.wrap(out, HEADER, 8).putInt((int) pid).putInt((int) sendTime);
        sendMac.update(out, 0, AUTHENTICATED_HEADER);
        sendMac.update(plain, HEADER, plain.length - HEADER);
        byte[] tag = sendMac.doFinal();
        System.arraycopy(tag, 0, out, AUTHENTICATED_HEADER, TAG_LENGTH);
        try {
            ctr.init(Cipher.ENCRYPT_MODE, encKey, new IvParameterSpec(tag, 0, 16));
            ctr.doFinal(plain, HEADER, plain.length - HEADER, out, AUTHENTICATED_HEADER + TAG_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR failed", e);
        }
        return out;
    }

    @Override
    public byte[] unwrap(byte[] wire) throws WireException {
        if (wire.length < MIN_WIRE_LENGTH) {
            throw new WireException(WireException.Code.TRUNCATED, "tls-crypt packet shorter than " + MIN_WIRE_LENGTH);
        }
        int ctOff = AUTHENTICATED_HEADER + TAG_LENGTH;
        byte[] plain = new byte[wire.length - 8 - TAG_LENGTH];
        System.arraycopy(wire, 0, plain, 0, HEADER);
        try {
            ctr.init(Cipher.DECRYPT_MODE, decKey, new IvParameterSpec(wire, AUTHENTICATED_HEADER, 16));
            ctr.doFinal(wire, ctOff, wire.length - ctOff, plain, HEADER);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR failed", e);
        }
        recvMac.update(wire, 0, AUTHENTICATED_HEADER);
        recvMac.update(plain, HEADER, plain.length - HEADER);
        byte[] expected = recvMac.doFinal();
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(wire, AUTHENTICATED_HEADER, ctOff))) {
            throw new WireException(WireException.Code.BAD_HMAC, "tls-crypt tag mismatch");
        }
        ByteBuffer ids = ByteBuffer.wrap(wire, HEADER, 8);
        long pid = ids.getInt() & 0xFFFFFFFFL;
        long time = ids.getInt() & 0xFFFFFFFFL;
        if (!replay.accept(pid, time)) {
            throw new WireException(WireException.Code.REPLAY, "tls-crypt packet id " + pid + " replayed or too old");
        }
        return plain;
    }

    @Override
    public int overhead() {
        return 8 + TAG_LENGTH;
    }

    @Override
    public String name() {
        return "tls-crypt";
    }
}
