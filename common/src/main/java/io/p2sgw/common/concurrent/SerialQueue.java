package io.p2sgw.common.concurrent;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Work of one connection, run later in arrival order and one item at a time on a virtual thread that is started
 * when work arrives and ends when the queue is empty (an idle connection holds no thread). Bounded: while
 * {@code limit} items wait, new ones are refused, as a full socket buffer drops them. Thread-safe.
 */
public final class SerialQueue<T> {
    private final int limit;
    private final String threadName;
    private final Consumer<T> handler;
    private final Consumer<RuntimeException> onFailure;
    /** Guarded by itself, as is {@link #draining}. */
    private final ArrayDeque<T> items = new ArrayDeque<>();
    private boolean draining;

    /**
     * @param handler   runs each item; an exception it throws goes to {@code onFailure} and the queue goes on
     */
    public SerialQueue(int limit, String threadName, Consumer<T> handler, Consumer<RuntimeException> onFailure) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        this.limit = limit;
        this.threadName = threadName;
        this.handler = handler;
        this.onFailure = onFailure;
    }

    /** Queues {@code item}; false (and dropped) when {@code limit} items are waiting already. */
    public boolean offer(T item) {
        synchronized (items) {
            if (items.size() >= limit) {
                return false;
            }
            items.add(item);
            if (draining) {
                return true;
            }
            draining = true;
        }
        Thread.ofVirtual().name(threadName).start(this::drain);
        return true;
    }

    private void drain() {
        while (true) {
            T item;
            synchronized (items) {
                item = items.poll();
                if (item == null) {
                    draining = false;
                    return;
                }
            }
            try {
                handler.accept(item);
            } catch (RuntimeException e) {
                onFailure.accept(e);
            }
        }
    }
}
