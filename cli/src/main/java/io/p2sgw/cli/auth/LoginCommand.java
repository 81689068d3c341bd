package io.p2sgw.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.p2sgw.cli.arm.ArmClient;
import io.p2sgw.cli.arm.ArmException;
import io.p2sgw.cli.arm.ClientSettings;
import io.p2sgw.cli.support.ArmCommand;
import io.p2sgw.cli.support.CliConfig;
import io.p2sgw.cli.support.GlobalOptions;
import io.p2sgw.cli.support.Output;
import io.p2sgw.cli.support.UsageException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code p2sgw login}: checks endpoint and token against {@code GET /providers/P2sgw/whoami}, then stores them
 * in the config file (mode 0600; {@code $P2SGW_CONFIG} or {@code ~/.config/p2sgw/config.json}).
 */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = "Store the API endpoint and token for later commands (file mode 0600).")
public final class LoginCommand implements Callable<Integer> {
    static final String WHOAMI = "/providers/P2sgw/whoami";

    @Option(names = "--endpoint", required = true, paramLabel = "URL", description = "API base URL, e.g. https://gw.example:8443.")
    String endpoint;
    @Option(names = "--token", paramLabel = "TOKEN", arity = "0..1", interactive = true,
            description = {"Bearer token. Given without a value it is prompted for (not echoed); left out, it is taken from",
                "$P2SGW_TOKEN. A token typed on the command line ends up in the shell history."})
    char[] token;
    @Option(names = "--ca-file", paramLabel = "PEM", description = "CA certificate of the server (stored as an absolute path).")
    Path caFile;
    @Option(names = "--config", paramLabel = "FILE", description = "Config file (default: $P2SGW_CONFIG or ~/.config/p2sgw/config.json).")
    Path configFile;
    @Option(names = "--no-verify", description = "Store without checking the token against the server.")
    boolean noVerify;

    @Spec CommandSpec spec;

    /** {@code --token} (typed or prompted), else {@code $P2SGW_TOKEN}. */
    private String token() {
        if (token != null && token.length > 0) {
            String t = new String(token).strip();
            java.util.Arrays.fill(token, '\0');
            if (!t.isEmpty()) {
                return t;
            }
        }
        String env = ArmCommand.environment().get(GlobalOptions.ENV_TOKEN);
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        throw new UsageException("no token: pass --token (without a value to be prompted) or set " + GlobalOptions.ENV_TOKEN);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Optional<Path> ca = Optional.ofNullable(caFile).map(p -> p.toAbsolutePath().normalize());
            if (ca.isPresent() && !Files.isReadable(ca.get())) {
                throw new UsageException("cannot read CA file " + ca.get());
            }
            URI uri = URI.create(endpoint);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new UsageException("invalid endpoint '" + endpoint + "': expected e.g. https://host:8443");
            }
            String token = token();
            if (!noVerify) {
                ArmClient client = new ArmClient(new ClientSettings(uri, token, ca, ClientSettings.DEFAULT_SUBSCRIPTION), err);
                JsonNode who = client.get(WHOAMI);
                out.println(Output.json(who));
            }
            Path file = configFile != null ? configFile : CliConfig.defaultPath(ArmCommand.environment());
            new CliConfig(Optional.of(endpoint), Optional.of(token), ca.map(Path::toString)).write(file);
            err.println("Saved endpoint and token to " + file);
            out.flush();
            err.flush();
            return 0;
        } catch (ArmException e) {
            err.println("ERROR: " + e.describe());
            err.flush();
            return ArmCommand.EXIT_API_ERROR;
        } catch (UsageException | IllegalArgumentException | UncheckedIOException e) {
            err.println("ERROR: " + e.getMessage());
            err.flush();
            return ArmCommand.EXIT_USAGE;
        }
    }
}
