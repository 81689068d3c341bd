package io.p2sgw.tls;

/**
 * What a ClientHello offers, as far as the server's choice of TLS stack and version goes: the versions (TLS 1.2 and
 * 1.3) and whether the client offers the extended master secret (RFC 7627). Read from the first bytes a peer sends
 * inside EAP-TLS, before any TLS engine exists, so that the server can keep the inner TLS at 1.2 (what pppd 2.4.9 and
 * Windows 10 speak, sstp.md §4.3), allow TLS 1.3 (RFC 9190) only for a client that does not offer 1.2 at all, and key a
 * TLS 1.2 client without the extended master secret the RFC 5216 way (strongSwan 5.9.8's libtls is one).
 *
 * <p>Only the TLS record header, the handshake header and the ClientHello's fields are read (RFC 8446 §5.1, §4, §4.1.2;
 * RFC 5246 §7.4.1.2); the versions are those of the supported_versions extension (RFC 8446 §4.2.1), or TLS 1.2 when it
 * is absent and legacy_version says 1.2. Every length is checked against what is there. A hello cut short (a first EAP
 * fragment) still gives its versions when supported_versions was read, but {@link #lacksExtendedMasterSecret()} is true
 * only when the whole extension block was read and had no extended_master_secret.
 *
 * @param versions which versions are offered
 * @param lacksExtendedMasterSecret the whole hello was read and it offers no extended_master_secret (RFC 7627 §5.1)
 */
public record ClientHelloOffer(Versions versions, boolean lacksExtendedMasterSecret) {
    /** The versions a ClientHello offers. */
    public enum Versions {
        /** TLS 1.2 is among the versions (with or without 1.3), or the client predates supported_versions. */
        TLS_1_2,
        /** TLS 1.3 and not 1.2: the client insists on 1.3. */
        TLS_1_3_ONLY,
        /** Neither, a truncated or malformed hello, or not a ClientHello at all. */
        UNKNOWN
    }

    /** Nothing readable: the versions are unknown, and the extended master secret is not known to be missing. */
    public static final ClientHelloOffer UNKNOWN = new ClientHelloOffer(Versions.UNKNOWN, false);

    static final int CONTENT_HANDSHAKE = 22;
    static final int HANDSHAKE_CLIENT_HELLO = 1;
    static final int RECORD_HEADER = 5;
    static final int HANDSHAKE_HEADER = 4;
    static final int RANDOM_LENGTH = 32;
    static final int MAX_SESSION_ID = 32;
    /** RFC 7627 §5.1. */
    static final int EXTENSION_EXTENDED_MASTER_SECRET = 23;
    /** RFC 8446 §4.2.1. */
    static final int EXTENSION_SUPPORTED_VERSIONS = 43;
    static final int TLS_1_2 = 0x0303;
    static final int TLS_1_3 = 0x0304;
    /** RFC 8446 §5.1: a TLSPlaintext fragment is at most 2^14 bytes. */
    static final int MAX_RECORD = 1 << 14;

    public ClientHelloOffer {
        java.util.Objects.requireNonNull(versions, "versions");
    }

    /** The offer of the ClientHello starting at a TLS record header in {@code buf[off, off+len)}. */
    public static ClientHelloOffer of(byte[] buf, int off, int len) {
        if (off < 0 || len < 0 || off + len > buf.length || len < RECORD_HEADER) {
            return UNKNOWN;
        }
        if ((buf[off] & 0xFF) != CONTENT_HANDSHAKE) {
            return UNKNOWN;
        }
        int recordLength = u16(buf, off + 3);
        if (recordLength > MAX_RECORD) {
            return UNKNOWN;
        }
        // The hello may be longer than what arrived (a first EAP fragment): read what is there, never past it.
        int end = off + RECORD_HEADER + Math.min(recordLength, len - RECORD_HEADER);
        int p = off + RECORD_HEADER;
        if (end - p < HANDSHAKE_HEADER || (buf[p] & 0xFF) != HANDSHAKE_CLIENT_HELLO) {
            return UNKNOWN;
        }
        int helloLength = (buf[p + 1] & 0xFF) << 16 | u16(buf, p + 2);
        p += HANDSHAKE_HEADER;
        int helloEnd = p + helloLength;
        end = Math.min(end, helloEnd);
        if (end - p < 2 + RANDOM_LENGTH + 1) {
            return UNKNOWN;
        }
        int legacyVersion = u16(buf, p);
        p += 2 + RANDOM_LENGTH;
        int sessionId = buf[p] & 0xFF;
        if (sessionId > MAX_SESSION_ID) {
            return UNKNOWN;
        }
        p += 1 + sessionId;
        if (end - p < 2) {
            return UNKNOWN;
        }
        p += 2 + u16(buf, p);
        if (end - p < 1) {
            return UNKNOWN;
        }
        p += 1 + (buf[p] & 0xFF);
        if (p > end) {
            return UNKNOWN;
        }
        if (end - p < 2) {
            // No extensions at all (RFC 5246 §7.4.1.2 allows that): the version is legacy_version, and no extension
            // means no extended master secret. Only a hello that ends here proves it.
            return end - p == 0 && end == helloEnd
                    ? new ClientHelloOffer(byLegacyVersion(legacyVersion), true) : UNKNOWN;
        }
        int declaredEnd = p + 2 + u16(buf, p);
        int extensionsEnd = Math.min(end, declaredEnd);
        boolean complete = declaredEnd <= end;
        p += 2;
        Versions versions = null;
        boolean extendedMasterSecret = false;
        while (extensionsEnd - p >= 4) {
            int type = u16(buf, p);
            int length = u16(buf, p + 2);
            p += 4;
            if (length > extensionsEnd - p) {
                // Cut short by the fragment, or malformed: what was read stands, and nothing is known to be missing.
                break;
            }
            if (type == EXTENSION_SUPPORTED_VERSIONS) {
                versions = supportedVersions(buf, p, length);
                if (versions == Versions.UNKNOWN) {
                    return UNKNOWN;
                }
            } else if (type == EXTENSION_EXTENDED_MASTER_SECRET) {
                extendedMasterSecret = true;
            }
            p += length;
        }
        boolean whole = complete && p == extensionsEnd;
        if (versions == null) {
            // supported_versions absent: only a whole extension block proves it (else it may be in the next fragment).
            versions = whole ? byLegacyVersion(legacyVersion) : Versions.UNKNOWN;
        }
        return new ClientHelloOffer(versions, whole && !extendedMasterSecret);
    }

    private static Versions supportedVersions(byte[] buf, int p, int length) {
        if (length < 1) {
            return Versions.UNKNOWN;
        }
        int listLength = buf[p] & 0xFF;
        if (listLength + 1 != length || listLength % 2 != 0) {
            return Versions.UNKNOWN;
        }
        boolean tls12 = false;
        boolean tls13 = false;
        for (int i = p + 1; i < p + 1 + listLength; i += 2) {
            int v = u16(buf, i);
            tls12 |= v == TLS_1_2;
            tls13 |= v == TLS_1_3;
        }
        return tls12 ? Versions.TLS_1_2 : tls13 ? Versions.TLS_1_3_ONLY : Versions.UNKNOWN;
    }

    private static Versions byLegacyVersion(int legacyVersion) {
        return legacyVersion == TLS_1_2 ? Versions.TLS_1_2 : Versions.UNKNOWN;
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }
}
