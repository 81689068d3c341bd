package io.p2sgw.openvpn.wire;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PacketIdWindowTest {
    @Test
    void slidingWindowOf64() {
        PacketIdWindow w = new PacketIdWindow();
        assertFalse(w.accept(0), "packet id 0 is invalid");
        assertTrue(w.accept(1));
        assertFalse(w.accept(1));
        assertTrue(w.accept(100));
        assertTrue(w.accept(50), "inside the window, first time");
        assertFalse(w.accept(50));
        assertFalse(w.accept(36), "64 behind the highest is outside the window");
        assertTrue(w.accept(37));
        assertTrue(w.accept(1000));
        assertFalse(w.accept(100));
    }

    @Test
    void timeNeverDecreasesAndNewTimeResets() {
        PacketIdWindow w = new PacketIdWindow();
        assertTrue(w.accept(5, 1000));
        assertFalse(w.accept(6, 999));
        assertTrue(w.accept(1, 1001), "a newer time starts a new sequence");
        assertFalse(w.accept(1, 1001));
    }
}
