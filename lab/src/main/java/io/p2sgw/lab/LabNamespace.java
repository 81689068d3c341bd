package io.p2sgw.lab;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * One network namespace for a test that needs no whole {@link Lab} (the data plane's TUN test), taken the way a lab is:
 * under the lab lock, so a lab starting meanwhile neither removes it as stale nor routes into it; named
 * {@code p2sgw-<random>-<purpose>}, so the next lab removes it if this process dies before {@link #close()}. Closing
 * deletes the namespace (with whatever links were moved into it) and releases the lock, also after a failed
 * {@link #create}. Needs root.
 */
public final class LabNamespace implements AutoCloseable {
    /** What {@code purpose} may be: short enough for the name to stay readable in {@code ip netns list}. */
    private static final Pattern PURPOSE = Pattern.compile("[a-z0-9]{1,16}");

    private final String runId;
    private final String name;
    private LabLock lock;

    private LabNamespace(String runId, String name, LabLock lock) {
        this.runId = runId;
        this.name = name;
        this.lock = lock;
    }

    /**
     * Waits for the lab lock (another lab on the host may hold it), removes what a dead lab left behind, and creates
     * the namespace.
     *
     * @param purpose a short word for the name, such as {@code tuntest}
     */
    public static LabNamespace create(String purpose) {
        if (!PURPOSE.matcher(purpose).matches()) {
            throw new IllegalArgumentException("purpose must match " + PURPOSE + ": " + purpose);
        }
        String runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
        LabLock lock = LabLock.acquire();
        LabNamespace ns = new LabNamespace(runId, "p2sgw-" + runId + "-" + purpose, lock);
        try {
            Lab.removeStale();
            Cmd.run("ip", "netns", "add", ns.name).orThrow();
            return ns;
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    /** The namespace's name, for {@code ip netns exec} and {@code ip link set ... netns}. */
    public String name() {
        return name;
    }

    /** Six random hex digits unique to this namespace, for naming what a test creates beside it (a TUN device). */
    public String runId() {
        return runId;
    }

    /** Runs a command inside the namespace. */
    public Cmd.Result exec(String... command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
        all.addAll(List.of(command));
        return Cmd.run(all);
    }

    /** Whether the namespace exists now. */
    public boolean exists() {
        Cmd.Result list = Cmd.run("ip", "netns", "list");
        return list.ok() && list.output().lines().map(l -> l.split("\\s+")[0]).anyMatch(name::equals);
    }

    /**
     * Kills what still runs in the namespace, deletes it and releases the lab lock; safe to call twice.
     *
     * @throws LabException when the namespace could not be deleted (the lock is released all the same)
     */
    @Override
    public synchronized void close() {
        if (lock == null) {
            return;
        }
        try {
            Cmd.Result pids = Cmd.run("ip", "netns", "pids", name);
            if (pids.ok()) {
                pids.output().lines().map(String::trim).filter(s -> s.matches("\\d+")).map(Long::parseLong)
                        .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            }
            if (exists()) {
                Cmd.Result del = Cmd.run("ip", "netns", "del", name);
                if (!del.ok()) {
                    throw new LabException("ip netns del " + name + ": " + del.output().strip());
                }
            }
        } finally {
            lock.close();
            lock = null;
        }
    }
}
