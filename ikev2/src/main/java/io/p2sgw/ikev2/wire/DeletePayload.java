package io.p2sgw.ikev2.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Delete payload (RFC 7296 §3.11; ikev2.md §1.7): D(IKE) has SPI size 0 and no SPIs; D(ESP) lists the sender's
 * inbound 4-byte SPIs.
 */
public record DeletePayload(int protocolId, List<Integer> espSpis) implements Payload {
    /** Protocol ID(1) + SPI Size(1) + Num of SPIs(2). */
    static final int FIXED = 4;
    static final int ESP_SPI_SIZE = 4;
    /** More than one client has CHILD SAs; the payload length bounds it anyway. */
    public static final int MAX_SPIS = 256;

    public DeletePayload {
        espSpis = List.copyOf(espSpis);
        if (protocolId == Proposal.PROTOCOL_IKE ? !espSpis.isEmpty() : espSpis.size() > MAX_SPIS) {
            throw new IllegalArgumentException("delete SPIs");
        }
    }

    public static DeletePayload ike() {
        return new DeletePayload(Proposal.PROTOCOL_IKE, List.of());
    }

    public static DeletePayload esp(List<Integer> spis) {
        return new DeletePayload(Proposal.PROTOCOL_ESP, spis);
    }

    static DeletePayload decode(byte[] b, int off, int end) {
        Bytes.require(off, FIXED, end, "Delete");
        int protocol = Bytes.u8(b, off);
        int spiSize = Bytes.u8(b, off + 1);
        int count = Bytes.u16(b, off + 2);
        switch (protocol) {
            case Proposal.PROTOCOL_IKE -> {
                if (spiSize != 0 || count != 0 || end != off + FIXED) {
                    throw IkeException.syntax("D(IKE) with SPI size " + spiSize + " and " + count + " SPIs");
                }
                return ike();
            }
            case Proposal.PROTOCOL_ESP, Proposal.PROTOCOL_AH -> {
                if (spiSize != ESP_SPI_SIZE || count > MAX_SPIS || end - off - FIXED != count * ESP_SPI_SIZE) {
                    throw IkeException.syntax("D(" + protocol + ") with SPI size " + spiSize + ", " + count
                            + " SPIs in " + (end - off - FIXED) + " bytes");
                }
                List<Integer> spis = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    spis.add(Bytes.u32(b, off + FIXED + i * ESP_SPI_SIZE));
                }
                return new DeletePayload(protocol, spis);
            }
            default -> throw IkeException.syntax("Delete for protocol " + protocol);
        }
    }

    @Override
    public PayloadType type() {
        return PayloadType.DELETE;
    }

    @Override
    public int bodyLength() {
        return FIXED + espSpis.size() * ESP_SPI_SIZE;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        boolean ike = protocolId == Proposal.PROTOCOL_IKE;
        out.put((byte) protocolId).put((byte) (ike ? 0 : ESP_SPI_SIZE)).putShort((short) espSpis.size());
        for (int spi : espSpis) {
            out.putInt(spi);
        }
    }
}
