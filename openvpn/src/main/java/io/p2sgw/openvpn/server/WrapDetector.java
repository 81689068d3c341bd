package io.p2sgw.openvpn.server;

import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.openvpn.wire.ControlWrap;
import io.p2sgw.openvpn.wire.Opcode;
import io.p2sgw.openvpn.wire.StaticKey;
import io.p2sgw.openvpn.wire.TlsAuthWrap;
import io.p2sgw.openvpn.wire.TlsCryptWrap;
import io.p2sgw.openvpn.wire.WireException;
import java.util.Optional;

/**
 * Decides, on the first packet of a session and before any TLS state exists, whether it is a client
 * reset wrapped with the gateway's static key as tls-auth (tried first, the Azure profile) or as
 * tls-crypt (openvpn.md §4.6). Anything else is dropped at the cost of one HMAC.
 */
final class WrapDetector {
    private WrapDetector() {}

    /**
     * {@link #detect(StaticKey, byte[], long)} with the gateway's key from the snapshot; empty (drop the packet) when
     * the snapshot has no OpenVPN key.
     */
    static Optional<ControlWrap> detect(GatewaySnapshot snapshot, byte[] packet, long unixTime) {
        if (!isClientReset(packet)) {
            return Optional.empty();
        }
        return StaticKey.from(snapshot).flatMap(key -> detect(key, packet, unixTime));
    }

    /** A fresh wrap of the kind that verified, for the new session; empty = drop the packet. */
    static Optional<ControlWrap> detect(StaticKey key, byte[] packet, long unixTime) {
        if (!isClientReset(packet)) {
            return Optional.empty();
        }
        try {
            new TlsAuthWrap(key, unixTime).unwrap(packet);
            return Optional.of(new TlsAuthWrap(key, unixTime));
        } catch (WireException e) {
            // not tls-auth; try tls-crypt
        }
        try {
            new TlsCryptWrap(key, unixTime).unwrap(packet);
            return Optional.of(new TlsCryptWrap(key, unixTime));
        } catch (WireException e) {
            return Optional.empty();
        }
    }

    /** P_CONTROL_HARD_RESET_CLIENT_V2 with key_id 0 (V3 = tls-crypt-v2 is not offered). */
    static boolean isClientReset(byte[] packet) {
        return packet.length > 0 && packet[0] == Opcode.CONTROL_HARD_RESET_CLIENT_V2.firstByte(0);
    }

    /** The client session id of a reset packet (bytes 1..9, outside the encryption in both wrappings). */
    static long sessionIdOf(byte[] packet) {
        return sessionIdOf(packet, 0, packet.length);
    }

    /** The sender's session id of a control packet in {@code buf[off, off+len)} (bytes 1..9 of the packet). */
    static long sessionIdOf(byte[] buf, int off, int len) {
        long v = 0;
        for (int i = 1; i <= 8 && i < len; i++) {
            v = v << 8 | (buf[off + i] & 0xFF);
        }
        return v;
    }
}
