package io.p2sgw.ikev2.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One proposal substructure (RFC 7296 §3.3.1; ikev2.md §1.3). Within a proposal the transforms of one type are
 * alternatives; a reply carries one proposal, numbered as the chosen one, with one transform per type.
 */
public record Proposal(int number, int protocolId, byte[] spi, List<Transform> transforms) {
    public static final int PROTOCOL_IKE = 1;
    public static final int PROTOCOL_AH = 2;
    public static final int PROTOCOL_ESP = 3;
    /** Last Substruc(1) + reserved(1) + Length(2) + Num(1) + Protocol(1) + SPI Size(1) + Num Transforms(1). */
    static final int FIXED = 8;
    static final int LAST = 0;
    static final int MORE = 2;
    /** SPI sizes that exist: 0 (IKE_SA_INIT), 4 (ESP/AH), 8 (IKE rekey). */
    public static final int MAX_SPI_SIZE = 8;

    public Proposal {
        spi = spi.clone();
        transforms = List.copyOf(transforms);
        if (number < 0 || number > 0xFF || protocolId < 0 || protocolId > 0xFF || spi.length > MAX_SPI_SIZE
                || transforms.size() > 0xFF) {
            throw new IllegalArgumentException("proposal field out of range");
        }
    }

    @Override
    public byte[] spi() {
        return spi.clone();
    }

    public List<Transform> transformsOf(int type) {
        return transforms.stream().filter(t -> t.type() == type).toList();
    }

    int encodedLength() {
        int n = FIXED + spi.length;
        for (Transform t : transforms) {
            n += t.encodedLength();
        }
        return n;
    }

    void encode(ByteBuffer out, boolean last) {
        out.put((byte) (last ? LAST : MORE)).put((byte) 0).putShort((short) encodedLength()).put((byte) number)
                .put((byte) protocolId).put((byte) spi.length).put((byte) transforms.size()).put(spi);
        for (int i = 0; i < transforms.size(); i++) {
            transforms.get(i).encode(out, i == transforms.size() - 1);
        }
    }

    static Proposal decode(byte[] b, int off, int end, boolean expectLast, int[] lengthOut) {
        Bytes.require(off, FIXED, end, "Proposal");
        int marker = Bytes.u8(b, off);
        if (marker != (expectLast ? LAST : MORE)) {
            throw IkeException.syntax("Proposal Last Substruc " + marker);
        }
        int length = Bytes.u16(b, off + 2);
        if (length < FIXED) {
            throw IkeException.syntax("Proposal Length " + length);
        }
        Bytes.require(off, length, end, "Proposal");
        int pEnd = off + length;
        int spiSize = Bytes.u8(b, off + 6);
        if (spiSize > MAX_SPI_SIZE) {
            throw IkeException.syntax("Proposal SPI size " + spiSize);
        }
        int count = Bytes.u8(b, off + 7);
        if (count == 0) {
            throw IkeException.syntax("Proposal without transforms");
        }
        Bytes.require(off + FIXED, spiSize, pEnd, "Proposal SPI");
        List<Transform> transforms = new ArrayList<>(count);
        int pos = off + FIXED + spiSize;
        int[] len = new int[1];
        for (int i = 0; i < count; i++) {
            transforms.add(Transform.decode(b, pos, pEnd, i == count - 1, len));
            pos += len[0];
        }
        if (pos != pEnd) {
            throw IkeException.syntax("Proposal has " + (pEnd - pos) + " bytes after its transforms");
        }
        lengthOut[0] = length;
        return new Proposal(Bytes.u8(b, off + 4), Bytes.u8(b, off + 5), Bytes.slice(b, off + FIXED, spiSize),
                transforms);
    }
}
