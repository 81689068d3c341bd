package io.p2sgw.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The layout the three reports (OpenVPN, IKEv2, SSTP) share, on the console and in RESULTS*.md. */
class ReportPageTest {
    private static final MachineFacts MACHINE = new MachineFacts("Some CPU", 2, "8 GB", "Linux 6.1", "OpenJDK 25", "OpenVPN 2.6", "DCO: none",
            "iperf 3.12");
    private static final ReportPage PAGE = new ReportPage(Instant.parse("2026-12-04T16:00:59Z"), Duration.ofSeconds(321), MACHINE);
    private static final ReportPage.Reference REF = new ReportPage.Reference("charon 5.9", "charon");
    private static final List<Figure> FIGURES = List.of(Figure.of("tput", "Mbit/s", Optional.of(300.0), Optional.of(200.0),
            new Figure.MinRatio(1.5)));
    private static final List<ReportPage.Detail> DETAILS = List.of(new ReportPage.Detail("p2sgw / X: 3 idle", List.of("one", "two\nlines")),
            new ReportPage.Detail("charon / X: 2 idle", List.of()));

    @Test
    void theConsoleHasTheTitleLineTheTableAndEachServersNotesIndented() {
        List<String> lines = PAGE.console("p2sgw X benchmark", FIGURES, REF, DETAILS).lines().toList();
        assertEquals("p2sgw X benchmark, 2026-12-04 16:00 UTC, 2 CPUs (Some CPU), took 321 s", lines.get(0));
        assertEquals("", lines.get(1));
        assertTrue(lines.get(2).contains("charon 5.9") && lines.get(2).contains("p2sgw/charon"), lines.get(2));
        assertEquals(List.of("", "p2sgw / X: 3 idle", "    one", "    two", "lines", "charon / X: 2 idle"), lines.subList(5, lines.size()));
    }

    @Test
    void theFileHasHeadMachineFiguresAndDetailsInThatShape() {
        assertEquals("# T\n\nWritten by `w`; every run overwrites this file. Figures are what this machine measured, not tuned; a NOT met "
                + "is reported as such.\n\n- Date: 2026-12-04 16:00 UTC (run took 321 s)\n- Options: `--x=1`\n- Ref: v\n\n",
                PAGE.head("T", "`w`", List.of("Options: `--x=1`", "Ref: v")));
        assertEquals("## Machine\n\n- CPU: Some CPU, 2 CPUs visible (shared)\n- Memory: 8 GB\n- Kernel: Linux 6.1 (no ESP)\n"
                + "- JDK: OpenJDK 25 (gateway JVM: default collector and heap sizing)\n- tool 1\n- tool 2\n\n",
                PAGE.machine(" (shared)", " (no ESP)", List.of("tool 1", "tool 2")));
        String figures = ReportPage.figures(FIGURES, REF, "How to read it.");
        assertTrue(figures.startsWith("## Figures\n\n| Figure | Unit | p2sgw | charon 5.9 | p2sgw/charon |"), figures);
        assertTrue(figures.endsWith("|\n\nHow to read it.\n\n"), figures);
        assertEquals("## Details\n\n- p2sgw / X: 3 idle\n  - one\n  - two | lines\n- charon / X: 2 idle\n",
                ReportPage.details(DETAILS, " | "));
    }
}
