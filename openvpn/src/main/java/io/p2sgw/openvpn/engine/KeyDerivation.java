package io.p2sgw.openvpn.engine;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The 256-byte key2 block of a key_id (openvpn.md §6). */
public final class KeyDerivation {
    /** Label of the TLS exporter (ssl_backend.h EXPORT_KEY_DATA_LABEL), used with no context. */
    public static final String EKM_LABEL = "EXPORTER-OpenVPN-datakeys";
    public static final int KEY2_LENGTH = 256;
    private static final int MASTER_LENGTH = 48;

    private KeyDerivation() {}

    /**
     * Legacy OpenVPN PRF (openvpn.md §6.3): master = PRF(pre_master, "OpenVPN master secret" | c.r1 | s.r1),
     * key2 = PRF(master, "OpenVPN key expansion" | c.r2 | s.r2 | client sid | server sid).
     */
    public static byte[] legacyPrf(byte[] preMaster, byte[] clientRandom1, byte[] serverRandom1, byte[] clientRandom2,
            byte[] serverRandom2, long clientSessionId, long serverSessionId) {
        byte[] master = tls1Prf(preMaster, concat("OpenVPN master secret".getBytes(StandardCharsets.US_ASCII),
                clientRandom1, serverRandom1), MASTER_LENGTH);
        byte[] sids = ByteBuffer.allocate(16).putLong(clientSessionId).putLong(serverSessionId).array();
        return tls1Prf(master, concat("OpenVPN key expansion".getBytes(StandardCharsets.US_ASCII),
                clientRandom2, serverRandom2, sids), KEY2_LENGTH);
    }

    /** TLS 1.0 PRF (RFC 2246 §5): P_MD5(S1, seed) XOR P_SHA1(S2, seed), halves sharing the middle byte if odd. */
    static byte[] tls1Prf(byte[] secret, byte[] seed, int length) {
        int half = (secret.length + 1) / 2;
        byte[] s1 = java.util.Arrays.copyOfRange(secret, 0, half);
        byte[] s2 = java.util.Arrays.copyOfRange(secret, secret.length - half, secret.length);
        byte[] md5 = pHash("HmacMD5", s1, seed, length);
        byte[] sha1 = pHash("HmacSHA1", s2, seed, length);
        for (int i = 0; i < length; i++) {
            md5[i] ^= sha1[i];
        }
        return md5;
    }

    private static byte[] pHash(String alg, byte[] secret, byte[] seed, int length) {
        try {
            Mac mac = Mac.getInstance(alg);
            mac.init(new SecretKeySpec(secret, alg));
            byte[] out = new byte[length];
            byte[] a = seed;
            int pos = 0;
            while (pos < length) {
                a = mac.doFinal(a);
                mac.update(a);
                byte[] block = mac.doFinal(seed);
                int n = Math.min(block.length, length - pos);
                System.arraycopy(block, 0, out, pos, n);
                pos += n;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(alg + " unavailable", e);
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
