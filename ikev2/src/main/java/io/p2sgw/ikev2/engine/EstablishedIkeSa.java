package io.p2sgw.ikev2.engine;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;

/**
 * An IKE SA after a successful IKE_AUTH: its IKE_SA_INIT state, where the client now is (usually port 4500,
 * ikev2.md §5.3), who it is, the address it leased and its first CHILD SA.
 */
public record EstablishedIkeSa(HalfOpenIkeSa init, InetSocketAddress peer, String identity,
        X509Certificate clientCertificate, byte[] virtualAddress, ChildSa child, boolean initialContact) {
    @Override
    public String toString() {
        return String.format("EstablishedIkeSa[%016x/%016x %s %s %s]", init.initiatorSpi(), init.responderSpi(),
                identity, peer, child);
    }
}
