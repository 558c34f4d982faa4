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
 * goes to the oldest claim (a pool whose requests wait without any connection first), on its pool's loop, so a
 * request waiting on one loop gets a connection that closed on another. Connections kept idle on other loops are
 * asked to close when a request has to wait, so no request waits for a connection that sits unused elsewhere. With
 * {@code --fastcgi-idle auto} the bound is the application's workers as {@link LearnedLimit} learns them (at most
 * {@code --fastcgi-conns}), and idle connections are kept without a bound of their own. Safe from any thread; a
 * connection that opens and closes costs a few atomic operations, a kept one none while no request waits.
 */
final class ApplicationSlots {
    private final int maxConnections;
    private final int maxIdle;
    /** The learned bound, or null when the bounds are the flags' numbers. */
    private final LearnedLimit learned;
    private final AtomicInteger used = new AtomicInteger();
    private final AtomicInteger idle = new AtomicInteger();
    /** One entry per request waiting for a slot, naming its pool, oldest first. */
    private final ConcurrentLinkedQueue<BackendPool> claims = new ConcurrentLinkedQueue<>();
    private final List<BackendPool> pools = new CopyOnWriteArrayList<>();

    /** @param maxIdle idle connections at most, or {@link FastCgiOptions#IDLE_LEARNED} to learn the workers */
    ApplicationSlots(int maxConnections, int maxIdle) {
        this.maxConnections = maxConnections;
        this.learned = maxIdle == FastCgiOptions.IDLE_LEARNED ? new LearnedLimit(maxConnections) : null;
        this.maxIdle = learned != null ? maxConnections : maxIdle;
    }

    /** A loop's pool for this application, asked to give up idle connections when another loop's request waits. */
    void register(BackendPool pool) {
        pools.add(pool);
    }

    /** True when connections are kept between requests (FCGI_KEEP_CONN is asked for). */
    boolean keepsConnections() {
        return maxIdle > 0;
    }

    /** The learned bound (for tests and diagnostics), or -1 when the bounds are the flags'. */
    int learnedLimit() {
        return learned == null ? -1 : learned.limit();
    }

    /** A slot for a new connection, if the bound allows one now. */
    boolean tryAcquire() {
        for (int n = used.get(); admits(n); n = used.get()) {
            if (used.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    private boolean admits(int used) {
        return learned == null ? used < maxConnections : learned.admits(used);
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

    /** True while some request waits for a slot. */
    boolean claimed() {
        return !claims.isEmpty();
    }

    /** A connection closed: its slot goes to the first claim if the bound allows one now, else back to the bound. */
    void release() {
        if (!claims.isEmpty() && admits(used.get() - 1)) {
            BackendPool next = firstClaim();
            if (next != null) {
                next.slotGranted(); // handed on as it is, so no newer request takes it first
                return;
            }
        }
        used.decrementAndGet();
        grantWaiting();
    }

    /**
     * A slot for the first claim, if there is one and the bound allows it: a claim made between a pool's failed try
     * and its queuing, or after a slot came back, is not left waiting for the next one to come back.
     */
    void grantWaiting() {
        while (!claims.isEmpty() && tryAcquire()) {
            BackendPool next = firstClaim();
            if (next != null) {
                next.slotGranted();
                return;
            }
            used.decrementAndGet(); // the claims were withdrawn meanwhile
        }
    }

    /** The oldest claim of a pool whose requests wait without any connection, else the oldest claim. */
    private BackendPool firstClaim() {
        for (BackendPool p : claims) {
            if (p.starving() && claims.remove(p)) {
                return p;
            }
        }
        return claims.poll();
    }

    /**
     * True when a pool other than {@code pool} has requests waiting and no connection: a connection {@code pool}
     * finished with should close, so its slot goes there, rather than serve {@code pool}'s next request (its loop
     * could otherwise keep every connection while the other's requests time out).
     */
    boolean starvingElsewhere(BackendPool pool) {
        if (claims.isEmpty()) {
            return false;
        }
        for (BackendPool p : pools) {
            if (p != pool && p.starving()) {
                return true;
            }
        }
        return false;
    }

    /** A connection opened (learned bound: it is unanswered; idle ones elsewhere close, they may hold its worker). */
    void opened() {
        if (learned == null) {
            return;
        }
        learned.opened(used.get());
        if (idle.get() > 0) {
            for (BackendPool p : pools) {
                p.shedIdleSoon();
            }
        }
    }

    /**
     * The first answer on a connection came; true when requests wait and the learned bound may now allow one more
     * connection: then {@link #grantWaiting} should run (after the answer is handled).
     */
    boolean answered() {
        if (learned == null) {
            return false;
        }
        learned.answered(used.get());
        return !claims.isEmpty();
    }

    /** A connection closed without ever being answered. */
    void closedUnanswered() {
        if (learned != null) {
            learned.closedUnanswered();
        }
    }

    /**
     * A request completed on an answered connection; true when the connection must close rather than serve again
     * (learned bound: an unanswered connection may be waiting for its worker).
     */
    boolean completed() {
        return learned != null && learned.completed(used.get());
    }

    /**
     * True, once per worker owed to an unanswered connection (learned bound), when a connection that would idle
     * should close instead: that unanswered connection may be waiting for its worker.
     */
    boolean takeOwedWorker() {
        return learned != null && learned.takeOwed();
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
