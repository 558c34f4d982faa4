package org.liso.testing;

import java.util.concurrent.TimeUnit;

/**
 * Waits for a condition by polling it with a deadline, never by sleeping a fixed time: a loaded machine (JIT
 * warm-up, GC, two cores shared by a build) only makes the wait longer, and a quiet one does not pay for it. On
 * the deadline the wait fails with what it awaited and what it saw last.
 */
public final class Await {
    /** The poll interval: short against every deadline here, long enough not to load the machine. */
    static final long POLL_MILLIS = 20;

    /** A reading that may throw (from /proc, a log file, a socket). */
    @FunctionalInterface
    public interface Reading<T> {
        T get() throws Exception;
    }

    /** A condition on a reading. */
    @FunctionalInterface
    public interface Condition<T> {
        boolean holds(T value);
    }

    private Await() {
    }

    /** Polls {@code reading} until {@code condition} holds of it; returns that reading. */
    public static <T> T until(String what, long timeoutMillis, Reading<T> reading, Condition<T> condition)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        T value = reading.get();
        while (!condition.holds(value)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited " + timeoutMillis + " ms for " + what + "; last seen: " + value);
            }
            Thread.sleep(POLL_MILLIS);
            value = reading.get();
        }
        return value;
    }

    /** Polls {@code condition} until it is true. */
    public static void until(String what, long timeoutMillis, Reading<Boolean> condition) throws Exception {
        until(what, timeoutMillis, condition, Boolean::booleanValue);
    }

    /**
     * Polls a count until it has not moved for {@code stillMillis} (a writer blocked by back-pressure, a queue that
     * stopped growing); returns the settled count. Fails if it still moves after {@code timeoutMillis}.
     */
    public static long settled(String what, long stillMillis, long timeoutMillis, Reading<Long> count)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long last = count.get();
        long stillSince = System.nanoTime();
        while (System.nanoTime() - stillSince < TimeUnit.MILLISECONDS.toNanos(stillMillis)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + " still moving after " + timeoutMillis + " ms; last seen: " + last);
            }
            Thread.sleep(POLL_MILLIS);
            long now = count.get();
            if (now != last) {
                last = now;
                stillSince = System.nanoTime();
            }
        }
        return last;
    }
}
