package io.p2sgw.bench;

import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One server's turn in the lab's gateway namespace, the same for every tunnel: start it, run the measurements, stop
 * it. A server that does not start, dies, or makes a measurement throw leaves a note in its result rather than an
 * exception: the other server's turn still comes, and the report says what happened.
 */
final class ServerTurn {
    private ServerTurn() {}

    /** A turn of the server {@code start} gives. */
    static void take(String what, ServerResult r, Supplier<VpnServer> start, Consumer<VpnServer> measurements) {
        take(what, r, start, Function.identity(), measurements);
    }

    /** A turn of a server that comes with what its measurements need besides ({@code S}, e.g. its credentials). */
    static <S> void take(String what, ServerResult r, Supplier<S> start, Function<S, VpnServer> serverOf, Consumer<S> measurements) {
        BenchMain.log(what + ": starting the server");
        S subject;
        try {
            subject = start.get();
        } catch (RuntimeException e) {
            r.notes.add("server did not start: " + e.getMessage());
            BenchMain.log(what + ": server did not start: " + e.getMessage());
            return;
        }
        try (VpnServer server = serverOf.apply(subject)) {
            measurements.accept(subject);
            if (!server.isAlive()) {
                r.notes.add("the server process died during the run: " + server.tail());
            }
        } catch (RuntimeException e) {
            r.notes.add("measurement aborted: " + e.getMessage());
            BenchMain.log(what + ": aborted: " + e);
        }
    }
}
