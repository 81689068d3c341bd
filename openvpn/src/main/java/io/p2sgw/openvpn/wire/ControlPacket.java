package io.p2sgw.openvpn.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A control-channel packet in its unwrapped ("plain") layout (openvpn.md §2.3):
 * {@code op/kid | own sid(8) | n(1) | acks(4n) | [remote sid(8) if n>0] | [msg id(4), not in ACK_V1] | payload}.
 * tls-auth and tls-crypt convert between this layout and the wire.
 *
 * @param sessionId       the sender's own session id
 * @param acks            acknowledged message ids (at most {@link #MAX_ACKS})
 * @param remoteSessionId the receiver's session id; meaningful only when {@code acks} is not empty
 * @param messageId       the reliable-layer id; ignored for {@link Opcode#ACK_V1}
 */
public record ControlPacket(
        Opcode opcode, int keyId, long sessionId, List<Long> acks, long remoteSessionId, long messageId, byte[] payload) {
    /** A receiver drops packets with more than 8 ACKs (reliable.c RELIABLE_ACK_SIZE). */
    public static final int MAX_ACKS = 8;
    /** op(1) + sid(8) + n(1). */
    public static final int MIN_LENGTH = 10;

    public ControlPacket {
        if (!opcode.isControl()) {
            throw new IllegalArgumentException("not a control opcode: " + opcode);
        }
        if (keyId < 0 || keyId > Opcode.KEY_ID_MASK) {
            throw new IllegalArgumentException("key_id out of range: " + keyId);
        }
        acks = List.copyOf(acks);
        if (acks.size() > MAX_ACKS) {
            throw new IllegalArgumentException("at most " + MAX_ACKS + " ACKs");
        }
        payload = payload.clone();
    }

    public boolean hasMessageId() {
        return opcode != Opcode.ACK_V1;
    }

    public int encodedLength() {
        return MIN_LENGTH + 4 * acks.size() + (acks.isEmpty() ? 0 : 8) + (hasMessageId() ? 4 : 0) + payload.length;
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(encodedLength());
        b.put(opcode.firstByte(keyId)).putLong(sessionId).put((byte) acks.size());
        for (long a : acks) {
            b.putInt((int) a);
        }
        if (!acks.isEmpty()) {
            b.putLong(remoteSessionId);
        }
        if (hasMessageId()) {
            b.putInt((int) messageId);
        }
        b.put(payload);
        return b.array();
    }

    /** Parses the plain layout; every length is checked before it is read. */
    public static ControlPacket decode(byte[] plain) throws WireException {
        ByteBuffer b = ByteBuffer.wrap(plain);
        if (b.remaining() < MIN_LENGTH) {
            throw new WireException(WireException.Code.TRUNCATED, "control packet shorter than " + MIN_LENGTH);
        }
        int first = b.get() & 0xFF;
        Opcode op = Opcode.ofFirstByte(first)
                .filter(Opcode::isControl)
                .orElseThrow(() -> new WireException(WireException.Code.BAD_OPCODE, "opcode " + (first >>> 3)));
        long sid = b.getLong();
        int n = b.get() & 0xFF;
        if (n > MAX_ACKS) {
            throw new WireException(WireException.Code.TOO_MANY_ACKS, n + " ACKs");
        }
        int need = 4 * n + (n > 0 ? 8 : 0) + (op != Opcode.ACK_V1 ? 4 : 0);
        if (b.remaining() < need) {
            throw new WireException(WireException.Code.TRUNCATED, "ACK block or message id cut short");
        }
        List<Long> acks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            acks.add(b.getInt() & 0xFFFFFFFFL);
        }
        long rsid = n > 0 ? b.getLong() : 0;
        long mid = op != Opcode.ACK_V1 ? b.getInt() & 0xFFFFFFFFL : 0;
        if (op == Opcode.ACK_V1 && b.hasRemaining()) {
            throw new WireException(WireException.Code.BAD_LENGTH, "P_ACK_V1 carries no payload");
        }
        byte[] payload = new byte[b.remaining()];
        b.get(payload);
        return new ControlPacket(op, Opcode.keyIdOf(first), sid, acks, rsid, mid, payload);
    }
}
