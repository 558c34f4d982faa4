package org.liso.fastcgi;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many connections one application serves at once, learned from its answers ({@code --fastcgi-idle auto}, the
 * default), so that connections can be kept (FCGI_KEEP_CONN, specification §5.1) without starving anyone. PHP-FPM
 * gives a connection a worker from its accept until it closes, and does not say how many workers it has (its answer
 * to FCGI_GET_VALUES lacks FCGI_MAX_CONNS): a connection beyond its workers waits in the listen backlog until one of
 * ours closes, and kept connections never close. So a connection is <em>bound</em> once a request on it has been
 * answered (it holds a worker), <em>fresh</em> before; and:
 * <ul>
 * <li>the limit is the most bound connections seen open at once (they held that many workers together); it starts
 *     at one, and one connection beyond it (a probe) opens when a request has to wait, no worker is owed (below),
 *     and no probe failed in the last {@link #PROBE_EVERY} requests;</li>
 * <li>a fresh connection opened while bound ones exist is <em>owed</em> a worker of theirs until it is answered or
 *     one of them closed for it: a bound connection that finishes with no request waiting closes instead of idling
 *     (or an idle one closes), and once the bound ones have completed more than two requests each since it opened (a
 *     spare worker would have answered it by then), the one completing next closes, so its worker can take the fresh
 *     one: the probe failed, the limit is the bound connections. One close per fresh connection at most: one still
 *     unanswered after that is a slow request (a long poll), not one waiting for a worker.</li>
 * </ul>
 * A fresh connection therefore waits at most about three of the others' requests, never a timeout, whatever the
 * application's workers (PHP-FPM's pm static, dynamic or ondemand, other clients sharing it, workers recycled).
 * Safe from any thread: a completed request costs one volatile read while no worker is owed.
 *
 * <pre>
 *                 a connection opens while bound ones are open
 *          +---------------------------------------------------------+
 *          |                                                         v
 *      SETTLED  <-- the last worker owed is paid, or every fresh --  OWED (n fresh connections may wait for a
 *   (probes allowed)   connection it was owed to is answered or      |     worker of ours; no probe)
 *          ^           closed                                        |  a bound one closes for it (it would idle,
 *          +---------------------------------------------------------+  an idle one, or after 2 x bound completions:
 *                                                                       then limit = bound, no probe for PROBE_EVERY
 *                                                                       requests): n - 1
 * </pre>
 */
final class LearnedLimit {
    /** Requests completed after a failed probe before the next one: the probe's cost, a reconnection, stays < 0.1 %. */
    static final int PROBE_EVERY = 1024;

    /** Whether a fresh connection may be waiting for a worker one of ours holds. */
    enum Phase { SETTLED, OWED }

    private final int max;
    private volatile int limit = 1;
    private volatile Phase phase = Phase.SETTLED;
    /** Connections opened and not yet answered (nor closed). */
    private int fresh;
    /** Fresh connections no connection of ours closed for yet, at most {@link #fresh}; OWED while above 0. */
    private int owed;
    /** Requests completed on bound connections since OWED began (or since the last close for a worker owed). */
    private int completionsOwed;
    /** Requests completed since the last failed probe, up to PROBE_EVERY. */
    private final AtomicInteger credit = new AtomicInteger(PROBE_EVERY);

    /** @param max {@code --fastcgi-conns}: the limit never exceeds it */
    LearnedLimit(int max) {
        this.max = max;
    }

    /** True when a connection may open while {@code used} are open: within the limit, or as its one probe. */
    boolean admits(int used) {
        int l = limit;
        return used < l || used == l && l < max && phase == Phase.SETTLED && credit.get() >= PROBE_EVERY;
    }

    /**
     * A connection opened, {@code used} open with it: it is fresh until {@link #answered} (or
     * {@link #closedUnanswered}), and owed a worker if bound ones hold some.
     */
    synchronized void opened(int used) {
        boolean bound = used - 1 - fresh > 0;
        fresh++;
        if (bound && owed++ == 0) {
            completionsOwed = 0;
            phase = Phase.OWED;
        }
    }

    /** The first answer on a fresh connection came, with {@code used} connections open: it is bound now. */
    synchronized void answered(int used) {
        fresh--;
        limit = Math.max(limit, Math.min(max, used - fresh));
        owe(Math.min(owed, fresh));
    }

    /** A connection closed before any answer (refused, failed, or the request left). */
    synchronized void closedUnanswered() {
        fresh--;
        owe(Math.min(owed, fresh));
    }

    private void owe(int n) {
        owed = n;
        phase = n > 0 ? Phase.OWED : Phase.SETTLED;
    }

    /** True while a fresh connection may wait for a worker of ours (for tests and diagnostics). */
    boolean owes() {
        return phase == Phase.OWED;
    }

    /**
     * True, once per worker owed, when a bound connection that would otherwise idle (or an idle one) should close:
     * a fresh connection may be waiting for its worker.
     */
    boolean takeOwed() {
        return phase == Phase.OWED && takeOwedLocked();
    }

    private synchronized boolean takeOwedLocked() {
        if (owed == 0) {
            return false;
        }
        completionsOwed = 0;
        owe(owed - 1);
        return true;
    }

    /**
     * A request completed on a bound connection, with {@code used} connections open; true when that connection must
     * close instead of serving another request, so its worker can take a fresh connection waiting for one.
     */
    boolean completed(int used) {
        if (credit.get() < PROBE_EVERY) {
            credit.incrementAndGet(); // may pass PROBE_EVERY by a few when loops race; it only has to reach it
        }
        return phase == Phase.OWED && completedWhileOwed(used);
    }

    private synchronized boolean completedWhileOwed(int used) {
        if (owed == 0) {
            return false;
        }
        int bound = used - fresh;
        if (++completionsOwed <= 2 * bound) {
            return false;
        }
        completionsOwed = 0;
        owe(owed - 1);
        limit = Math.max(1, Math.min(limit, bound));
        credit.set(0);
        return true;
    }

    /** The limit now (for tests and diagnostics). */
    int limit() {
        return limit;
    }
}
