package io.p2sgw.api.arm;

import io.javalin.http.Context;
import io.p2sgw.api.http.CloudErrors;
import io.p2sgw.control.ArmException;
import io.p2sgw.control.model.ResourceRef;
import io.p2sgw.control.service.NetworkService;
import io.p2sgw.control.service.OperationsInProgress;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Writes to a virtual network gateway, one at a time as in ARM: a write while an operation on the gateway is in
 * progress is refused with 409 {@code AnotherOperationInProgress} (issue 17), whichever instance sharing the store
 * runs that operation, because the operation that holds the gateway is in the store ({@link Operations#startHolding}).
 * A write that provisions (PUT of the gateway or of a certificate) holds it until its operation ends; any other write
 * (PATCH, DELETE, the reset and package actions) holds it while it runs.
 */
public final class GatewayWrites {
    /** How long a write that ends before its answer is expected to hold the gateway (the hold's expiry: issue 17). */
    static final Duration SHORT_WRITE = Duration.ofSeconds(30);

    private final NetworkService network;
    private final Operations operations;
    private final ApiSettings settings;
    private final ScheduledExecutorService provisioning;

    public GatewayWrites(NetworkService network, Operations operations, ApiSettings settings, ScheduledExecutorService provisioning) {
        this.network = network;
        this.operations = operations;
        this.settings = settings;
        this.provisioning = provisioning;
    }

    /** Runs a write that ends before the answer while holding the gateway. */
    <T> T exclusive(Context ctx, ResourceRef gw, Supplier<T> write) {
        Operations.Operation op = hold(ctx, gw, SHORT_WRITE);
        try {
            return write.get();
        } finally {
            operations.release(op);
        }
    }

    /**
     * Runs a write that, when {@code provisions} says so of its result, leaves the gateway {@code Updating}: the
     * gateway stays held until the operation ends, and the answer names the operation (azure-p2s.md §1.1).
     */
    <T> T provisioning(Context ctx, ResourceRef gw, Supplier<T> write, Predicate<T> provisions) {
        Operations.Operation op = hold(ctx, gw, settings.provisioningDelay());
        T result;
        try {
            result = write.get();
        } catch (RuntimeException e) {
            operations.release(op);
            throw e;
        }
        if (!provisions.test(result)) {
            operations.release(op);
            return result;
        }
        ctx.header("Azure-AsyncOperation", ArmRoutes.operationUrl(ctx, gw, locationOf(gw), "operations", op.id()));
        ctx.header("Retry-After", ArmRoutes.RETRY_AFTER_SECONDS);
        provisioning.schedule(() -> {
            try {
                network.finishProvisioning(gw);
                operations.succeed(op, null);
            } catch (ArmException e) {
                operations.fail(op, e);
            } catch (RuntimeException e) {
                operations.fail(op, new ArmException(500, "InternalServerError", "Provisioning failed: " + e.getMessage()));
            }
        }, settings.provisioningDelay().toMillis(), TimeUnit.MILLISECONDS);
        return result;
    }

    private Operations.Operation hold(Context ctx, ResourceRef gw, Duration expected) {
        return operations.startHolding(gw.key(), expected, holder -> refusal(ctx, gw, holder));
    }

    /**
     * The check of a delete of what holds gateways (a resource group, a virtual network): refused, as a write to the
     * gateway itself is, while an operation on one of them is in progress.
     */
    OperationsInProgress deletes(Context ctx) {
        return operations.inProgress((gw, holder) -> refusal(ctx, gw, holder));
    }

    /** The 409 naming the running operation's {@code Azure-AsyncOperation} URI, under the gateway's location. */
    private ArmException refusal(Context ctx, ResourceRef gw, String holder) {
        return CloudErrors.anotherOperationInProgress(ArmRoutes.operationUrl(ctx, gw, locationOf(gw), "operations", holder));
    }

    /** ARM puts a gateway's operations under its location; one not (or no longer) stored has the default. */
    private String locationOf(ResourceRef gw) {
        try {
            return network.get(gw).path("location").asText(ArmRoutes.DEFAULT_LOCATION);
        } catch (ArmException e) {
            return ArmRoutes.DEFAULT_LOCATION;
        }
    }
}
