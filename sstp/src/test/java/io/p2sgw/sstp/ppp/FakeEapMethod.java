package io.p2sgw.sstp.ppp;

import io.p2sgw.testkit.bytes.Hex;
import java.util.ArrayList;
import java.util.List;

/**
 * The one fake EAP method of the sstp tests (PPP engine and SSTP connection): type 13, sends Start (flags 0x20), then as
 * many empty requests as {@link #rounds}, then succeeds with {@link #msk} naming {@link #subject}, or fails with
 * {@link #refusal} if the peer's type data starts with {@code FF} (a refused certificate).
 *
 * <p>It stays in this module's tests rather than the testkit: it implements {@link EapServerMethod}, and the testkit
 * cannot depend on a protocol module whose tests depend on the testkit.
 */
public final class FakeEapMethod implements EapServerMethod {
    /** The MSK of a success unless a test sets another: bytes C0, C1, ... FF. */
    public static final byte[] MSK = new byte[64];

    static {
        for (int i = 0; i < 64; i++) {
            MSK[i] = (byte) (0xC0 + i);
        }
    }

    public final List<String> calls = new ArrayList<>();
    /** Empty Requests before the success. */
    public int rounds;
    public byte[] msk = MSK;
    public String subject = "CN=alice thumbprint 1234";
    public String refusal = "certificate refused by policy";

    @Override
    public int type() {
        return EapPacket.TYPE_TLS;
    }

    @Override
    public Step start(String identity, int maxTypeData) {
        calls.add("start " + identity + " " + maxTypeData);
        return new Step.Request(new byte[] {0x20});
    }

    @Override
    public Step receive(byte[] typeData) {
        calls.add("receive " + Hex.hex(typeData));
        if (typeData.length > 0 && typeData[0] == (byte) 0xFF) {
            return new Step.Failure(refusal);
        }
        if (rounds-- > 0) {
            return new Step.Request(new byte[] {0x00});
        }
        return new Step.Success(msk, subject);
    }
}
