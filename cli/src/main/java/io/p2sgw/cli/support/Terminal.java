package io.p2sgw.cli.support;

import java.io.Console;
import java.util.Optional;

/**
 * The user's terminal, for questions a command asks (confirmations, new passwords). Absent when stdin/stdout
 * are not a terminal (scripts, pipes): commands then refuse what needs an answer instead of assuming one.
 * Tests install their own with {@link #forTests}.
 */
public interface Terminal {
    /** One answer line (echoed), without the line end; empty at end of input. */
    Optional<String> readLine(String prompt);

    /** A password, not echoed; empty at end of input. */
    Optional<char[]> readPassword(String prompt);

    /** The process's terminal, if it has one. */
    static Optional<Terminal> current() {
        Holder h = Holder.TEST;
        if (h != null) {
            return h.terminal();
        }
        Console c = System.console();
        // JDK 22+ returns a Console even when redirected; isTerminal says whether a person is there.
        if (c == null || !c.isTerminal()) {
            return Optional.empty();
        }
        return Optional.of(new Terminal() {
            @Override
            public Optional<String> readLine(String prompt) {
                return Optional.ofNullable(c.readLine("%s", prompt));
            }

            @Override
            public Optional<char[]> readPassword(String prompt) {
                return Optional.ofNullable(c.readPassword("%s", prompt));
            }
        });
    }

    /** Replaces the terminal for tests; {@code Optional.empty()} simulates "no terminal"; null restores the real one. */
    static void forTests(Optional<Terminal> terminal) {
        Holder.TEST = terminal == null ? null : new Holder(terminal);
    }

    /** The test override (an interface cannot hold a mutable static field itself). */
    final class Holder {
        private static volatile Holder TEST;
        private final Optional<Terminal> terminal;

        private Holder(Optional<Terminal> terminal) {
            this.terminal = terminal;
        }

        Optional<Terminal> terminal() {
            return terminal;
        }
    }
}
