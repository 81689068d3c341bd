package io.p2sgw.ikev2.engine;

import io.p2sgw.ikev2.wire.PayloadType;
import java.util.Arrays;
import java.util.Optional;

/**
 * Walks a payload chain by its generic headers alone (RFC 7296 §3.2: next payload, critical bit, 2-byte length), so a
 * test can pin a payload's bytes as they go on the wire without trusting the decoder under test.
 */
public final class RawPayloads {
    /** Offset of the first payload in an IKE message, and of its type in the header (RFC 7296 §3.1). */
    public static final int IKE_HEADER_LENGTH = 28;
    public static final int NEXT_PAYLOAD_OFFSET = 16;

    private RawPayloads() {}

    /** The first payload of type {@code wanted} in a whole unencrypted IKE message, header included. */
    public static Optional<byte[]> inMessage(byte[] message, PayloadType wanted) {
        return inChain(message, IKE_HEADER_LENGTH, message[NEXT_PAYLOAD_OFFSET] & 0xFF, wanted);
    }

    /** The first payload of type {@code wanted} in the chain at {@code off} whose first type is {@code first}. */
    public static Optional<byte[]> inChain(byte[] b, int off, int first, PayloadType wanted) {
        return nth(b, off, first, wanted, 0);
    }

    /** The {@code n}th (from 0) payload of type {@code wanted}, generic header included. */
    public static Optional<byte[]> nth(byte[] b, int off, int first, PayloadType wanted, int n) {
        int type = first;
        int seen = 0;
        while (type != 0) {
            if (off + 4 > b.length) {
                throw new AssertionError("generic header past the end at " + off);
            }
            int length = ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
            if (length < 4 || off + length > b.length) {
                throw new AssertionError("payload length " + length + " at " + off);
            }
            if (type == wanted.code() && seen++ == n) {
                return Optional.of(Arrays.copyOfRange(b, off, off + length));
            }
            type = b[off] & 0xFF;
            off += length;
        }
        return Optional.empty();
    }

    /** A generic payload header (RFC 7296 §3.2) followed by {@code body}, as we expect it on the wire. */
    public static byte[] payload(PayloadType next, byte[] body) {
        byte[] out = new byte[4 + body.length];
        out[0] = (byte) next.code();
        out[2] = (byte) (out.length >>> 8);
        out[3] = (byte) out.length;
        System.arraycopy(body, 0, out, 4, body.length);
        return out;
    }
}
