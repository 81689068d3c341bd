package io.p2sgw.ikev2.engine;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * An IKE SA after a successful IKE_AUTH: its IKE_SA_INIT state, where the client now is (usually port 4500,
 * ikev2.md §5.3), who it is, the address it leased and its first CHILD SA.
 *
 * @param nextMessageId the Message ID of the client's next request: 2 after one IKE_AUTH exchange, more after EAP's
 *     several (RFC 7296 §2.16); 0 for an IKE SA made by a rekey
 * @param authResponse the datagrams of our last IKE_AUTH response, resent byte for byte if the client retransmits
 *     that request (RFC 7296 §2.1); empty after a rekey
 */
public record EstablishedIkeSa(HalfOpenIkeSa init, InetSocketAddress peer, String identity,
        X509Certificate clientCertificate, byte[] virtualAddress, ChildSa child, boolean initialContact,
        int nextMessageId, List<byte[]> authResponse) {
    public EstablishedIkeSa {
        authResponse = authResponse.stream().map(byte[]::clone).toList();
    }

    /** An IKE SA made by a rekey (both directions at Message ID 0, ikev2.md §7.4). */
    public EstablishedIkeSa(HalfOpenIkeSa init, InetSocketAddress peer, String identity,
            X509Certificate clientCertificate, byte[] virtualAddress, ChildSa child, boolean initialContact) {
        this(init, peer, identity, clientCertificate, virtualAddress, child, initialContact, 0, List.of());
    }

    @Override
    public String toString() {
        return String.format("EstablishedIkeSa[%016x/%016x %s %s %s]", init.initiatorSpi(), init.responderSpi(),
                identity, peer, child);
    }
}
