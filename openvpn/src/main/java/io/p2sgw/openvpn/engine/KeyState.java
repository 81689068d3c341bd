package io.p2sgw.openvpn.engine;

import io.p2sgw.openvpn.wire.KeyMethod2;
import io.p2sgw.tls.TlsPipe;
import java.util.Optional;

/** One key_id: its own TLS session, reliability sequence, key method 2 exchange and data keys (openvpn.md §9.1). */
final class KeyState {
    final int keyId;
    final TlsPipe tls;
    final Reliability reliability;
    final long startedAt;
    Optional<KeyMethod2.ClientMessage> clientKm2 = Optional.empty();
    Optional<DataChannelKey> keys = Optional.empty();
    long serverKm2Id = -1;
    long expiresAt = Long.MAX_VALUE;

    KeyState(int keyId, TlsPipe tls, long tlsTimeoutMillis, long now) {
        this.keyId = keyId;
        this.tls = tls;
        this.reliability = new Reliability(tlsTimeoutMillis);
        this.startedAt = now;
    }

    /** Our key method 2 reached the client, so it has the keys: safe to send data on this key. */
    boolean readyToSend() {
        return keys.isPresent() && serverKm2Id >= 0 && reliability.isAcked(serverKm2Id);
    }

    /** key_id after {@code k}: 1..7, wrapping 7 -> 1; 0 only for the first key (openvpn.md §9.1). */
    static int nextKeyId(int k) {
        return k >= 7 ? 1 : k + 1;
    }
}
