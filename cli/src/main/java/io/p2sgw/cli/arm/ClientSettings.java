package io.p2sgw.cli.arm;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where and as whom the CLI talks to the API.
 *
 * @param endpoint     base URI of the API, e.g. {@code https://gw.example:8443}
 * @param token        bearer token (never printed)
 * @param caFile       PEM file of the CA that signed the server certificate; empty = JDK trust store
 * @param subscription subscription id used in ARM paths
 */
public record ClientSettings(URI endpoint, String token, Optional<Path> caFile, String subscription) {
    /**
     * p2sgw treats subscriptions as free-form namespaces created on first use (issue 2), so the CLI
     * works without one; this fixed default is what every command uses unless {@code --subscription}.
     */
    public static final String DEFAULT_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";

    public ClientSettings {
        if (token.isBlank()) {
            throw new IllegalArgumentException("token must not be blank");
        }
    }

    @Override
    public String toString() {
        // The token is a secret: never in a log line or an exception message.
        return "ClientSettings[endpoint=" + endpoint + ", caFile=" + caFile + ", subscription=" + subscription + "]";
    }
}
