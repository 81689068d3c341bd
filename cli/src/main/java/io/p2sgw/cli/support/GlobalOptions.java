package io.p2sgw.cli.support;

import io.p2sgw.cli.arm.ClientSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Options every API command takes. Endpoint, token and CA come from the flag, else the environment
 * ({@code P2SGW_ENDPOINT}, {@code P2SGW_TOKEN}, {@code P2SGW_CA_FILE}), else the {@code p2sgw login} config.
 */
public final class GlobalOptions {
    public static final String ENV_ENDPOINT = "P2SGW_ENDPOINT";
    public static final String ENV_TOKEN = "P2SGW_TOKEN";
    public static final String ENV_CA_FILE = "P2SGW_CA_FILE";
    /**
     * How to sign in the first time: the server writes its admin token to the file {@code admin-token} and its CA to
     * {@code pki/ca.pem} in its data directory (it prints the token file's path on start), never the token itself.
     */
    public static final String SIGN_IN_HINT = "run 'p2sgw login --endpoint https://HOST:8443 --token \"$(cat data/admin-token)\""
            + " --ca-file data/pki/ca.pem' (the admin token is in the file admin-token of the server's data directory,"
            + " ./data unless 'p2sgw server --data-dir' says otherwise)";

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "API base URL, e.g. https://gw.example:8443 (env P2SGW_ENDPOINT, else the login config).")
    String endpoint;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Bearer token (env P2SGW_TOKEN, else the login config).")
    String token;

    @Option(names = "--ca-file", paramLabel = "PEM",
            description = "CA certificate that signed the server's certificate (env P2SGW_CA_FILE, else the login config).")
    Path caFile;

    @Option(names = "--subscription", paramLabel = "ID", defaultValue = ClientSettings.DEFAULT_SUBSCRIPTION,
            description = "Subscription (a free-form namespace in p2sgw). Default: ${DEFAULT-VALUE}.")
    String subscription;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "json",
            description = "Output format: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    OutputFormat output;

    public OutputFormat output() {
        return output;
    }

    /** Resolves the settings with the documented precedence: flag, environment, config file. */
    public ClientSettings resolve(Map<String, String> env) {
        CliConfig config = CliConfig.read(CliConfig.defaultPath(env));
        return resolve(env, config);
    }

    ClientSettings resolve(Map<String, String> env, CliConfig config) {
        String ep = first(Optional.ofNullable(endpoint), envVar(env, ENV_ENDPOINT), config.endpoint())
                .orElseThrow(() -> new UsageException(
                        "no API endpoint: pass --endpoint, set " + ENV_ENDPOINT + " or " + SIGN_IN_HINT));
        String tok = first(Optional.ofNullable(token), envVar(env, ENV_TOKEN), config.token())
                .orElseThrow(() -> new UsageException(
                        "no token: pass --token, set " + ENV_TOKEN + " or " + SIGN_IN_HINT));
        Optional<Path> ca = first(Optional.ofNullable(caFile).map(Path::toString), envVar(env, ENV_CA_FILE), config.caFile())
                .map(Path::of);
        URI uri;
        try {
            uri = URI.create(ep);
        } catch (IllegalArgumentException e) {
            throw new UsageException("invalid endpoint '" + ep + "': " + e.getMessage());
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new UsageException("invalid endpoint '" + ep + "': expected e.g. https://host:8443");
        }
        return new ClientSettings(uri, tok, ca, subscription == null ? ClientSettings.DEFAULT_SUBSCRIPTION : subscription);
    }

    private static Optional<String> envVar(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).filter(s -> !s.isBlank());
    }

    @SafeVarargs
    private static Optional<String> first(Optional<String>... candidates) {
        for (Optional<String> c : candidates) {
            if (c.isPresent() && !c.get().isBlank()) {
                return c;
            }
        }
        return Optional.empty();
    }
}
