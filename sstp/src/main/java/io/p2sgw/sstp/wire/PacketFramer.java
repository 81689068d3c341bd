package io.p2sgw.sstp.wire;

/**
 * Cuts the SSTP byte stream (after the HTTPS preamble) into packets ([MS-SSTP] 2.2.1, 3.1.5.1). One TLS record may hold
 * several packets or part of one: whole packets are handed on in place from the caller's buffer; only a packet split
 * across two reads is copied into this connection's own 4095-byte buffer. No allocation per packet.
 *
 * <p>A wrong version, a length below 4 (below 8 for a control packet) is a delineation failure: the stream can no
 * longer be trusted and the connection ends without sending anything ([MS-SSTP] 3.1.5.1, sstp.md §2.1).
 *
 * <p>Confined to the connection's thread.
 */
public final class PacketFramer {
    /** Gets each whole packet, header included; the bytes are valid only during the call. */
    public interface Sink {
        /** @return false to stop: the remaining bytes are not looked at (and not kept) */
        boolean packet(boolean control, byte[] buf, int off, int len);
    }

    /** What {@link #feed} found. */
    public enum Result { MORE, STOPPED, BAD_VERSION, BAD_LENGTH }

    private final byte[] partial = new byte[SstpHeader.MAX_PACKET];
    private int partialLength;
    /** The failure that ended the stream, or null. */
    private Result failure;

    /**
     * Hands every packet completed by {@code buf[off, off+len)} to {@code sink}, in order, and keeps an incomplete last
     * one for the next call. After a BAD_* result every later call returns the same failure.
     */
    public Result feed(byte[] buf, int off, int len, Sink sink) {
        if (failure != null) {
            return failure;
        }
        int end = off + len;
        if (partialLength > 0) {
            while (partialLength < SstpHeader.LENGTH && off < end) {
                partial[partialLength++] = buf[off++];
            }
            if (partialLength < SstpHeader.LENGTH) {
                return Result.MORE;
            }
            Result bad = check(partial, 0);
            if (bad != null) {
                return bad;
            }
            int packetLength = SstpHeader.packetLength(partial, 0);
            int take = Math.min(packetLength - partialLength, end - off);
            System.arraycopy(buf, off, partial, partialLength, take);
            partialLength += take;
            off += take;
            if (partialLength < packetLength) {
                return Result.MORE;
            }
            partialLength = 0;
            if (!sink.packet(SstpHeader.isControl(partial, 0), partial, 0, packetLength)) {
                return Result.STOPPED;
            }
        }
        while (end - off >= SstpHeader.LENGTH) {
            Result bad = check(buf, off);
            if (bad != null) {
                return bad;
            }
            int packetLength = SstpHeader.packetLength(buf, off);
            if (end - off < packetLength) {
                break;
            }
            if (!sink.packet(SstpHeader.isControl(buf, off), buf, off, packetLength)) {
                return Result.STOPPED;
            }
            off += packetLength;
        }
        partialLength = end - off;
        System.arraycopy(buf, off, partial, 0, partialLength);
        return Result.MORE;
    }

    private Result check(byte[] b, int i) {
        if ((b[i] & 0xFF) != SstpHeader.VERSION) {
            return fail(Result.BAD_VERSION);
        }
        int min = SstpHeader.isControl(b, i) ? SstpHeader.MIN_CONTROL_PACKET : SstpHeader.LENGTH;
        if (SstpHeader.packetLength(b, i) < min) {
            return fail(Result.BAD_LENGTH);
        }
        return null;
    }

    private Result fail(Result r) {
        failure = r;
        partialLength = 0;
        return r;
    }
}
