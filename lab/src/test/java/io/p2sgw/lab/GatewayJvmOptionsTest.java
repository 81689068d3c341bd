package io.p2sgw.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lab and the bench start the gateway JVM with {@link GatewayServer#JVM_OPTIONS}; the operator starts it with
 * {@code ./p2sgw}. What the interop tests prove and the bench measures is only what operators run if the two agree.
 */
class GatewayJvmOptionsTest {

    @Test
    void theLauncherPassesTheSameJvmOptionsAsTheLabAndTheBench() throws IOException {
        Path launcher = Path.of("..", "p2sgw");
        String execLine = Files.readAllLines(launcher).stream()
                .filter(l -> l.startsWith("exec java "))
                .reduce((a, b) -> {
                    throw new AssertionError("more than one exec line in " + launcher + ": " + a + " / " + b);
                })
                .orElseThrow(() -> new AssertionError("no 'exec java ...' line in " + launcher.toAbsolutePath()));
        List<String> words = Arrays.asList(execLine.split("\\s+"));
        int jar = words.indexOf("-jar");
        assertEquals(GatewayServer.JVM_OPTIONS, words.subList(2, jar),
                "./p2sgw's JVM options (" + execLine + ") differ from GatewayServer.JVM_OPTIONS");
    }
}
