package io.p2sgw.api.arm;

import com.fasterxml.jackson.databind.JsonNode;
import io.p2sgw.control.ArmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ARM long-running operations (azure-p2s.md §1.1): each has an id, a status that the client polls at the
 * {@code Azure-AsyncOperation} URL, and an optional result served at the {@code Location} URL. Kept in
 * memory: an operation is a minute's business, and a restart finishes all provisioning anyway.
 */
public final class Operations {
    /** Finished operations stay pollable this long. */
    public static final Duration RETENTION = Duration.ofHours(1);
    /** Bound on remembered operations so a busy client cannot grow the map without end. */
    public static final int MAX_OPERATIONS = 10_000;

    public enum Status {
        IN_PROGRESS("InProgress"), SUCCEEDED("Succeeded"), FAILED("Failed");

        private final String armName;

        Status(String armName) {
            this.armName = armName;
        }

        public String armName() {
            return armName;
        }
    }

    /** One operation; mutable status, read by pollers on other threads. */
    public static final class Operation {
        private final String id;
        private final Instant started;
        private volatile Status status = Status.IN_PROGRESS;
        private volatile Instant ended;
        private volatile JsonNode result;
        private volatile ArmException error;

        Operation(String id, Instant started) {
            this.id = id;
            this.started = started;
        }

        public String id() {
            return id;
        }

        public Instant started() {
            return started;
        }

        public Status status() {
            return status;
        }

        public Optional<Instant> ended() {
            return Optional.ofNullable(ended);
        }

        public Optional<JsonNode> result() {
            return Optional.ofNullable(result);
        }

        public Optional<ArmException> error() {
            return Optional.ofNullable(error);
        }
    }

    private final Map<String, Operation> operations = new ConcurrentHashMap<>();
    private final Clock clock;

    public Operations(Clock clock) {
        this.clock = clock;
    }

    public Operation start() {
        evict();
        Operation op = new Operation(UUID.randomUUID().toString(), clock.instant());
        operations.put(op.id, op);
        return op;
    }

    public void succeed(Operation op, JsonNode result) {
        op.result = result;
        op.ended = clock.instant();
        op.status = Status.SUCCEEDED;
    }

    public void fail(Operation op, ArmException error) {
        op.error = error;
        op.ended = clock.instant();
        op.status = Status.FAILED;
    }

    public Optional<Operation> get(String id) {
        return Optional.ofNullable(operations.get(id));
    }

    private void evict() {
        Instant cutoff = clock.instant().minus(RETENTION);
        operations.values().removeIf(o -> o.ended != null && o.ended.isBefore(cutoff));
        if (operations.size() >= MAX_OPERATIONS) {
            // Oldest first; in-progress ones are the last to go.
            Iterator<Operation> it = operations.values().stream()
                    .sorted((a, b) -> a.started.compareTo(b.started)).iterator();
            while (operations.size() >= MAX_OPERATIONS && it.hasNext()) {
                operations.remove(it.next().id);
            }
        }
    }
}
