package io.p2sgw.cli.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/**
 * {@code --version} of every command: the version the build wrote into {@code version.properties}. Before, the
 * top-level command printed "dev" (the shaded jar has no Implementation-Version) and subcommands printed nothing.
 */
public final class CliVersion implements CommandLine.IVersionProvider {
    private static final String RESOURCE = "/io/p2sgw/cli/version.properties";

    /** The build's version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String current() {
        try (InputStream in = CliVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the build");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"p2sgw " + current()};
    }

    /** Gives {@code cl} and all its subcommands this version provider. */
    public static CommandLine applyTo(CommandLine cl) {
        cl.getCommandSpec().versionProvider(new CliVersion());
        cl.getSubcommands().values().forEach(CliVersion::applyTo);
        return cl;
    }
}
