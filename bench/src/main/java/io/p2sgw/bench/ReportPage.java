package io.p2sgw.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The layout every bench report shares, on the console and in bench/RESULTS*.md: a title line, the figures table
 * (p2sgw, the reference server, the ratio, the target), each server's detail line with its notes; the Markdown file
 * adds the date and options, the machine, how to read the ratio, and the method. What differs by tunnel (names,
 * figures, machine notes, method) comes from {@link Report}, {@link IkeReport} and {@link SstpReport}.
 */
final class ReportPage {
    /** One server's line under Details, with the notes its measurements left. */
    record Detail(String line, List<String> notes) {}

    /** The server p2sgw is compared with: its column in the table and the ratio's heading ("p2sgw/{ratioName}"). */
    record Reference(String column, String ratioName) {}

    private final Instant started;
    private final Duration took;
    private final MachineFacts machine;

    ReportPage(Instant started, Duration took, MachineFacts machine) {
        this.started = started;
        this.took = took;
        this.machine = machine;
    }

    String timestamp() {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").format(started.atOffset(ZoneOffset.UTC));
    }

    /** The console's report: "{title}, date, CPUs, took", the table, then every detail line and its notes indented. */
    String console(String title, List<Figure> figures, Reference reference, List<Detail> details) {
        StringBuilder sb = new StringBuilder();
        sb.append(title).append(", ").append(timestamp()).append(", ").append(machine.cpus()).append(" CPUs (").append(machine.cpu())
                .append("), took ").append(took.toSeconds()).append(" s\n\n");
        sb.append(Format.table(figures, reference.column(), reference.ratioName()));
        sb.append('\n');
        for (Detail d : details) {
            sb.append(d.line()).append('\n');
            d.notes().forEach(n -> sb.append("    ").append(n).append('\n'));
        }
        return sb.toString();
    }

    /**
     * The file's head: "# {title}", who writes it ({@code writtenBy}, e.g. {@code `bench/run` (issue #4,
     * "Performance")}), the date and one bullet per line of {@code runLines} (the options, what ran).
     */
    String head(String title, String writtenBy, List<String> runLines) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(title).append("\n\n");
        sb.append("Written by ").append(writtenBy).append("; every run overwrites this file. ")
                .append("Figures are what this machine measured, not tuned; a NOT met is reported as such.\n\n");
        sb.append("- Date: ").append(timestamp()).append(" (run took ").append(took.toSeconds()).append(" s)\n");
        runLines.forEach(l -> sb.append("- ").append(l).append('\n'));
        return sb.append('\n').toString();
    }

    /**
     * "## Machine": CPU ({@code cpuNote} after the count), memory, kernel ({@code kernelNote} after it), JDK, then one
     * bullet per line of {@code tools} (the servers' and clients' versions).
     */
    String machine(String cpuNote, String kernelNote, List<String> tools) {
        StringBuilder sb = new StringBuilder("## Machine\n\n");
        sb.append("- CPU: ").append(machine.cpu()).append(", ").append(machine.cpus()).append(" CPUs visible").append(cpuNote).append('\n');
        sb.append("- Memory: ").append(machine.memory()).append('\n');
        sb.append("- Kernel: ").append(machine.kernel()).append(kernelNote).append('\n');
        sb.append("- JDK: ").append(machine.java()).append(" (gateway JVM: default collector and heap sizing)\n");
        tools.forEach(t -> sb.append("- ").append(t).append('\n'));
        return sb.append('\n').toString();
    }

    /** "## Figures": the Markdown table, then {@code reading} (how to read the ratio) as a paragraph. */
    static String figures(List<Figure> figures, Reference reference, String reading) {
        return "## Figures\n\n" + Format.markdownTable(figures, reference.column(), reference.ratioName()) + "\n" + reading + "\n\n";
    }

    /**
     * "## Details": a bullet per server, its notes as sub-bullets; a note's line breaks become {@code lineBreak} (a
     * Markdown bullet is one line).
     */
    static String details(List<Detail> details, String lineBreak) {
        StringBuilder sb = new StringBuilder("## Details\n\n");
        for (Detail d : details) {
            sb.append("- ").append(d.line()).append('\n');
            d.notes().forEach(n -> sb.append("  - ").append(n.replace("\n", lineBreak)).append('\n'));
        }
        return sb.toString();
    }
}
