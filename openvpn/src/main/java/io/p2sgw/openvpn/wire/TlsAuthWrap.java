package io.p2sgw.openvpn.wire;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * tls-auth with HMAC-SHA256 as the server, key-direction 0 (openvpn.md §4.2): the wire layout is
 * {@code op | sid(8) | HMAC(32) | pid(4) | time(4) | rest}, the HMAC covers
 * {@code pid | time | op | sid | rest}. Sends with key bytes 64..96, verifies with 192..224.
 */
public final class TlsAuthWrap implements ControlWrap {
    /** HMAC-SHA256 output: the Azure profile's {@code auth SHA256}. */
    public static final int HMAC_LENGTH = 32;
    private static final int HEADER = 1 + 8;
    /** op + sid + hmac + pid + time + ack count. */
    public static final int MIN_WIRE_LENGTH = HEADER + HMAC_LENGTH + 8 + 1;

    private final Mac sendMac;
    private final Mac recvMac;
    private final PacketIdWindow replay = new PacketIdWindow();
    private final long sendTime;
    private long sendCounter;

    /** @param unixTime the replay-time value to send, fixed per session (openvpn.md §4.2) */
    public TlsAuthWrap(StaticKey key, long unixTime) {
        byte[] k = key.bytes();
        try {
            sendMac = Mac.getInstance("HmacSHA256");
            sendMac.init(new SecretKeySpec(k, 64, HMAC_LENGTH, "HmacSHA256"));
            recvMac = Mac.getInstance("HmacSHA256");
            recvMac.init(new SecretKeySpec(k, 192, HMAC_LENGTH, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
        this.sendTime = unixTime;
    }

    @Override
    public byte[] wrap(byte[] plain) {
        long pid = ++sendCounter;
        sendMac.update(ByteBuffer.allocate(8).putInt((int) pid).putInt((int) sendTime).array());
        sendMac.update(plain);
        byte[] hmac = sendMac.doFinal();
        ByteBuffer out = ByteBuffer.allocate(plain.length + HMAC_LENGTH + 8);
        out.put(plain, 0, HEADER).put(hmac).putInt((int) pid).putInt((int) sendTime).put(plain, HEADER, plain.length - HEADER);
        return out.array();
    }

    @Override
    public byte[] unwrap(byte[] wire) throws WireException {
        if (wire.length < MIN_WIRE_LENGTH) {
            throw new WireException(WireException.Code.TRUNCATED, "tls-auth packet shorter than " + MIN_WIRE_LENGTH);
        }
        int idOff = HEADER + HMAC_LENGTH;
        recvMac.update(wire, idOff, 8);
        recvMac.update(wire, 0, HEADER);
        recvMac.update(wire, idOff + 8, wire.length - idOff - 8);
        byte[] expected = recvMac.doFinal();
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(wire, HEADER, idOff))) {
            throw new WireException(WireException.Code.BAD_HMAC, "tls-auth HMAC mismatch");
        }
        ByteBuffer ids = ByteBuffer.wrap(wire, idOff, 8);
        long pid = ids.getInt() & 0xFFFFFFFFL;
        long time = ids.getInt() & 0xFFFFFFFFL;
        if (!replay.accept(pid, time)) {
            throw new WireException(WireException.Code.REPLAY, "tls-auth packet id " + pid + " replayed or too old");
        }
        byte[] plain = new byte[wire.length - HMAC_LENGTH - 8];
        System.arraycopy(wire, 0, plain, 0, HEADER);
        System.arraycopy(wire, idOff + 8, plain, HEADER, wire.length - idOff - 8);
        return plain;
    }

    @Override
    public int overhead() {
        return HMAC_LENGTH + 8;
    }

    @Override
    public String name() {
        return "tls-auth";
    }
}
