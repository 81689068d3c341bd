package io.p2sgw.api.arm;

import io.p2sgw.control.clientpackage.ServedEndpoints;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;

/**
 * What the API says about this gateway host.
 *
 * @param served             the server name, address and ports this host serves (client package profiles, the
 *                           address public IP resources report)
 * @param serverCa           the CA that issued the server certificate (in every client package)
 * @param provisioningDelay  how long a gateway write shows {@code Updating} before {@code Succeeded}; the change
 *                           itself reaches the data plane at once, the delay only lets clients see ARM's LRO flow
 */
public record ApiSettings(ServedEndpoints served, X509Certificate serverCa, Duration provisioningDelay) {
    public static final Duration DEFAULT_PROVISIONING_DELAY = Duration.ofMillis(500);

    public ApiSettings {
        Objects.requireNonNull(served, "served");
        Objects.requireNonNull(serverCa, "serverCa");
        Objects.requireNonNull(provisioningDelay, "provisioningDelay");
    }

    /** The name clients connect to (certificate SAN, profile {@code remote}). */
    public String serverName() {
        return served.serverName();
    }

    /** The address listeners bind to and public IP resources report. */
    public String publicAddress() {
        return served.publicAddress();
    }
}
