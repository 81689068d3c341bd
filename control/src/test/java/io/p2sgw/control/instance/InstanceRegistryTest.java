package io.p2sgw.control.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.control.instance.Membership.Serves;
import io.p2sgw.control.instance.Membership.Standby;
import io.p2sgw.control.store.Database;
import io.p2sgw.control.testing.MutableClock;
import io.p2sgw.control.testing.StoreKind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Issue 17: instances register with a stable name and slot, heartbeat, and are gone at stop or once the heartbeat lapses. */
class InstanceRegistryTest {
    private static final Duration LAPSE = InstanceRegistry.LAPSE;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));

    private InstanceRegistry instance(Database db, String name) {
        return new InstanceRegistry(db, clock, name, "198.51.100." + (10 + name.charAt(0) - 'a'), LAPSE);
    }

    private static List<String> slots(Membership m) {
        return m.slots();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void instancesTakeTheLowestFreeSlotAndKeepItAcrossARestart(StoreKind kind) {
        Database db = Database.open(kind.newUrl(dir));
        InstanceRegistry a = instance(db, "a");
        InstanceRegistry b = instance(db, "b");
        assertEquals(0, a.register().selfIndex());
        Membership mb = b.register();
        assertEquals(1, mb.selfIndex());
        assertEquals(List.of("0=a", "1=b"), slots(mb));
        assertEquals(List.of("0=a", "1=b"), slots(a.heartbeat()));

        // A crash and restart of b (no unregister) before its heartbeat lapsed: same name, same slot.
        InstanceRegistry bAgain = instance(db, "b");
        assertEquals(1, bAgain.register().selfIndex());
        // A clean stop frees the slot at once; the next instance takes it.
        bAgain.unregister();
        assertEquals(List.of("0=a"), slots(a.heartbeat()));
        assertEquals(1, instance(db, "c").register().selfIndex());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anInstanceWhoseHeartbeatLapsesIsRemovedAndTheOthersAreTold(StoreKind kind) {
        Database db = Database.open(kind.newUrl(dir));
        InstanceRegistry a = instance(db, "a");
        InstanceRegistry b = instance(db, "b");
        a.register();
        b.register();
        List<Membership> seenByB = new ArrayList<>();
        b.addListener(seenByB::add);

        // a is killed: it heartbeats no more. Before the lapse, b still sees it.
        clock.advance(LAPSE.minusSeconds(1));
        assertEquals(List.of("0=a", "1=b"), slots(b.heartbeat()));
        assertTrue(seenByB.isEmpty(), "no change, no call");
        clock.advance(Duration.ofSeconds(2));
        Membership after = b.heartbeat();
        assertEquals(List.of("1=b"), slots(after));
        assertEquals(List.of(after), seenByB);
        assertEquals(new Serves(0, 1), after.roleFor(true), "the survivor serves the whole active-active pool");
        assertEquals(new Serves(0, 1), after.roleFor(false), "and takes over an active-standby gateway");

        // a comes back (a long pause, not a restart): it registers again in its old slot, which was free.
        Membership back = a.heartbeat();
        assertEquals(0, back.selfIndex());
        assertEquals(List.of("0=a", "1=b"), slots(back));
        assertEquals(List.of("0=a", "1=b"), slots(b.heartbeat()));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aThirdInstanceStandsByAndMovesIntoAFreedSlot(StoreKind kind) {
        Database db = Database.open(kind.newUrl(dir));
        InstanceRegistry a = instance(db, "a");
        InstanceRegistry b = instance(db, "b");
        InstanceRegistry c = instance(db, "c");
        Membership ma = a.register();
        Membership mb = b.register();
        Membership mc = c.register();
        assertEquals(new Serves(0, 1), ma.roleFor(true), "alone at registration: the whole pool");
        assertEquals(new Serves(0, 2), a.heartbeat().roleFor(true), "a's heartbeat finds b: half the pool each");
        assertEquals(new Serves(1, 2), b.heartbeat().roleFor(true));
        assertInstanceOf(Standby.class, mc.roleFor(true));
        assertEquals(new Serves(0, 1), a.heartbeat().roleFor(false), "the lowest slot serves an active-standby gateway");
        assertInstanceOf(Standby.class, b.heartbeat().roleFor(false));
        assertEquals(0, ma.selfIndex());
        assertEquals(1, mb.selfIndex());

        a.unregister();
        Membership moved = c.heartbeat();
        assertEquals(0, moved.selfIndex());
        assertEquals(new Serves(0, 2), moved.roleFor(true));
        assertEquals(List.of("0=c", "1=b"), slots(moved));
    }

    @org.junit.jupiter.api.Test
    void onSqliteANewServerReplacesTheEntriesOfServersThatAreGone() {
        Database db = Database.open(StoreKind.SQLITE.newUrl(dir));
        instance(db, "a").register(); // killed: never unregisters
        Membership m = new InstanceRegistry(db, clock, "b", "198.51.100.11", LAPSE, true).register();
        assertEquals(0, m.selfIndex());
        assertEquals(List.of("0=b"), slots(m));
        assertEquals(new Serves(0, 1), m.roleFor(false), "serves at once rather than after a's heartbeat lapses");
    }
}
