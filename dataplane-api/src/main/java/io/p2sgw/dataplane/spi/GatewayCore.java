package io.p2sgw.dataplane.spi;

import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.TrustedCertificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/** What the data-plane core offers protocol servers. Thread-safe. */
public interface GatewayCore {
    /** The snapshot in force, if a gateway is configured. Readers get an immutable value; never cache it long. */
    Optional<GatewaySnapshot> snapshot();

    /**
     * The trusted certificates ({@code vpnClientRootCertificates}) of the snapshot in force, empty without one: the
     * CA names of an EAP-TLS CertificateRequest (SSTP's PPP and IKEv2's EAP both ask for them per handshake, so an
     * uploaded or removed root shows from the next handshake on). Naming is not trusting: {@link #admit} decides.
     */
    default List<X509Certificate> trustedCertificates() {
        return snapshot().map(GatewaySnapshot::trustedCertificates).orElse(List.of()).stream()
                .map(TrustedCertificate::certificate).toList();
    }

    /**
     * Applies the certificate policy, the SKU limit for the tunnel type and the address pool. Never
     * blocks on I/O. A refusal is also logged and reported as a {@code REFUSED} session event by the core.
     */
    Admission admit(AdmissionRequest request);

    /**
     * Admits a client again into its live session, make-before-break: IKEv2 reauthentication (RFC 7296 §2.8.3) sets
     * up a new IKE SA, and so a new protocol endpoint, while the old one still carries traffic. The request is judged
     * like {@link #admit}'s (tunnel type enabled, the certificate policy as it is now: a certificate revoked since is
     * refused, {@code REVOKED}), but it is not counted against the SKU limit and takes no new address. On success the
     * returned handle belongs to the same session as {@code current}: same {@link SessionHandle#connectionId()}, pool
     * address, start time and counters (the health API shows one session). Packets for the client go to the new
     * endpoint from then on; {@code current} still forwards what the client sends through it, and closing it (the old
     * IKE SA deleted) ends only that handle, never the session or its lease. Closing the new handle ends the session
     * (and the core then closes the old endpoint if it is still open).
     *
     * <p>Refused with {@link RefusalReason#NOT_SAME_CLIENT} when the certificate's thumbprint or the tunnel type is not
     * the session's. When the session has ended meanwhile, this is an ordinary {@link #admit} (the pool gives a
     * certificate its previous address back while that is free).
     *
     * @param current a handle this core issued for the client's session
     * @throws IllegalArgumentException when {@code current} was not issued by this core
     */
    Admission readmit(SessionHandle current, AdmissionRequest request);

    /**
     * The pre-authentication budget every protocol shares (issue 13): deadlines and caps for clients not admitted yet,
     * and the refusal counters. See {@link PreAuthBudget} for who takes and releases a ticket on TCP and UDP. The
     * default is {@link PreAuthBudget#UNLIMITED}, for test fakes; the data-plane core returns its real budget.
     */
    default PreAuthBudget preAuth() {
        return PreAuthBudget.UNLIMITED;
    }
}
