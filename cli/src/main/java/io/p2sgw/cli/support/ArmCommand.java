package io.p2sgw.cli.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.cli.arm.ArmClient;
import io.p2sgw.cli.arm.ArmException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every command that calls the API: resolves settings, runs, prints, and turns API errors into
 * the API's own "(Code) message" on stderr with a non-zero exit.
 */
public abstract class ArmCommand implements Callable<Integer> {
    /** Exit code for API errors (az uses 1 too). */
    public static final int EXIT_API_ERROR = 1;
    /** Exit code for bad arguments or unusable local files, found before any request. */
    public static final int EXIT_USAGE = 2;

    protected static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    protected GlobalOptions global;

    @Spec
    protected CommandSpec spec;

    /** Environment source; tests replace it so they do not depend on the real environment. */
    private static volatile Map<String, String> environment = System.getenv();

    public static void environmentForTests(Map<String, String> env) {
        environment = env;
    }

    public static Map<String, String> environment() {
        return environment;
    }

    protected abstract JsonNode run(ArmClient client) throws Exception;

    /** Table columns for this command's result. */
    protected List<Column> columns() {
        return Columns.RESOURCE;
    }

    @Override
    public final Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            ArmClient client = new ArmClient(global.resolve(environment), err);
            JsonNode result = run(client);
            Output.print(spec.commandLine().getOut(), global.output(), result, columns());
            return 0;
        } catch (ArmException e) {
            err.println("ERROR: " + e.describe());
            err.flush();
            return EXIT_API_ERROR;
        } catch (UsageException | IllegalArgumentException | UncheckedIOException e) {
            err.println("ERROR: " + e.getMessage());
            err.flush();
            return EXIT_USAGE;
        } catch (Exception e) {
            err.println("ERROR: " + e);
            err.flush();
            return EXIT_API_ERROR;
        }
    }

    protected static ObjectNode object() {
        return JSON.createObjectNode();
    }

    public static ArrayNode array(List<String> items) {
        ArrayNode a = JSON.createArrayNode();
        items.forEach(a::add);
        return a;
    }

    public static ArrayNode arrayOf(List<JsonNode> items) {
        ArrayNode a = JSON.createArrayNode();
        items.forEach(a::add);
        return a;
    }
}
