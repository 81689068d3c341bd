package io.p2sgw.ikev2.crypto;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * SKEYSEED and the IKE SA keys (RFC 7296 §2.14), CHILD SA keys (§2.17) and the rekeyed SKEYSEED (§2.18); checked
 * against strongSwan 5.9.8 by the probe in ikev2.md §3 and against an independent implementation in the tests.
 */
public final class KeyDerivation {
    private KeyDerivation() {}

    /** SKEYSEED = prf(Ni | Nr, g^ir): the nonces are the key (HMAC PRFs take them whole). */
    public static byte[] skeyseed(PrfAlgorithm prf, byte[] ni, byte[] nr, byte[] sharedSecret) {
        return prf.prf(concat(ni, nr), sharedSecret);
    }

    /**
     * SKEYSEED' = prf(SK_d(old), g^ir(new) | Ni | Nr) for an IKE SA rekey. Responders keep the old PRF (ikev2.md
     * §3.5: strongSwan uses the old PRF for prf+ too, so we never let the PRF change).
     */
    public static byte[] rekeyedSkeyseed(PrfAlgorithm prf, byte[] oldSkD, byte[] sharedSecret, byte[] ni,
            byte[] nr) {
        return prf.prf(oldSkD, sharedSecret, ni, nr);
    }

    /** {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr). */
    public static IkeKeys ikeKeys(IkeSuite suite, byte[] skeyseed, byte[] ni, byte[] nr, long spiI, long spiR) {
        byte[] seed = ByteBuffer.allocate(ni.length + nr.length + 16).put(ni).put(nr).putLong(spiI).putLong(spiR)
                .array();
        byte[] km = suite.prf().prfPlus(skeyseed, seed, suite.keyMaterialLength());
        int prfLen = suite.prf().outputLength();
        int a = suite.integrityKeyLength();
        int e = suite.encryption().keyMaterialLength();
        int[] pos = {0};
        IkeKeys keys = new IkeKeys(take(km, pos, prfLen), take(km, pos, a), take(km, pos, a), take(km, pos, e),
                take(km, pos, e), take(km, pos, prfLen), take(km, pos, prfLen));
        Arrays.fill(km, (byte) 0);
        return keys;
    }

    /**
     * KEYMAT = prf+(SK_d, [g^ir(new) |] Ni | Nr), split encr_i | integ_i | encr_r | integ_r. {@code sharedSecret}
     * is present only for a CREATE_CHILD_SA with PFS.
     */
    public static ChildKeys childKeys(PrfAlgorithm prf, byte[] skD, EncryptionAlgorithm encryption,
            Optional<IntegrityAlgorithm> integrity, Optional<byte[]> sharedSecret, byte[] ni, byte[] nr) {
        byte[] seed = concat(sharedSecret.orElse(new byte[0]), concat(ni, nr));
        int e = encryption.keyMaterialLength();
        int a = integrity.map(IntegrityAlgorithm::keyLength).orElse(0);
        byte[] km = prf.prfPlus(skD, seed, 2 * (e + a));
        int[] pos = {0};
        ChildKeys keys = new ChildKeys(take(km, pos, e), take(km, pos, a), take(km, pos, e), take(km, pos, a));
        Arrays.fill(km, (byte) 0);
        return keys;
    }

    private static byte[] take(byte[] km, int[] pos, int n) {
        byte[] out = Arrays.copyOfRange(km, pos[0], pos[0] + n);
        pos[0] += n;
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
