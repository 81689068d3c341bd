package io.p2sgw.sstp.server;

/**
 * Which TLS versions a ClientHello offers, read from the first bytes the peer sends inside EAP-TLS: enough for
 * {@link EapTlsMethod} to keep the inner TLS at 1.2 (what pppd 2.4.9 and Windows 10 speak, sstp.md §4.3) and to allow
 * TLS 1.3 (RFC 9190) only for a client that does not offer 1.2 at all. Only the TLS record header, the handshake header
 * and the ClientHello's fields up to its extensions are read (RFC 8446 §5.1, §4, §4.1.2); the versions are those of the
 * supported_versions extension (§4.2.1), or TLS 1.2 and below when it is absent. Every length is checked against what
 * is there; anything short, malformed or not a ClientHello is {@link Offer#UNKNOWN}.
 */
public final class ClientHelloVersions {
    /** What the ClientHello offers, as far as the choice of the inner TLS version goes. */
    public enum Offer {
        /** TLS 1.2 is among the versions (with or without 1.3), or the client predates supported_versions. */
        TLS_1_2,
        /** TLS 1.3 and not 1.2: the client insists on 1.3. */
        TLS_1_3_ONLY,
        /** Neither, a truncated or malformed hello, or not a ClientHello at all. */
        UNKNOWN
    }

    static final int CONTENT_HANDSHAKE = 22;
    static final int HANDSHAKE_CLIENT_HELLO = 1;
    static final int RECORD_HEADER = 5;
    static final int HANDSHAKE_HEADER = 4;
    static final int RANDOM_LENGTH = 32;
    static final int MAX_SESSION_ID = 32;
    static final int EXTENSION_SUPPORTED_VERSIONS = 43;
    static final int TLS_1_2 = 0x0303;
    static final int TLS_1_3 = 0x0304;
    /** RFC 8446 §5.1: a TLSPlaintext fragment is at most 2^14 bytes. */
    static final int MAX_RECORD = 1 << 14;

    private ClientHelloVersions() {
    }

    /** The offer of the ClientHello starting at a TLS record header in {@code buf[off, off+len)}. */
    public static Offer of(byte[] buf, int off, int len) {
        if (off < 0 || len < 0 || off + len > buf.length || len < RECORD_HEADER) {
            return Offer.UNKNOWN;
        }
        if ((buf[off] & 0xFF) != CONTENT_HANDSHAKE) {
            return Offer.UNKNOWN;
        }
        int recordLength = u16(buf, off + 3);
        if (recordLength > MAX_RECORD) {
            return Offer.UNKNOWN;
        }
        // The hello may be longer than what arrived (a first EAP fragment): read what is there, never past it.
        int end = off + RECORD_HEADER + Math.min(recordLength, len - RECORD_HEADER);
        int p = off + RECORD_HEADER;
        if (end - p < HANDSHAKE_HEADER || (buf[p] & 0xFF) != HANDSHAKE_CLIENT_HELLO) {
            return Offer.UNKNOWN;
        }
        int helloLength = (buf[p + 1] & 0xFF) << 16 | u16(buf, p + 2);
        p += HANDSHAKE_HEADER;
        end = Math.min(end, p + helloLength);
        if (end - p < 2 + RANDOM_LENGTH + 1) {
            return Offer.UNKNOWN;
        }
        int legacyVersion = u16(buf, p);
        p += 2 + RANDOM_LENGTH;
        int sessionId = buf[p] & 0xFF;
        if (sessionId > MAX_SESSION_ID) {
            return Offer.UNKNOWN;
        }
        p += 1 + sessionId;
        if (end - p < 2) {
            return Offer.UNKNOWN;
        }
        p += 2 + u16(buf, p);
        if (end - p < 1) {
            return Offer.UNKNOWN;
        }
        p += 1 + (buf[p] & 0xFF);
        if (end - p < 2) {
            // No extensions (or not there yet): a pre-1.3 hello says its version in legacy_version.
            return end - p == 0 && p - off - RECORD_HEADER - HANDSHAKE_HEADER == helloLength
                    ? byLegacyVersion(legacyVersion) : Offer.UNKNOWN;
        }
        int extensionsEnd = Math.min(end, p + 2 + u16(buf, p));
        boolean complete = p + 2 + u16(buf, p) <= end;
        p += 2;
        while (extensionsEnd - p >= 4) {
            int type = u16(buf, p);
            int length = u16(buf, p + 2);
            p += 4;
            if (length > extensionsEnd - p) {
                return Offer.UNKNOWN;
            }
            if (type == EXTENSION_SUPPORTED_VERSIONS) {
                return supportedVersions(buf, p, length);
            }
            p += length;
        }
        // supported_versions absent: only a whole extension block proves it (else it may be in the next fragment).
        return complete && p == extensionsEnd ? byLegacyVersion(legacyVersion) : Offer.UNKNOWN;
    }

    private static Offer supportedVersions(byte[] buf, int p, int length) {
        if (length < 1) {
            return Offer.UNKNOWN;
        }
        int listLength = buf[p] & 0xFF;
        if (listLength + 1 != length || listLength % 2 != 0) {
            return Offer.UNKNOWN;
        }
        boolean tls12 = false;
        boolean tls13 = false;
        for (int i = p + 1; i < p + 1 + listLength; i += 2) {
            int v = u16(buf, i);
            tls12 |= v == TLS_1_2;
            tls13 |= v == TLS_1_3;
        }
        return tls12 ? Offer.TLS_1_2 : tls13 ? Offer.TLS_1_3_ONLY : Offer.UNKNOWN;
    }

    private static Offer byLegacyVersion(int legacyVersion) {
        return legacyVersion == TLS_1_2 ? Offer.TLS_1_2 : Offer.UNKNOWN;
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }
}
