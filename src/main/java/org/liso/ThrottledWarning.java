package org.liso;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A warning that a client or a flood can trigger at will (a symlink that leaves the root, a file or a connection
 * while the process is out of descriptors): logged at most once per interval, with how many repeats were held back
 * since the last line, so the operator hears of it without the error log being flooded. Thread-safe: a file
 * handler is shared by every loop.
 */
public final class ThrottledWarning {
    public static final long INTERVAL_MILLIS = 10_000;

    private final String component;
    private final String message;
    private final long intervalNanos;
    private final AtomicLong nextAt;
    private final AtomicLong heldBack = new AtomicLong();
    private final LongSupplier nanoClock;

    public ThrottledWarning(String component, String message, long intervalMillis) {
        this(component, message, intervalMillis, System::nanoTime);
    }

    /** {@code nanoClock}: monotonic nanoseconds ({@link System#nanoTime} outside tests). */
    ThrottledWarning(String component, String message, long intervalMillis, LongSupplier nanoClock) {
        this.component = component;
        this.message = message;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.nanoClock = nanoClock;
        this.nextAt = new AtomicLong(nanoClock.getAsLong());
    }

    /** Logs {@code message} with {@code kv}, unless a line went out less than an interval ago. */
    public void warn(Object... kv) {
        long now = nanoClock.getAsLong();
        long next = nextAt.get();
        if (now - next < 0 || !nextAt.compareAndSet(next, now + intervalNanos)) {
            heldBack.incrementAndGet();
            return;
        }
        Object[] all = Arrays.copyOf(kv, kv.length + 2);
        all[kv.length] = "repeats_held_back";
        all[kv.length + 1] = heldBack.getAndSet(0);
        Log.warn(component, message, all);
    }
}
