package io.p2sgw.cli.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints API results as pretty JSON (default) or as an aligned text table (az's {@code -o table}). */
public final class Output {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Output() {
    }

    public static void print(PrintWriter out, OutputFormat format, JsonNode value, List<Column> columns) {
        if (value.isMissingNode()) {
            // No result (delete, disconnect): nothing on stdout in either format, as az.
            out.flush();
            return;
        }
        if (format == OutputFormat.table) {
            List<JsonNode> rows = new ArrayList<>();
            if (value.isArray()) {
                value.forEach(rows::add);
            } else {
                rows.add(value);
            }
            out.print(table(rows, columns));
        } else {
            out.println(json(value));
        }
        out.flush();
    }

    public static String json(JsonNode value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Header line, a dashed rule under each header, then one line per row; columns padded to the widest cell. */
    public static String table(List<JsonNode> rows, List<Column> columns) {
        int n = columns.size();
        int[] width = new int[n];
        List<String[]> cells = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            width[c] = columns.get(c).header().length();
        }
        for (JsonNode row : rows) {
            String[] line = new String[n];
            for (int c = 0; c < n; c++) {
                line[c] = columns.get(c).valueOf(row);
                width[c] = Math.max(width[c], line[c].length());
            }
            cells.add(line);
        }
        StringBuilder sb = new StringBuilder();
        String[] header = new String[n];
        String[] rule = new String[n];
        for (int c = 0; c < n; c++) {
            header[c] = columns.get(c).header();
            rule[c] = "-".repeat(width[c]);
        }
        appendLine(sb, header, width);
        appendLine(sb, rule, width);
        for (String[] line : cells) {
            appendLine(sb, line, width);
        }
        return sb.toString();
    }

    private static void appendLine(StringBuilder sb, String[] cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                line.append("  ");
            }
            line.append(cells[c]);
            if (c < cells.length - 1) {
                line.append(" ".repeat(width[c] - cells[c].length()));
            }
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }
}
