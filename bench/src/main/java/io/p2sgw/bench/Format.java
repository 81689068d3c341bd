package io.p2sgw.bench;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Plain-text and Markdown rendering of the figures. */
public final class Format {
    private Format() {}

    /** Three significant-ish digits: 1234.5 -> "1234.5", 0.01234 -> "0.0123", fixed locale. */
    public static String number(double v) {
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }

    public static String value(Optional<Double> v) {
        return v.map(Format::number).orElse("failed");
    }

    public static String ratio(Figure f) {
        return f.ratio().map(r -> String.format(Locale.ROOT, "%.2fx", r)).orElse("-");
    }

    /** A fixed-width table for the console. */
    public static String table(List<Figure> figures) {
        return table(figures, "stock openvpn", "stock");
    }

    /** The console table with {@code reference} naming the server p2sgw is compared with, and the ratio's heading. */
    public static String table(List<Figure> figures, String reference, String ratioName) {
        List<String[]> rows = new java.util.ArrayList<>();
        rows.add(new String[] {"figure", "unit", "p2sgw", reference, "p2sgw/" + ratioName, "target", "verdict"});
        for (Figure f : figures) {
            rows.add(new String[] {f.name(), f.unit(), value(f.p2sgw()), value(f.stock()), ratio(f),
                    f.target().map(Figure.Target::describe).orElse("-"), f.verdict()});
        }
        int[] width = new int[rows.getFirst().length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int n = 0; n < rows.size(); n++) {
            String[] r = rows.get(n);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == 0 ? "" : "  ").append(pad(r[i], width[i], i >= 2 && i <= 4));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
            if (n == 0) {
                for (int i = 0; i < width.length; i++) {
                    sb.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** The same figures as a Markdown table. */
    public static String markdownTable(List<Figure> figures) {
        return markdownTable(figures, "stock openvpn", "stock");
    }

    /** The Markdown table with the reference server's column and ratio headings. */
    public static String markdownTable(List<Figure> figures, String reference, String ratioName) {
        StringBuilder sb = new StringBuilder();
        sb.append("| Figure | Unit | p2sgw | ").append(reference).append(" | p2sgw/").append(ratioName).append(" | Target | Verdict |\n");
        sb.append("|---|---|---:|---:|---:|---|---|\n");
        for (Figure f : figures) {
            sb.append("| ").append(f.name()).append(" | ").append(f.unit()).append(" | ").append(value(f.p2sgw()))
                    .append(" | ").append(value(f.stock())).append(" | ").append(ratio(f)).append(" | ")
                    .append(f.target().map(Figure.Target::describe).orElse("-").replace("<", "&lt;").replace(">", "&gt;"))
                    .append(" | ").append(f.verdict()).append(" |\n");
        }
        return sb.toString();
    }

    /** Bytes in MiB for the details, "-" when the server could not tell. */
    public static String mib(java.util.OptionalLong bytes) {
        return bytes.isPresent() ? number(bytes.getAsLong() / 1048576.0) + " MiB" : "-";
    }

    /** The last {@code n} lines of a log, on one line, for a note. */
    public static String lastLines(String text, int n) {
        List<String> lines = text.lines().toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(width - s.length());
        return right ? fill + s : s + fill;
    }
}
