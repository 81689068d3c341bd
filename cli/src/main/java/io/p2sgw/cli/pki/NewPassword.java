package io.p2sgw.cli.pki;

import io.p2sgw.cli.support.Terminal;
import io.p2sgw.cli.support.UsageException;
import java.util.Arrays;

/**
 * An option that sets a new password ({@code --pfx-password}, a new key's {@code --password}): given with a value it is
 * taken as is; given without one it is asked for twice on the terminal, not echoed, and the two must match, as
 * {@code openssl pkcs12 -export} and Windows' export wizard do, because a mistyped .pfx password is only noticed
 * on the client, when the file cannot be imported (issue 16).
 */
final class NewPassword {
    /**
     * The option's value when it is given without one ({@code fallbackValue}): a NUL, which no command-line argument
     * can hold, so that it is told apart from an empty password typed as {@code ""}.
     */
    static final String ASK = "\u0000";

    private NewPassword() {}

    /** {@code given} itself, or, when it is {@link #ASK}, the password typed twice; null when not given. */
    static char[] resolve(char[] given, String option, String what) {
        if (given == null || !Arrays.equals(given, ASK.toCharArray())) {
            return given;
        }
        Terminal terminal = Terminal.current().orElseThrow(() -> new UsageException(
                "no terminal to ask for the " + what + " on; give it as " + option + " VALUE"));
        char[] first = terminal.readPassword("Password for the " + what + ": ").orElse(new char[0]);
        char[] second = terminal.readPassword("Repeat the password: ").orElse(new char[0]);
        try {
            if (!Arrays.equals(first, second)) {
                Arrays.fill(first, '\0');
                throw new UsageException("the two passwords for the " + what + " do not match; nothing was written");
            }
            return first;
        } finally {
            Arrays.fill(second, '\0');
        }
    }
}
