package io.p2sgw.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FigureTest {
    private static Figure throughput(Double p2sgw, Double stock) {
        return Figure.of("tput", "Mbit/s", Optional.ofNullable(p2sgw), Optional.ofNullable(stock), new Figure.MinRatio(1.5));
    }

    @Test
    void ratioIsP2sgwOverStockAndTheMinimumRatioDecidesTheVerdict() {
        assertEquals(1.5, throughput(300.0, 200.0).ratio().orElseThrow(), 1e-9);
        assertEquals("met", throughput(300.0, 200.0).verdict());
        assertEquals("NOT met", throughput(299.0, 200.0).verdict());
    }

    @Test
    void aMissingOrZeroFigureHasNoRatioAndNoVerdict() {
        assertEquals(Optional.empty(), throughput(null, 200.0).ratio());
        assertEquals(Optional.empty(), throughput(100.0, 0.0).ratio());
        assertEquals("n/a", throughput(100.0, null).verdict());
    }

    @Test
    void theHeapCeilingLooksOnlyAtP2sgw() {
        Figure.Below below = new Figure.Below(64, "64 KiB heap");
        assertEquals("met", Figure.of("mem", "KiB", Optional.of(63.9), Optional.empty(), below).verdict());
        assertEquals("NOT met", Figure.of("mem", "KiB", Optional.of(64.0), Optional.of(10.0), below).verdict());
        assertEquals("n/a", Figure.of("mem", "KiB", Optional.empty(), Optional.of(10.0), below).verdict());
        assertEquals("-", new Figure("rss", "KiB", Optional.of(1.0), Optional.of(2.0), Optional.empty()).verdict());
    }

    @Test
    void tablesShowBothFiguresTheRatioAndTheVerdict() {
        List<Figure> figures = List.of(throughput(300.0, 200.0), throughput(null, 200.0));
        String table = Format.table(figures);
        List<String> lines = table.lines().toList();
        assertEquals(4, lines.size(), table);
        assertTrue(lines.get(2).contains("300.0") && lines.get(2).contains("200.0") && lines.get(2).contains("1.50x")
                && lines.get(2).endsWith("met"), table);
        assertTrue(lines.get(3).contains("failed") && lines.get(3).contains("n/a"), table);
        String md = Format.markdownTable(figures);
        assertTrue(md.contains("| tput | Mbit/s | 300.0 | 200.0 | 1.50x | p2sgw/stock &gt;= 1.50 | met |"), md);
    }

    @Test
    void numbersKeepUsefulDigitsWhateverTheLocale() {
        assertEquals("1234.5", Format.number(1234.5));
        assertEquals("12.35", Format.number(12.345));
        assertEquals("0.0123", Format.number(0.01234));
    }
}
