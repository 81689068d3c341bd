package io.p2sgw.sstp.ppp;

import java.util.ArrayList;
import java.util.List;

/**
 * An EAP method for engine tests: type 13, sends Start (flags 0x20), then as many empty requests as {@code rounds},
 * then succeeds with a fixed MSK, or fails if the peer's data is {@code FF}.
 */
final class FakeEapMethod implements EapServerMethod {
    static final byte[] MSK = new byte[64];

    static {
        for (int i = 0; i < 64; i++) {
            MSK[i] = (byte) (0xC0 + i);
        }
    }

    final List<String> calls = new ArrayList<>();
    int rounds;

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
        calls.add("receive " + io.p2sgw.sstp.wire.Hex.hex(typeData));
        if (typeData.length > 0 && typeData[0] == (byte) 0xFF) {
            return new Step.Failure("certificate refused by policy");
        }
        if (rounds-- > 0) {
            return new Step.Request(new byte[] {0x00});
        }
        return new Step.Success(MSK, "CN=alice thumbprint 1234");
    }
}
