package io.p2sgw.ikev2.wire;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * A decoded IKE message: its header and its top-level payloads. For a protected message the last payload is an
 * {@link EncryptedPayload} or {@link EncryptedFragmentPayload} whose contents the crypto layer opens.
 */
public record IkeMessage(IkeHeader header, List<Payload> payloads) {
    public IkeMessage {
        payloads = List.copyOf(payloads);
    }

    /**
     * Decodes the {@code len}-byte message at {@code off} (a UDP payload with any non-ESP marker already removed),
     * checking every length; failures carry the notify that applies.
     */
    public static IkeMessage decode(byte[] buf, int off, int len) {
        IkeHeader h = IkeHeader.parse(buf, off, len);
        List<Payload> payloads =
                PayloadChain.decode(buf, off + IkeHeader.LENGTH, off + len, h.nextPayload(), off, false);
        return new IkeMessage(h, payloads);
    }

    /** The bytes {@link #encode} writes. */
    public static int encodedLength(List<? extends Payload> payloads) {
        return IkeHeader.LENGTH + PayloadChain.encodedLength(payloads);
    }

    /**
     * Writes header and payloads at the buffer's position; the header's Next Payload and Length are computed.
     * Returns the message length.
     */
    public static int encode(IkeHeader header, List<? extends Payload> payloads, ByteBuffer out) {
        int length = encodedLength(payloads);
        header.withNextPayload(PayloadChain.firstType(payloads)).withLength(length).encode(out);
        PayloadChain.encode(payloads, out);
        return length;
    }

    /** A fresh array holding the encoded message. */
    public static byte[] toBytes(IkeHeader header, List<? extends Payload> payloads) {
        ByteBuffer b = ByteBuffer.allocate(encodedLength(payloads));
        encode(header, payloads, b);
        return b.array();
    }

    public <T extends Payload> List<T> all(Class<T> kind) {
        return payloads.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    public <T extends Payload> Optional<T> first(Class<T> kind) {
        return payloads.stream().filter(kind::isInstance).map(kind::cast).findFirst();
    }

    public List<NotifyPayload> notifies(NotifyType type) {
        return all(NotifyPayload.class).stream().filter(n -> n.is(type)).toList();
    }

    public Optional<NotifyPayload> findNotify(NotifyType type) {
        return notifies(type).stream().findFirst();
    }
}
