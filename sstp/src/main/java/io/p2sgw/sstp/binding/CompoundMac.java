package io.p2sgw.sstp.binding;

import io.p2sgw.sstp.wire.CryptoBindingAttribute;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The crypto binding MAC ([MS-SSTP] 3.2.5.2.1-3.2.5.2.3, sstp.md §3.1):
 * CMK = PRF+(HLAK, "SSTP inner method derived CMK", L) with the first block
 * T1 = HMAC-H(HLAK, seed ‖ L as 2 bytes little-endian ‖ 0x01), which is already L bytes long;
 * Compound MAC = HMAC-H(CMK, the whole 112-byte CALL_CONNECTED with the Compound MAC field zeroed).
 */
public final class CompoundMac {
    /** The CMK seed: 29 ASCII bytes, no terminator ([MS-SSTP] 3.2.5.2.3). */
    static final byte[] CMK_SEED = "SSTP inner method derived CMK".getBytes(StandardCharsets.US_ASCII);

    private CompoundMac() {
    }

    /** The Compound Mac Key for {@code hash} from a 32-byte HLAK. */
    public static byte[] cmk(HashProtocol hash, byte[] hlak) {
        int l = hash.length();
        byte[] input = new byte[CMK_SEED.length + 3];
        System.arraycopy(CMK_SEED, 0, input, 0, CMK_SEED.length);
        input[CMK_SEED.length] = (byte) l;
        input[CMK_SEED.length + 1] = (byte) (l >>> 8);
        input[CMK_SEED.length + 2] = 0x01;
        return hash.hmac(hlak, input);
    }

    /**
     * The 32-byte Compound MAC field for a CALL_CONNECTED packet (112 bytes, header included): the HMAC, zero-padded
     * to 32 bytes for SHA-1. The packet's own MAC field is ignored (computed as zeros).
     */
    public static byte[] compute(HashProtocol hash, byte[] hlak, byte[] callConnected) {
        if (callConnected.length != CryptoBindingAttribute.CALL_CONNECTED_LENGTH) {
            throw new IllegalArgumentException("CALL_CONNECTED of " + callConnected.length + " bytes");
        }
        byte[] zeroed = callConnected.clone();
        Arrays.fill(zeroed, CryptoBindingAttribute.MAC_OFFSET,
                CryptoBindingAttribute.MAC_OFFSET + CryptoBindingAttribute.FIELD_LENGTH, (byte) 0);
        byte[] cmk = cmk(hash, hlak);
        try {
            return Arrays.copyOf(hash.hmac(cmk, zeroed), CryptoBindingAttribute.FIELD_LENGTH);
        } finally {
            Arrays.fill(cmk, (byte) 0); // STYLE 13: key bytes live no longer than needed (the JCA keeps its own copy)
        }
    }
}
