package io.p2sgw.common.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {
    @Test
    void windowOf64AcceptsEachNumberOnceInsideTheWindow() {
        ReplayWindow w = new ReplayWindow(64);
        assertFalse(w.accept(0), "sequence number 0 is invalid");
        assertTrue(w.accept(1));
        assertFalse(w.accept(1));
        assertTrue(w.accept(100));
        assertTrue(w.accept(50), "inside the window, first time");
        assertFalse(w.accept(50));
        assertFalse(w.accept(36), "64 behind the highest is outside the window");
        assertTrue(w.accept(37));
        assertTrue(w.accept(1000));
        assertFalse(w.accept(100));
        assertEquals(1000, w.highest());
    }

    @Test
    void checkDoesNotRecord() {
        ReplayWindow w = new ReplayWindow(128);
        assertTrue(w.check(5));
        assertTrue(w.check(5));
        assertTrue(w.accept(5));
        assertFalse(w.check(5));
    }

    @Test
    void sizeIsAMultipleOf64WithinBounds() {
        assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(32));
        assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(100));
        assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(ReplayWindow.MAX_SIZE + 64));
    }

    /** Against a model that remembers every number ever accepted: a wide window (ESP) behaves like the narrow one. */
    @ParameterizedTest
    @ValueSource(ints = {64, 128, 1024})
    void agreesWithAModelUnderReorderingAndReplay(int size) {
        ReplayWindow w = new ReplayWindow(size);
        BitSet seen = new BitSet();
        long highest = 0;
        Random r = new Random(size);
        for (int i = 0; i < 200_000; i++) {
            long seq = Math.max(0, highest + r.nextInt(3 * size) - 2 * size + (r.nextInt(50) == 0 ? 5 * size : 0));
            boolean expected = seq > 0 && (seq > highest || highest - seq < size) && !seen.get((int) seq);
            assertEquals(expected, w.accept(seq), "seq " + seq + " highest " + highest);
            if (expected) {
                seen.set((int) seq);
                highest = Math.max(highest, seq);
            }
        }
    }
}
