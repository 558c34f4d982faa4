package org.liso.loop;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code --max-connections} bound of a whole server, shared by the listeners of all its loops. Over the bound a
 * new connection is accepted and closed at once (the client sees an immediate close instead of a hang in the
 * backlog). Safe from any thread: loops take and give back slots concurrently, and the bound holds for their sum.
 *
 * <p>One counter, touched once on accept and once on close: a connection costs two atomic operations on a shared
 * line, whatever it does in between, so the contention grows with the connection rate, not the request rate.
 */
public final class ConnectionBudget {
    public static final int DEFAULT_MAX = 1024;

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong refusals = new java.util.concurrent.atomic.AtomicLong();

    public ConnectionBudget(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max-connections must be at least 1, was " + max);
        }
        this.max = max;
    }

    public boolean tryAcquire() {
        for (int n = open.get(); n < max; n = open.get()) {
            if (open.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    public void release() {
        open.decrementAndGet();
    }

    /** Counts one connection refused for lack of a slot (by any loop); the count so far, this one included. */
    public long refused() {
        return refusals.incrementAndGet();
    }

    public int open() {
        return open.get();
    }

    public int max() {
        return max;
    }
}
