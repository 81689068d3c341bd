package io.p2sgw.cli.pki;

import io.p2sgw.cli.support.UsageException;
import io.p2sgw.pki.KeyType;
import io.p2sgw.pki.PkiException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the {@code pki} leaf commands: runs, and turns certificate/key/file problems into one
 * "ERROR: ..." line on stderr. Results go to stdout (so they can be captured), progress to stderr.
 */
abstract class PkiSubcommand implements Callable<Integer> {
    /** Exit code for bad arguments or unusable files (the same as the network commands). */
    static final int EXIT_BAD_INPUT = 2;
    /** Exit code when a check the user asked for fails ({@code pki verify}). */
    static final int EXIT_CHECK_FAILED = 1;
    /** Upper bound for {@code --days}: 100 years, far beyond any sane CA. */
    static final int MAX_DAYS = 36_500;

    @Spec
    CommandSpec spec;

    /** Does the work; returns the exit code. */
    abstract int run(PrintWriter out, PrintWriter err);

    @Override
    public final Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            int code = run(spec.commandLine().getOut(), err);
            spec.commandLine().getOut().flush();
            return code;
        } catch (PkiException | UsageException e) {
            err.println("ERROR: " + e.getMessage());
            return EXIT_BAD_INPUT;
        } finally {
            err.flush();
        }
    }

    static KeyType keyType(String name) {
        return KeyType.fromCliName(name).orElseThrow(() -> new UsageException(
                "unknown --key-type '" + name + "'; choose one of " + KeyType.cliNames()));
    }

    static Duration days(int days) {
        if (days < 1 || days > MAX_DAYS) {
            throw new UsageException("--days must be between 1 and " + MAX_DAYS + ", not " + days);
        }
        return Duration.ofDays(days);
    }

    /** An optional password; an empty one counts as none, so that {@code --password ""} does not encrypt with "". */
    static Optional<char[]> password(char[] value) {
        return value == null || value.length == 0 ? Optional.empty() : Optional.of(value);
    }

    static void wipe(char[]... passwords) {
        for (char[] p : passwords) {
            if (p != null) {
                Arrays.fill(p, '\0');
            }
        }
    }
}
