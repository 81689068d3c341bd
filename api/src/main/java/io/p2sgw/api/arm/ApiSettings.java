package io.p2sgw.api.arm;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;

/**
 * What the API says about this gateway host.
 *
 * @param serverName         the name clients connect to (certificate SAN, profile {@code remote})
 * @param publicAddress      the address listeners bind to and public IP resources report
 * @param serverCa           the CA that issued the server certificate (in every client package)
 * @param provisioningDelay  how long a gateway write shows {@code Updating} before {@code Succeeded}; the change
 *                           itself reaches the data plane at once, the delay only lets clients see ARM's LRO flow
 */
public record ApiSettings(String serverName, String publicAddress, X509Certificate serverCa, Duration provisioningDelay) {
    public static final Duration DEFAULT_PROVISIONING_DELAY = Duration.ofMillis(500);

    public ApiSettings {
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(publicAddress, "publicAddress");
        Objects.requireNonNull(serverCa, "serverCa");
        Objects.requireNonNull(provisioningDelay, "provisioningDelay");
    }
}
