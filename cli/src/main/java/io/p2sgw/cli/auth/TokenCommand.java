package io.p2sgw.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.cli.arm.ArmClient;
import io.p2sgw.cli.support.ArmCommand;
import io.p2sgw.cli.support.Column;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code p2sgw token}: API tokens (p2sgw extension API {@code /providers/P2sgw/tokens}). The token value is shown
 * once, on creation; listing shows names and roles only.
 */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Create, list and revoke API tokens.",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListCmd.class, TokenCommand.Revoke.class, TokenCommand.WhoAmI.class})
public final class TokenCommand {
    static final String TOKENS = "/providers/P2sgw/tokens";
    static final List<Column> COLUMNS = List.of(Column.of("Name", "/name"), Column.of("Role", "/role"));

    /** Roles of the extension API: Contributor may change resources, Reader only read them. */
    public enum Role { Contributor, Reader }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a token; prints it once.")
    static final class Create extends ArmCommand {
        @Option(names = {"-n", "--name"}, paramLabel = "NAME", required = true, description = "Name of the new token (shown in logs and token list).")
        String name;
        @Option(names = "--role", paramLabel = "ROLE", defaultValue = "Contributor", description = "Role: ${COMPLETION-CANDIDATES} (Reader may only read). Default: ${DEFAULT-VALUE}.")
        Role role;

        @Override
        protected JsonNode run(ArmClient client) {
            return client.post(TOKENS, body(), false);
        }

        ObjectNode body() {
            ObjectNode body = object();
            body.put("name", name);
            body.put("role", role.name());
            return body;
        }

        @Override
        protected List<Column> columns() {
            return List.of(Column.of("Name", "/name"), Column.of("Role", "/role"), Column.of("Token", "/token"));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens (names and roles).")
    static final class ListCmd extends ArmCommand {
        @Override
        protected JsonNode run(ArmClient client) {
            return arrayOf(client.list(TOKENS));
        }

        @Override
        protected List<Column> columns() {
            return COLUMNS;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token by name.")
    static final class Revoke extends ArmCommand {
        @Option(names = {"-n", "--name"}, paramLabel = "NAME", required = true, description = "Name of the token to revoke.") String name;

        @Override
        protected JsonNode run(ArmClient client) {
            client.delete(TOKENS + "/" + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8), false);
            return MissingNode.getInstance();
        }
    }

    @Command(name = "whoami", mixinStandardHelpOptions = true, description = "Show the caller's token name and role.")
    static final class WhoAmI extends ArmCommand {
        @Override
        protected JsonNode run(ArmClient client) {
            return client.get(LoginCommand.WHOAMI);
        }

        @Override
        protected List<Column> columns() {
            return COLUMNS;
        }
    }
}
