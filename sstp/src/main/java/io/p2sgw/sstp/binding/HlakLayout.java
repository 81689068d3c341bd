package io.p2sgw.sstp.binding;

import java.util.Arrays;

/**
 * How a client builds the 32-byte Higher-Layer Authentication Key from the EAP-TLS MSK (sstp.md §3.2-3.4). The server
 * tries the allowed layouts in order and records which one matched. The spec's HLAK is the client's 32-byte
 * MPPE send key; real clients disagree on what that is.
 */
public enum HlakLayout {
    /**
     * MSK[0..31]: [MS-SSTP] 3.2.5.2.4 as Microsoft confirmed it (ppp-project/ppp#258), Windows, and sstpc with
     * pppd 2.5+ (32-byte MPPE keys).
     */
    MSK_FIRST_32,
    /**
     * MSK[0..15] ‖ MSK[32..47]: sstpc 1.0.18 + pppd 2.4.9 (Debian bookworm). pppd 2.4.9 keeps 16-byte MPPE keys
     * (send = key material 0..15, recv = 32..47, {@code eap-tls.c:eaptls_gen_mppe_keys}) and sstpc concatenates
     * send ‖ recv when keys are shorter than 32 bytes ({@code sstp-cmac.c:sstp_cmac_makekey}); sstp.md §3.3.
     */
    MSK_PPPD_249,
    /**
     * 32 zero bytes: what a client sends when its PPP layer yields no keys ([MS-SSTP] 3.2.5.2.4). Accepting it gives up
     * the man-in-the-middle protection the binding exists for: off unless configured (sstp.md §3.4).
     */
    ZERO;

    /** The EAP-TLS MSK is 64 bytes (RFC 5216 §2.3); these layouts read its first 48. */
    public static final int MIN_MSK_LENGTH = 48;
    public static final int HLAK_LENGTH = 32;

    /** This layout's HLAK from {@code msk}. */
    public byte[] hlak(byte[] msk) {
        if (this == ZERO) {
            return new byte[HLAK_LENGTH];
        }
        if (msk.length < MIN_MSK_LENGTH) {
            throw new IllegalArgumentException("MSK of " + msk.length + " bytes");
        }
        if (this == MSK_FIRST_32) {
            return Arrays.copyOf(msk, HLAK_LENGTH);
        }
        byte[] h = new byte[HLAK_LENGTH];
        System.arraycopy(msk, 0, h, 0, 16);
        System.arraycopy(msk, 32, h, 16, 16);
        return h;
    }
}
