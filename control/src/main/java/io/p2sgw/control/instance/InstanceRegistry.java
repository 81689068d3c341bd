package io.p2sgw.control.instance;

import io.p2sgw.control.store.Database;
import io.p2sgw.control.store.InstancePresence;
import io.p2sgw.control.store.InstanceRepository;
import io.p2sgw.control.store.InstanceRepository.InstanceRow;
import io.p2sgw.control.store.SessionReportRepository;
import io.p2sgw.control.store.StoreChanges;
import io.p2sgw.control.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's entry in the store's {@code instances} table (issue 17): registered at start with its stable name
 * and a slot (the lowest free one, or the one its name had), kept alive by {@link #heartbeat()}, removed at
 * {@link #unregister()}; every heartbeat also removes instances whose heartbeat has lapsed, so a killed instance's
 * slot frees up within {@link #LAPSE} and the others take over its part ({@link Membership#roleFor}).
 *
 * <p>Time comes from the given clock so that tests can lapse a heartbeat without waiting; the caller schedules
 * {@link #heartbeat()} every {@link #HEARTBEAT_INTERVAL}.
 *
 * <p>On PostgreSQL the instance also holds its presence ({@link InstancePresence}) while it runs, so that the others
 * stop listing its sessions as soon as its process is gone, without waiting for the lapse ({@link LiveInstances}).
 */
public final class InstanceRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceRegistry.class);
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(2);
    /** Five missed heartbeats: long enough for a GC pause or a slow transaction, short enough for a failover. */
    public static final Duration LAPSE = Duration.ofSeconds(10);
    /** How long a heartbeat waits for the presence connection to answer before it takes the presence again. */
    private static final int PRESENCE_CHECK_SECONDS = 1;
    /** Concurrent first registrations on PostgreSQL may pick the same slot; the loser retries. */
    private static final int REGISTER_ATTEMPTS = 5;

    private final Database db;
    private final Clock clock;
    private final String name;
    private final String publicAddress;
    private final Duration lapse;
    private final boolean soleServer;
    private final List<Consumer<Membership>> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> registrationListeners = new CopyOnWriteArrayList<>();
    private String incarnation;
    /** On PostgreSQL, the connection that holds this incarnation's presence ({@link InstancePresence}); else null. */
    private Connection presence;
    private volatile Membership current;

    /** An instance among others on a shared (PostgreSQL) store. */
    public InstanceRegistry(Database db, Clock clock, String name, String publicAddress, Duration lapse) {
        this(db, clock, name, publicAddress, lapse, false);
    }

    /**
     * @param soleServer true when no other server can be alive on the store (an SQLite file, which {@code ServerLock}
     *                   keeps to one server): registering then removes every other entry at once
     */
    public InstanceRegistry(Database db, Clock clock, String name, String publicAddress, Duration lapse,
                            boolean soleServer) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("an instance name is 1..100 characters, got '" + name + "'");
        }
        this.db = db;
        this.clock = clock;
        this.name = name;
        this.publicAddress = publicAddress;
        this.lapse = lapse;
        this.soleServer = soleServer;
        this.current = Membership.alone(name);
    }

    public String name() {
        return name;
    }

    /** Called (on the registering or heartbeat thread) when the live instances or their slots change. */
    public void addListener(Consumer<Membership> listener) {
        listeners.add(listener);
    }

    /**
     * Called (on the registering or heartbeat thread) after every registration, the first and each one after a lapse:
     * the store then holds no session report of this instance ({@link #registerIn} clears it).
     */
    public void addRegistrationListener(Runnable listener) {
        registrationListeners.add(listener);
    }

    public Membership current() {
        return current;
    }

    /** Registers this instance: its name's slot if the name is registered, else the lowest free slot. */
    public synchronized Membership register() {
        incarnation = UUID.randomUUID().toString();
        // Present before registered: another instance never sees this incarnation's entry without its presence.
        takePresence();
        StoreException last = null;
        for (int attempt = 0; attempt < REGISTER_ATTEMPTS; attempt++) {
            try {
                Membership m = db.inChangingTransaction(this::registerIn);
                LOG.info("registered as instance {} in slot {} ({} live)", name, m.selfIndex(), m.live().size());
                registrationListeners.forEach(Runnable::run);
                return publish(m);
            } catch (StoreException e) {
                last = e; // another instance took the slot at the same moment (unique index): look again
            }
        }
        throw last;
    }

    private Membership registerIn(Connection c) throws SQLException {
        Instant now = clock.instant();
        InstanceRepository.removeLapsed(c, now.minus(lapse));
        if (soleServer) {
            // One server per SQLite file (ServerLock): any other entry is left by a server that is gone, e.g. killed
            // and restarted under another name; it must not keep the lowest slot until its heartbeat lapses.
            for (InstanceRow other : InstanceRepository.list(c)) {
                if (!other.name().equals(name)) {
                    InstanceRepository.remove(c, other.name(), Optional.empty());
                }
            }
        }
        Optional<InstanceRow> mine = InstanceRepository.byName(c, name);
        if (mine.isPresent() && !mine.get().incarnation().equals(incarnation)) {
            // The same name restarted before its heartbeat lapsed (a crash and restart), or two instances were given
            // one name: the newer one takes the slot, and the older one's next heartbeat tells it so.
            LOG.warn("instance name {} was registered (slot {}, last heartbeat {}): taking its place", name,
                    mine.get().index(), mine.get().heartbeatAt());
        }
        int slot = mine.map(InstanceRow::index).orElseGet(() -> lowestFree(c));
        InstanceRepository.put(c, new InstanceRow(name, slot, incarnation, publicAddress, now, now));
        // A new process under this name holds no session yet: what an earlier one reported (it was killed, so it never
        // cleared its report) must not come back into the others' health lists and disconnect routing with the name.
        SessionReportRepository.replace(c, name, Optional.empty(), List.of());
        return new Membership(name, slot, InstanceRepository.list(c));
    }

    private static int lowestFree(Connection c) {
        try {
            BitSet used = new BitSet();
            InstanceRepository.list(c).forEach(r -> used.set(r.index()));
            return used.nextClearBit(0);
        } catch (SQLException e) {
            throw new StoreException("cannot list the instances: " + e.getMessage(), e);
        }
    }

    /**
     * Records this instance's heartbeat and removes lapsed instances. An instance whose own entry is gone (it missed
     * its heartbeats, e.g. the store was unreachable) registers again; one in a standby slot moves into a lower slot
     * that has freed up. Returns the membership it found.
     */
    public synchronized Membership heartbeat() {
        if (incarnation == null) {
            throw new IllegalStateException("not registered");
        }
        if (!presenceIsHeld()) {
            LOG.warn("instance {} lost its presence connection to the store: taking it again", name);
            takePresence();
        }
        Membership m = db.inTransaction(this::heartbeatIn);
        if (m == null) {
            Optional<InstanceRow> other = db.inTransaction(c -> InstanceRepository.byName(c, name));
            if (other.isPresent()) {
                LOG.error("instance name {} was taken by another process (started {}); this one keeps its last view:"
                        + " give each instance its own --instance-name", name, other.get().startedAt());
                return current;
            }
            LOG.warn("instance {} was removed (its heartbeat lapsed): registering again", name);
            return register();
        }
        return publish(m);
    }

    /** Re-reads the live instances without a heartbeat (another instance told of a change). */
    public synchronized Membership look() {
        if (incarnation == null) {
            return current;
        }
        int self = current.selfIndex();
        return publish(db.inTransaction(c -> new Membership(name, self, InstanceRepository.list(c))));
    }

    /** The heartbeat's transaction; null when this instance's entry is gone or not its own any more. */
    private Membership heartbeatIn(Connection c) throws SQLException {
        Instant now = clock.instant();
        boolean changed = false;
        int lapsed = InstanceRepository.removeLapsed(c, now.minus(lapse));
        if (lapsed > 0) {
            LOG.info("removed {} instance(s) whose heartbeat lapsed ({} without one)", lapsed, lapse);
            changed = true;
        }
        Membership m = null;
        if (InstanceRepository.heartbeat(c, name, incarnation, now)) {
            int self = current.selfIndex();
            int free = lowestFree(c);
            if (self >= Membership.ACTIVE_ACTIVE_SLOTS && free < self) {
                InstanceRow row = InstanceRepository.byName(c, name).orElseThrow();
                InstanceRepository.put(c, new InstanceRow(name, free, incarnation, publicAddress, row.startedAt(), now));
                LOG.info("instance {} moves from slot {} to the freed slot {}", name, self, free);
                self = free;
                changed = true;
            }
            m = new Membership(name, self, InstanceRepository.list(c));
        }
        if (changed) {
            // The other instances re-read their part now rather than at their next heartbeat.
            StoreChanges.record(c, db.isPostgresql());
        }
        return m;
    }

    private Membership publish(Membership m) {
        Membership before = current;
        current = m;
        if (!before.slots().equals(m.slots()) || before.selfIndex() != m.selfIndex()) {
            listeners.forEach(l -> l.accept(m));
        }
        return m;
    }

    /** Removes this instance's entry (if it is still its own): the others take over its part at once. */
    public synchronized void unregister() {
        if (incarnation == null) {
            return;
        }
        String mine = incarnation;
        incarnation = null;
        db.inChangingTransaction(c -> InstanceRepository.remove(c, name, Optional.of(mine)));
        closePresence();
        LOG.info("instance {} unregistered", name);
    }

    /**
     * On PostgreSQL, holds this incarnation's presence on a connection of its own (any earlier one is closed): the
     * others see this instance die the moment its process does ({@link LiveInstances}).
     */
    private void takePresence() {
        if (!db.isPostgresql()) {
            return;
        }
        closePresence();
        try {
            Connection c = db.openDedicatedConnection();
            if (!InstancePresence.hold(c, incarnation)) {
                LOG.warn("the presence of instance {} ({}) is held by another connection", name, incarnation);
            }
            presence = c;
        } catch (SQLException e) {
            throw new StoreException("cannot take the presence of instance " + name + ": " + e.getMessage(), e);
        }
    }

    private boolean presenceIsHeld() {
        if (!db.isPostgresql()) {
            return true;
        }
        try {
            return presence != null && presence.isValid(PRESENCE_CHECK_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }

    private void closePresence() {
        Connection c = presence;
        presence = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing the presence connection: {}", e.toString());
            }
        }
    }
}
