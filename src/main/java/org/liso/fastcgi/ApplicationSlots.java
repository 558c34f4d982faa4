package org.liso.fastcgi;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code --fastcgi-conns} and {@code --fastcgi-idle} bounds of one application for the whole server, shared by
 * the pools of all loops (each loop has its own pool, so the bounds would otherwise multiply by {@code --loops}, and
 * PHP-FPM's {@code pm.max_children} would be exceeded). A pool takes a slot for every connection it opens and gives
 * it back when the connection closes. A pool that finds none queues one claim per waiting request; a slot given back
 * goes to the oldest claim, on its pool's loop, so a request waiting on one loop gets a connection that closed on
 * another. Connections kept idle on other loops are asked to close when a request has to wait, so no request waits
 * for a connection that sits unused elsewhere. Safe from any thread; a connection that opens and closes costs two
 * atomic operations, a kept one none while no request waits.
 */
final class ApplicationSlots {
    private final int maxConnections;
    private final int maxIdle;
    private final AtomicInteger used = new AtomicInteger();
    private final AtomicInteger idle = new AtomicInteger();
    /** One entry per request waiting for a slot, naming its pool, oldest first. */
    private final ConcurrentLinkedQueue<BackendPool> claims = new ConcurrentLinkedQueue<>();
    private final List<BackendPool> pools = new CopyOnWriteArrayList<>();

    ApplicationSlots(int maxConnections, int maxIdle) {
        this.maxConnections = maxConnections;
        this.maxIdle = maxIdle;
    }

    /** A loop's pool for this application, asked to give up idle connections when another loop's request waits. */
    void register(BackendPool pool) {
        pools.add(pool);
    }

    /** True when connections are kept between requests (FCGI_KEEP_CONN is asked for). */
    boolean keepsConnections() {
        return maxIdle > 0;
    }

    /** A slot for a new connection, if the bound allows one now. */
    boolean tryAcquire() {
        for (int n = used.get(); n < maxConnections; n = used.get()) {
            if (used.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A request of {@code pool} waits for a slot: it will be {@linkplain BackendPool#slotGranted granted} one, unless
     * the claim is {@linkplain #withdraw withdrawn}.
     */
    void claim(BackendPool pool) {
        claims.add(pool);
        if (tryAcquire()) {
            release(); // a slot came back between the pool's failed try and the claim: it goes to the oldest claim
            return;
        }
        if (idle.get() > 0) {
            for (BackendPool p : pools) {
                if (p != pool) {
                    p.shedIdleSoon();
                }
            }
        }
    }

    /** A waiting request of {@code pool} no longer wants a slot (it got a kept connection, timed out, or left). */
    void withdraw(BackendPool pool) {
        claims.remove(pool);
    }

    /** True while some request waits for a slot: a finished connection should close rather than idle. */
    boolean claimed() {
        return !claims.isEmpty();
    }

    /** A connection closed: its slot goes to the oldest claim, else back to the bound. */
    void release() {
        while (true) {
            BackendPool next = claims.poll();
            if (next != null) {
                next.slotGranted();
                return;
            }
            used.decrementAndGet();
            // A claim made between the poll and the decrement found the bound full: take the slot back for it.
            if (claims.isEmpty() || !tryAcquire()) {
                return;
            }
        }
    }

    /** A connection may be kept idle, within {@code --fastcgi-idle}; {@link #idleEnded} when it is used or closed. */
    boolean tryIdle() {
        for (int n = idle.get(); n < maxIdle; n = idle.get()) {
            if (idle.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    void idleEnded() {
        idle.decrementAndGet();
    }

    /** Connections open now, over all loops (for tests and diagnostics). */
    int used() {
        return used.get();
    }
}
