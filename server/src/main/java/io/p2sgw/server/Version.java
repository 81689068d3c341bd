package io.p2sgw.server;

import io.p2sgw.cli.support.CliVersion;

/** The build's version (one source for {@code --version} and the API), from the cli module's version.properties. */
final class Version {
    private Version() {}

    static String current() {
        return CliVersion.current();
    }
}
