package io.p2sgw.dataplane.spi;

import io.p2sgw.dataplane.api.GatewaySnapshot;
import java.util.Optional;

/** What the data-plane core offers protocol servers. Thread-safe. */
public interface GatewayCore {
    /** The snapshot in force, if a gateway is configured. Readers get an immutable value; never cache it long. */
    Optional<GatewaySnapshot> snapshot();

    /**
     * Applies the certificate policy, the SKU limit for the tunnel type and the address pool. Never
     * blocks on I/O. A refusal is also logged and reported as a {@code REFUSED} session event by the core.
     */
    Admission admit(AdmissionRequest request);
}
