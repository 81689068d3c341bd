package io.p2sgw.api.arm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.p2sgw.control.ArmException;
import io.p2sgw.control.service.OperationsInProgress;
import io.p2sgw.control.store.Database;
import io.p2sgw.control.store.OperationRepository;
import io.p2sgw.control.store.OperationRepository.OperationRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * ARM long-running operations (azure-p2s.md §1.1): each has an id, a status that the client polls at the
 * {@code Azure-AsyncOperation} URL, and an optional result served at the {@code Location} URL. Kept in the store
 * (issue 17), so that an operation started through one instance is polled to completion through any other, and a
 * poll after a restart still finds it.
 */
public final class Operations {
    /** Finished operations stay pollable this long. */
    public static final Duration RETENTION = Duration.ofHours(1);
    /** Bound on remembered operations so a busy client cannot grow the table without end. */
    public static final int MAX_OPERATIONS = 10_000;
    /** How long past its expected end an operation holds its resource before it counts as abandoned. */
    public static final Duration HOLD_GRACE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Status {
        IN_PROGRESS("InProgress"), SUCCEEDED("Succeeded"), FAILED("Failed");

        private final String armName;

        Status(String armName) {
            this.armName = armName;
        }

        public String armName() {
            return armName;
        }

        static Status parse(String armName) {
            for (Status s : values()) {
                if (s.armName.equals(armName)) {
                    return s;
                }
            }
            throw new IllegalStateException("stored operation status " + armName + " is unknown");
        }
    }

    /** One operation as it was when read. */
    public record Operation(String id, Instant started, Status status, Optional<Instant> ended,
                            Optional<JsonNode> result, Optional<ArmException> error) {}

    private final OperationRepository store;
    private final Clock clock;

    public Operations(Clock clock, Database db) {
        this.clock = clock;
        this.store = new OperationRepository(db);
    }

    public Operation start() {
        Instant now = clock.instant();
        store.evict(now.minus(RETENTION), MAX_OPERATIONS - 1);
        Operation op = new Operation(UUID.randomUUID().toString(), now, Status.IN_PROGRESS, Optional.empty(),
                Optional.empty(), Optional.empty());
        store.insert(op.id(), op.status().armName(), now);
        return op;
    }

    /**
     * Starts an operation that holds a resource (ARM: one write at a time per resource) until it ends, across every
     * instance sharing the store. An operation that outlives {@code expected} by {@link #HOLD_GRACE} (its instance
     * died) stops holding and reads as failed.
     *
     * @param resourceKey the lower-cased ARM id of the resource ({@code ResourceRef.key()})
     * @param refusal     the error for a resource that another operation holds, given that operation's id
     * @throws ArmException from {@code refusal} when another operation in progress holds the resource
     */
    public Operation startHolding(String resourceKey, Duration expected, Function<String, ArmException> refusal) {
        Instant now = clock.instant();
        store.evict(now.minus(RETENTION), MAX_OPERATIONS - 1);
        String id = UUID.randomUUID().toString();
        Optional<String> holder = store.claim(id, resourceKey, now, now.plus(expected).plus(HOLD_GRACE));
        if (holder.isPresent()) {
            throw refusal.apply(holder.get());
        }
        return new Operation(id, now, Status.IN_PROGRESS, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * The check of a delete that would take gateways with it (a resource group, a virtual network): refused with
     * {@code refusal} while an operation in progress holds one of them, on this clock (holds expire as in
     * {@link #startHolding}).
     */
    public OperationsInProgress inProgress(OperationsInProgress.Refusal refusal) {
        return new OperationsInProgress(clock, refusal);
    }

    /**
     * Forgets an operation whose write was refused or needed no long-running operation after all: the client never saw
     * its id, and the resource it held is free again.
     */
    public void release(Operation op) {
        store.delete(op.id());
    }

    public void succeed(Operation op, JsonNode result) {
        store.end(op.id(), Status.SUCCEEDED.armName(), clock.instant(), Optional.ofNullable(result).map(JsonNode::toString),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    public void fail(Operation op, ArmException error) {
        store.end(op.id(), Status.FAILED.armName(), clock.instant(), Optional.empty(), Optional.of(error.status()),
                Optional.of(error.code()), Optional.ofNullable(error.getMessage()));
    }

    public Optional<Operation> get(String id) {
        store.expireAbandoned(clock.instant());
        return store.get(id).map(Operations::operation);
    }

    private static Operation operation(OperationRow r) {
        Optional<JsonNode> result = r.resultJson().map(json -> {
            try {
                return JSON.readTree(json);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored operation result is not JSON", e);
            }
        });
        Optional<ArmException> error = r.errorCode().map(code -> new ArmException(r.errorStatus().orElse(500), code,
                r.errorMessage().orElse("")));
        return new Operation(r.id(), r.startedAt(), Status.parse(r.status()), r.endedAt(), result, error);
    }
}
