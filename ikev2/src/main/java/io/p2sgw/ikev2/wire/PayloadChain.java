package io.p2sgw.ikev2.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads and writes a chain of payloads linked by their Next Payload fields (RFC 7296 §3.2). Unknown payloads are
 * skipped unless their Critical bit is set, which fails with UNSUPPORTED_CRITICAL_PAYLOAD carrying the type.
 * SK and SKF must be last (§3.14, RFC 7383 §2.5) and cannot appear inside an SK.
 */
public final class PayloadChain {
    /** Critical bit in the generic header's second byte. */
    static final int CRITICAL = 0x80;
    /** A real message has about 15 payloads; Windows' IKE_AUTH about 20. */
    public static final int MAX_PAYLOADS = 64;

    private PayloadChain() {}

    /**
     * Decodes the chain in {@code buf[from, end)} starting with type {@code first}. {@code messageStart} is where the
     * IKE message begins in {@code buf}, so SK/SKF can record their offset within the message. {@code inner} is
     * true for a decrypted SK plaintext, where SK/SKF are not allowed.
     */
    public static List<Payload> decode(byte[] buf, int from, int end, int first, int messageStart, boolean inner) {
        List<Payload> payloads = new ArrayList<>();
        int next = first;
        int pos = from;
        int seen = 0;
        while (next != PayloadType.NONE) {
            if (++seen > MAX_PAYLOADS) {
                throw IkeException.syntax("more than " + MAX_PAYLOADS + " payloads");
            }
            Bytes.require(pos, Payload.HEADER_LENGTH, end, "payload header");
            int type = next;
            int following = Bytes.u8(buf, pos);
            boolean critical = (Bytes.u8(buf, pos + 1) & CRITICAL) != 0;
            int length = Bytes.u16(buf, pos + 2);
            if (length < Payload.HEADER_LENGTH) {
                throw IkeException.syntax("Payload Length " + length);
            }
            Bytes.require(pos, length, end, "payload of type " + type);
            int bodyStart = pos + Payload.HEADER_LENGTH;
            int bodyEnd = pos + length;
            Optional<PayloadType> known = PayloadType.of(type);
            if (known.isEmpty()) {
                if (critical) {
                    throw new IkeException(NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD, new byte[] {(byte) type},
                            "critical payload of unknown type " + type);
                }
            } else {
                PayloadType t = known.get();
                if (t == PayloadType.SK || t == PayloadType.SKF) {
                    if (inner) {
                        throw IkeException.syntax(t + " inside an encrypted payload");
                    }
                    if (bodyEnd != end) {
                        throw IkeException.syntax(t + " is not the last payload");
                    }
                    payloads.add(t == PayloadType.SK
                            ? EncryptedPayload.decode(following, buf, pos, messageStart, bodyEnd)
                            : EncryptedFragmentPayload.decode(following, buf, pos, messageStart, bodyEnd));
                    return payloads;
                }
                payloads.add(decodeBody(t, buf, bodyStart, bodyEnd));
            }
            next = following;
            pos = bodyEnd;
        }
        if (pos != end) {
            throw IkeException.syntax((end - pos) + " bytes after the last payload");
        }
        return payloads;
    }

    private static Payload decodeBody(PayloadType t, byte[] b, int off, int end) {
        return switch (t) {
            case SA -> SaPayload.decode(b, off, end);
            case KE -> KePayload.decode(b, off, end);
            case IDI -> IdPayload.decode(false, b, off, end);
            case IDR -> IdPayload.decode(true, b, off, end);
            case CERT -> CertPayload.decode(b, off, end);
            case CERTREQ -> CertRequestPayload.decode(b, off, end);
            case AUTH -> AuthPayload.decode(b, off, end);
            case NONCE -> NoncePayload.decode(b, off, end);
            case NOTIFY -> NotifyPayload.decode(b, off, end);
            case DELETE -> DeletePayload.decode(b, off, end);
            case VENDOR_ID -> VendorIdPayload.decode(b, off, end);
            case TSI -> TrafficSelectorPayload.decode(false, b, off, end);
            case TSR -> TrafficSelectorPayload.decode(true, b, off, end);
            case CP -> ConfigPayload.decode(b, off, end);
            case EAP -> EapPayload.decode(b, off, end);
            case SK, SKF -> throw new IllegalStateException("handled by the caller");
        };
    }

    /** The bytes {@link #encode} writes for these payloads. */
    public static int encodedLength(List<? extends Payload> payloads) {
        int n = 0;
        for (Payload p : payloads) {
            n += Payload.HEADER_LENGTH + p.bodyLength();
        }
        return n;
    }

    /** The type the chain starts with, for the IKE header's (or the SK header's) Next Payload. */
    public static int firstType(List<? extends Payload> payloads) {
        return payloads.isEmpty() ? PayloadType.NONE : payloads.getFirst().type().code();
    }

    /**
     * Writes the payloads with their generic headers at the buffer's position. SK/SKF, which must be last, carry the
     * type of their first inner payload as their Next Payload.
     */
    public static void encode(List<? extends Payload> payloads, ByteBuffer out) {
        for (int i = 0; i < payloads.size(); i++) {
            Payload p = payloads.get(i);
            int next;
            if (p instanceof EncryptedPayload sk) {
                next = sk.firstInnerType();
            } else if (p instanceof EncryptedFragmentPayload skf) {
                next = skf.firstInnerType();
            } else {
                next = i + 1 < payloads.size() ? payloads.get(i + 1).type().code() : PayloadType.NONE;
            }
            int length = Payload.HEADER_LENGTH + p.bodyLength();
            if (length > 0xFFFF) {
                throw new IllegalArgumentException(p.type() + " payload of " + length + " bytes");
            }
            out.put((byte) next).put((byte) 0).putShort((short) length);
            p.encodeBody(out);
        }
    }
}
