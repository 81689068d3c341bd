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
 * @param listPageSize       the most items one page of a list holds before a {@code nextLink} ({@link ListPages})
 */
public record ApiSettings(ServedEndpoints served, X509Certificate serverCa, Duration provisioningDelay, int listPageSize) {
    public static final Duration DEFAULT_PROVISIONING_DELAY = Duration.ofMillis(500);

    public ApiSettings {
        Objects.requireNonNull(served, "served");
        Objects.requireNonNull(serverCa, "serverCa");
        Objects.requireNonNull(provisioningDelay, "provisioningDelay");
        if (listPageSize < 1) {
            throw new IllegalArgumentException("listPageSize must be positive: " + listPageSize);
        }
    }

    public ApiSettings(ServedEndpoints served, X509Certificate serverCa, Duration provisioningDelay) {
        this(served, serverCa, provisioningDelay, ListPages.DEFAULT_PAGE_SIZE);
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
