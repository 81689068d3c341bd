package io.p2sgw.tls.eap;

import java.util.Objects;
import java.util.Optional;

/**
 * Why the EAP-TLS method discarded a packet or failed the peer, with the EAP code it answered with and, when TLS
 * itself failed, the TLS alert (RFC 8446 §6). The detail is for the log; it never holds key material.
 *
 * @param reason what went wrong
 * @param detail one line for the log
 * @param tlsAlert the TLS alert name (e.g. "certificate_required"), or null when TLS did not fail
 */
public record EapError(Reason reason, String detail, String tlsAlert) {
    /** The EAP code of what the method sends in answer: {@link EapPacket#FAILURE}, or {@link #NO_ANSWER}. */
    public static final int NO_ANSWER = 0;

    public enum Reason {
        /** A packet that fails a length or format check: discarded silently (RFC 3748 §4, §4.1). */
        MALFORMED_PACKET(NO_ANSWER),
        /**
         * A Request, Success or Failure, a Response whose Identifier is not the outstanding Request's, or a packet
         * after the method ended: discarded silently (RFC 3748 §4.1, §4.2).
         */
        UNEXPECTED_PACKET(NO_ANSWER),
        /** The peer answered with a Nak (type 3): it cannot or will not do EAP-TLS (RFC 3748 §5.3.1). */
        PEER_NAK(EapPacket.FAILURE),
        /** A Response of a type other than EAP-TLS (13) or Nak. */
        UNEXPECTED_TYPE(EapPacket.FAILURE),
        /** The EAP-TLS framing was broken: bad flags, an ack with data, data where an ack was due (RFC 5216 §2.1.5). */
        PROTOCOL_VIOLATION(EapPacket.FAILURE),
        /** A reassembled TLS message longer than {@link EapTlsFragment#MAX_TLS_MESSAGE_LENGTH} or than its L field. */
        MESSAGE_TOO_LONG(EapPacket.FAILURE),
        /** The TLS handshake failed; {@link #tlsAlert()} names the alert when JSSE gave one. */
        TLS_FAILED(EapPacket.FAILURE),
        /** The handshake ended without a client certificate. */
        NO_CLIENT_CERTIFICATE(EapPacket.FAILURE),
        /** The certificate policy refused the client's chain; the detail is the policy's reason. */
        POLICY_REFUSED(EapPacket.FAILURE),
        /** MSK/EMSK could not be exported (TLS 1.2 without the extended master secret, sstp.md §3.5). */
        KEY_EXPORT_FAILED(EapPacket.FAILURE);

        private final int eapCode;

        Reason(int eapCode) {
            this.eapCode = eapCode;
        }

        /** {@link EapPacket#FAILURE} or {@link EapError#NO_ANSWER}. */
        public int eapCode() {
            return eapCode;
        }
    }

    public EapError {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    static EapError of(Reason reason, String detail) {
        return new EapError(reason, detail, null);
    }

    /** The EAP code the method answered with ({@link EapPacket#FAILURE} or {@link #NO_ANSWER}). */
    public int eapCode() {
        return reason.eapCode();
    }

    public Optional<String> alert() {
        return Optional.ofNullable(tlsAlert);
    }

    @Override
    public String toString() {
        return reason + ": " + detail + (tlsAlert == null ? "" : " (TLS alert " + tlsAlert + ")");
    }
}
