package io.p2sgw.ikev2.engine;

import io.p2sgw.tls.eap.EapTlsPolicy;
import io.p2sgw.tls.eap.EapTlsServer;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The decisions IKE_AUTH asks of the gateway core (the BC TlsServer style of policy callbacks, STYLE.md §3): the one
 * certificate policy, the shared address pool and SPI allocation. Called on the IKE SA's thread; must not block.
 */
public interface IkeAuthHost {
    /** The verdict of the certificate policy on a client chain (end entity, then candidate intermediates). */
    sealed interface Verdict {
        /** {@code identity} names the session in logs and leases (e.g. the subject CN or thumbprint). */
        record Accepted(String identity) implements Verdict {}

        /** {@code reason} goes to the server log only; the client sees AUTHENTICATION_FAILED. */
        record Refused(String reason) implements Verdict {}
    }

    /**
     * Asked only after the client proved it holds the certificate's key (its AUTH verified, its IDi is in the
     * certificate), so a host may admit the client into the gateway here; it then releases that admission when the
     * exchange still ends in {@link IkeAction.AuthFailed} (no address, no ESP proposal, no selectors).
     */
    Verdict verifyClient(X509Certificate endEntity, List<X509Certificate> intermediates);

    /** An IPv4 address (4 bytes) for this identity from the pool, or empty when it is exhausted. */
    Optional<byte[]> leaseIpv4(String identity);

    /** A fresh inbound ESP SPI, ≥ 256 and unique among live SAs (ikev2.md §6.3). */
    int newInboundSpi();

    /**
     * The core's EAP-TLS method (RFC 5216) for a client whose IKE_AUTH asks for EAP (no AUTH payload, RFC 7296 §2.16;
     * Windows' EAP-TLS), or empty when this gateway offers no EAP (the client then gets AUTHENTICATION_FAILED).
     * {@code policy} is the engine's: it asks {@link #verifyClient} about the chain the client presents inside TLS, so
     * the one certificate policy decides as it does for signature AUTH. The default offers none.
     *
     * @param maxPacketLength the largest EAP packet the method may send (what fits an IKE message unfragmented)
     */
    default Optional<EapTlsServer> newEapTlsServer(EapTlsPolicy policy, int maxPacketLength) {
        return Optional.empty();
    }
}
