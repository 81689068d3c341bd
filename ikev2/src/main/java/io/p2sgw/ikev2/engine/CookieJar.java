package io.p2sgw.ikev2.engine;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless anti-DoS cookies (RFC 7296 §2.6): Cookie = VersionIDofSecret | HMAC-SHA256(secret, Ni | IPi | port |
 * SPIi), so a cookie is checked without keeping anything per initiator. The secret rotates every
 * {@code lifetime}; the previous one stays valid for one more period so a cookie handed out just before a rotation
 * still works. Time comes from the caller (sans-I/O). Confined to the responder's thread.
 */
final class CookieJar {
    /** One version byte plus a 32-byte HMAC: within the 1..64 bytes of RFC 7296 §3.10.1. */
    static final int COOKIE_LENGTH = 33;
    private static final int SECRET_LENGTH = 32;

    private final SecureRandom random;
    private final long lifetimeMillis;
    private byte[] current = new byte[SECRET_LENGTH];
    private byte[] previous = new byte[SECRET_LENGTH];
    private int version;
    private long rotatedAt;
    private boolean started;

    CookieJar(SecureRandom random, long lifetimeMillis) {
        this.random = random;
        this.lifetimeMillis = lifetimeMillis;
    }

    private void rotateIfDue(long now) {
        if (!started) {
            random.nextBytes(current);
            random.nextBytes(previous);
            rotatedAt = now;
            started = true;
            return;
        }
        while (now - rotatedAt >= lifetimeMillis) {
            previous = current;
            current = new byte[SECRET_LENGTH];
            random.nextBytes(current);
            version = (version + 1) & 0xFF;
            rotatedAt += lifetimeMillis;
            if (now - rotatedAt >= 2 * lifetimeMillis) {
                // Idle for long: both secrets are stale anyway.
                rotatedAt = now - lifetimeMillis;
            }
        }
    }

    byte[] issue(byte[] ni, InetSocketAddress peer, long spiI, long now) {
        rotateIfDue(now);
        return cookie(version, current, ni, peer, spiI);
    }

    boolean verify(byte[] cookie, byte[] ni, InetSocketAddress peer, long spiI, long now) {
        rotateIfDue(now);
        if (cookie.length != COOKIE_LENGTH) {
            return false;
        }
        int v = cookie[0] & 0xFF;
        if (v == version) {
            return MessageDigest.isEqual(cookie, cookie(version, current, ni, peer, spiI));
        }
        int prev = (version - 1) & 0xFF;
        return v == prev && MessageDigest.isEqual(cookie, cookie(prev, previous, ni, peer, spiI));
    }

    private static byte[] cookie(int version, byte[] secret, byte[] ni, InetSocketAddress peer, long spiI) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(ni);
            mac.update(peer.getAddress().getAddress());
            mac.update(ByteBuffer.allocate(10).putShort((short) peer.getPort()).putLong(spiI).array());
            byte[] h = mac.doFinal();
            byte[] out = new byte[COOKIE_LENGTH];
            out[0] = (byte) version;
            System.arraycopy(h, 0, out, 1, h.length);
            Arrays.fill(h, (byte) 0);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
