package io.p2sgw.apitests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.p2sgw.server.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs {@code p2sgw <args>} in this JVM (the real top-level command, without its System.exit) and captures exit
 * code, stdout and stderr.
 */
final class Cli {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(int exitCode, String out, String err) {
        Result ok() {
            assertEquals(0, exitCode, () -> "exit " + exitCode + "\nstdout: " + out + "\nstderr: " + err);
            return this;
        }

        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("stdout is not JSON: " + out, e);
            }
        }

        /** Rows of {@code -o table} output, cells keyed by header (columns start where their header starts). */
        List<Map<String, String>> table() {
            return parseTable(out);
        }
    }

    private Cli() {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // The real top-level command, exactly as Main.main runs it.
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    static List<Map<String, String>> parseTable(String text) {
        String[] lines = text.split("\n");
        if (lines.length < 2 || !lines[1].startsWith("-")) {
            throw new AssertionError("not a table (header, rule, rows):\n" + text);
        }
        String header = lines[0];
        List<String> names = List.of(header.strip().split("\\s{2,}"));
        List<Integer> starts = new ArrayList<>();
        int from = 0;
        for (String n : names) {
            int at = header.indexOf(n, from);
            starts.add(at);
            from = at + n.length();
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 2; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < names.size(); c++) {
                int s = Math.min(starts.get(c), lines[i].length());
                int e = c + 1 < names.size() ? Math.min(starts.get(c + 1), lines[i].length()) : lines[i].length();
                row.put(names.get(c), lines[i].substring(s, e).strip());
            }
            rows.add(row);
        }
        return rows;
    }
}
