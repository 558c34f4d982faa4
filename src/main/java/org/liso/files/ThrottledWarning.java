package org.liso.files;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.liso.Log;

/**
 * A warning that any client can trigger at will (asking for a symlink that leaves the root, or for a file while the
 * process is out of descriptors): logged at most once per interval, with how many repeats were held back since the
 * last line, so the operator hears of it without a client being able to flood the error log. Thread-safe: the
 * file handler is shared by every loop.
 */
final class ThrottledWarning {
    static final long INTERVAL_MILLIS = 10_000;

    private final String message;
    private final long intervalNanos;
    private final AtomicLong nextAt;
    private final AtomicLong heldBack = new AtomicLong();
    private final LongSupplier nanoClock;

    ThrottledWarning(String message, long intervalMillis) {
        this(message, intervalMillis, System::nanoTime);
    }

    /** {@code nanoClock}: monotonic nanoseconds ({@link System#nanoTime} outside tests). */
    ThrottledWarning(String message, long intervalMillis, LongSupplier nanoClock) {
        this.message = message;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.nanoClock = nanoClock;
        this.nextAt = new AtomicLong(nanoClock.getAsLong());
    }

    /** Logs {@code message} with {@code kv}, unless a line went out less than an interval ago. */
    void warn(Object... kv) {
        long now = nanoClock.getAsLong();
        long next = nextAt.get();
        if (now - next < 0 || !nextAt.compareAndSet(next, now + intervalNanos)) {
            heldBack.incrementAndGet();
            return;
        }
        Object[] all = Arrays.copyOf(kv, kv.length + 2);
        all[kv.length] = "repeats_held_back";
        all[kv.length + 1] = heldBack.getAndSet(0);
        Log.warn("files", message, all);
    }
}
