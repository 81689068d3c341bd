package io.p2sgw.ikev2.engine;

import io.p2sgw.ikev2.crypto.IkeKeys;
import io.p2sgw.ikev2.crypto.IkeSuite;
import java.net.InetSocketAddress;

/**
 * What IKE_SA_INIT leaves for IKE_AUTH (ikev2.md §2.2 step 5): the SPIs, the suite, the keys, the nonces, and the
 * exact bytes of both messages, which the AUTH payloads sign (RealMessage1/2, RFC 7296 §2.15). Immutable; the byte
 * arrays are handed over, not copied, because this is the responder's own state.
 *
 * @param peerFragmentation the initiator announced IKEV2_FRAGMENTATION_SUPPORTED and so did we (RFC 7383 §2.3)
 * @param peerSignatureHashes the hash ids of the initiator's SIGNATURE_HASH_ALGORITHMS (RFC 7427 §4), empty if none
 */
public record HalfOpenIkeSa(long initiatorSpi, long responderSpi, InetSocketAddress peer, InetSocketAddress local,
        IkeSuite suite, IkeKeys keys, byte[] initiatorNonce, byte[] responderNonce, byte[] requestMessage,
        byte[] responseMessage, NatDetection.Result nat, boolean peerFragmentation, int[] peerSignatureHashes,
        long createdAtMillis) {

    @Override
    public String toString() {
        return String.format("HalfOpenIkeSa[%016x/%016x %s %s nat=%s]", initiatorSpi, responderSpi, peer, suite, nat);
    }
}
