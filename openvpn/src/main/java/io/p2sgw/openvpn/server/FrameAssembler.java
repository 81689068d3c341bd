package io.p2sgw.openvpn.server;

import java.nio.ByteBuffer;

/**
 * OpenVPN's TCP framing (openvpn.md §2.1: every packet is preceded by its length as a big-endian u16), taken from
 * bytes as they arrive: whole packets are handed on in place, straight from the reader's buffer; only a packet split
 * across two reads is copied, into this connection's own buffer, until its rest arrives. No allocation per packet.
 */
final class FrameAssembler {
    /** Gets each whole packet; the bytes are valid only during the call. */
    interface Sink {
        /** @return false to stop: the rest of the bytes are not looked at */
        boolean packet(byte[] buf, int off, int len);
    }

    /** What {@link #feed} found. */
    enum Result { MORE, STOPPED, BAD_LENGTH }

    private final int maxPacket;
    /** A packet (with its length prefix) split across reads: its first {@link #partialLength} bytes. */
    private final byte[] partial;
    private int partialLength;
    /** The length of the last refused packet, for the log. */
    private int badLength;

    FrameAssembler(int maxPacket) {
        this.maxPacket = maxPacket;
        this.partial = new byte[2 + maxPacket];
    }

    /**
     * Hands every packet completed by {@code bytes} (position to limit of a heap buffer) to {@code sink}, in order,
     * and keeps an incomplete last one. The buffer's position is left where it was.
     *
     * @return {@link Result#BAD_LENGTH} when a length is 0 or above the maximum: the stream has lost its framing and
     *         the connection must end (openvpn.md §2.1); {@link Result#STOPPED} when the sink said so
     */
    Result feed(ByteBuffer bytes, Sink sink) {
        byte[] in = bytes.array();
        int off = bytes.arrayOffset() + bytes.position();
        int end = bytes.arrayOffset() + bytes.limit();
        if (partialLength > 0) {
            // Complete the length prefix first, then the packet it announces.
            while (partialLength < 2 && off < end) {
                partial[partialLength++] = in[off++];
            }
            if (partialLength < 2) {
                return Result.MORE;
            }
            int len = lengthAt(partial, 0);
            if (len == 0 || len > maxPacket) {
                return bad(len);
            }
            int take = Math.min(2 + len - partialLength, end - off);
            System.arraycopy(in, off, partial, partialLength, take);
            partialLength += take;
            off += take;
            if (partialLength < 2 + len) {
                return Result.MORE;
            }
            partialLength = 0;
            if (!sink.packet(partial, 2, len)) {
                return Result.STOPPED;
            }
        }
        while (end - off >= 2) {
            int len = lengthAt(in, off);
            if (len == 0 || len > maxPacket) {
                return bad(len);
            }
            if (end - off < 2 + len) {
                break;
            }
            if (!sink.packet(in, off + 2, len)) {
                return Result.STOPPED;
            }
            off += 2 + len;
        }
        int rest = end - off;
        System.arraycopy(in, off, partial, 0, rest);
        partialLength = rest;
        return Result.MORE;
    }

    /** The length of the packet that broke the framing (after {@link Result#BAD_LENGTH}). */
    int badLength() {
        return badLength;
    }

    private Result bad(int len) {
        badLength = len;
        partialLength = 0;
        return Result.BAD_LENGTH;
    }

    private static int lengthAt(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }
}
