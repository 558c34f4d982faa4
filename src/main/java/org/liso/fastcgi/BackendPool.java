package org.liso.fastcgi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.liso.Log;
import org.liso.loop.EventLoop;

/**
 * One loop's connections to one FastCGI application, within the application's {@link ApplicationSlots} (the
 * server-wide {@code --fastcgi-conns} and {@code --fastcgi-idle}): requests beyond the bound wait in turn, so the
 * application never sees more connections than it was given and its listen backlog never holds a request of ours
 * that no worker will take. With FCGI_KEEP_CONN (specification §5.1, when {@code --fastcgi-idle} is auto or > 0) a
 * finished connection goes to the next request waiting on this loop, or is kept for the next one unless a request
 * waits on another loop (then it closes, and its slot goes there) or, with a learned bound ({@link LearnedLimit}), an
 * unanswered connection of the application is owed a worker. It also closes instead of serving this loop's next
 * request when the learned bound says an unanswered connection needs its worker, or when another loop's requests have
 * waited without any connection for {@link #HANDOFF_AFTER} of this loop's. A graceful shutdown answers the waiting
 * requests 503: no connection will be given to them. Loop thread only, except where a method says otherwise.
 */
final class BackendPool {
    static final int READ_BUFFER = 32 * 1024;
    /**
     * Requests this loop serves while another loop's requests wait without any connection, before a connection of
     * its own goes there: it goes at all so no loop starves, and not at once so that, with fewer connections than
     * loops, they do not move (close and open) at every request.
     */
    static final int HANDOFF_AFTER = 16;

    /** A request waiting for a connection. */
    interface Waiter {
        void granted(BackendConnection c);

        /** No connection could be opened for it. */
        void unreachable(IOException e);

        /** No connection will be given to it (the server is shutting down). */
        void refused(String why);
    }

    private final EventLoop loop;
    private final BackendAddress backend;
    private final ApplicationSlots slots;
    private final ArrayDeque<BackendConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    /** Every read of this pool's connections lands here; its user takes all of it before the next read. */
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER);
    /** Read by other loops' requests, which ask for idle connections to be given up only where there are some. */
    private volatile boolean hasIdle;
    private final AtomicBoolean shedQueued = new AtomicBoolean();
    /** This pool's connections open now. */
    private int connections;
    /** Read by other loops: requests wait here and this pool has no connection at all. */
    private volatile boolean starving;
    /** Requests completed here since another loop began to starve (see {@link #HANDOFF_AFTER}). */
    private int servedWhileOthersStarve;

    /** On the loop's thread: the pool hooks into the loop's graceful shutdown. */
    BackendPool(EventLoop loop, BackendAddress backend, ApplicationSlots slots) {
        this.loop = loop;
        this.backend = backend;
        this.slots = slots;
        slots.register(this);
        loop.onShutdown(this::shutdown);
    }

    ByteBuffer readBuffer() {
        return readBuffer;
    }

    BackendAddress backend() {
        return backend;
    }

    boolean keepsConnections() {
        return slots.keepsConnections();
    }

    /**
     * An idle connection (unless {@code fresh}), a new one (maybe still connecting), or null: then {@code w} was
     * queued (it is {@linkplain Waiter#granted granted} a connection later, unless {@linkplain #cancel cancelled}), or
     * it was {@linkplain Waiter#refused refused} at once because the server is shutting down.
     *
     * @param fresh a new connection only: the retry of a request whose kept connection turned out closed
     */
    BackendConnection acquire(Waiter w, boolean fresh) throws IOException {
        BackendConnection c = fresh ? null : takeIdle();
        if (c != null) {
            return c;
        }
        if (slots.tryAcquire()) {
            return open();
        }
        if (loop.isShuttingDown()) {
            w.refused("the server is shutting down");
            return null;
        }
        waiting.add(w);
        updateStarving();
        slots.claim(this);
        if (Log.enabled(Log.Level.DEBUG)) {
            Log.debug("fastcgi", "request waits for a connection", "backend", backend, "waiting", waiting.size());
        }
        return null;
    }

    /** {@code w} no longer wants a connection (it timed out, failed, or its client went away). */
    void cancel(Waiter w) {
        if (waiting.remove(w)) {
            updateStarving();
            slots.withdraw(this);
        }
    }

    /** Any thread: requests wait here without any connection of this pool. */
    boolean starving() {
        return starving;
    }

    private void updateStarving() {
        starving = connections == 0 && !waiting.isEmpty();
    }

    /** The request on {@code c} ended cleanly: a request waiting here gets it, or it is kept, or it closes. */
    void release(BackendConnection c) {
        if (!c.open()) {
            return;
        }
        if (!slots.keepsConnections()) {
            c.discard(); // without FCGI_KEEP_CONN the application closes it anyway; forget() passes the slot on
            return;
        }
        if (slots.completed() || handOff()) {
            c.discard(); // its worker is wanted by an unanswered connection, or its slot by another loop
            return;
        }
        Waiter next = waiting.poll();
        if (next != null) {
            slots.withdraw(this);
            next.granted(c);
        } else if (!slots.claimed() && !loop.isShuttingDown() && !slots.takeOwedWorker() && slots.tryIdle()) {
            c.idle();
            idle.addFirst(c);
            hasIdle = true;
        } else {
            c.discard(); // kept beyond the bound, a request of another loop waits for its slot, or an unanswered
                         // connection may wait for the worker it holds
        }
    }

    /** True when a connection should go to a loop whose requests wait without any. */
    private boolean handOff() {
        if (!slots.starvingElsewhere(this)) {
            servedWhileOthersStarve = 0;
            return false;
        }
        if (++servedWhileOthersStarve < HANDOFF_AFTER) {
            return false;
        }
        servedWhileOthersStarve = 0;
        return true;
    }

    /** The first answer on {@code c} came: the application gave it a worker. */
    void answered(BackendConnection c) {
        if (slots.answered()) {
            loop.execute(slots::grantWaiting); // not within the read that is being handed over
        }
    }

    /** {@code c} closed: its slot goes back, to a request waiting here or on another loop. */
    void forget(BackendConnection c) {
        if (idle.remove(c)) {
            idleTaken();
        }
        connections--;
        updateStarving();
        if (!c.answered()) {
            slots.closedUnanswered();
        }
        slots.release();
    }

    /** Any thread: a slot is this pool's now, for its oldest waiting request. */
    void slotGranted() {
        if (loop.inLoop()) {
            grantSlot();
        } else {
            loop.execute(this::grantSlot);
        }
    }

    /** Any thread: a request on another loop waits; close an idle connection here, if there is one, for its slot. */
    void shedIdleSoon() {
        if (hasIdle && shedQueued.compareAndSet(false, true)) {
            loop.execute(this::shedIdle);
        }
    }

    private void grantSlot() {
        Waiter w = waiting.poll();
        if (w == null) {
            slots.release(); // its request left meanwhile
            return;
        }
        updateStarving();
        BackendConnection c;
        try {
            c = open();
        } catch (IOException e) {
            w.unreachable(e);
            return;
        }
        w.granted(c);
    }

    private void shedIdle() {
        shedQueued.set(false);
        if (idle.isEmpty() || !slots.claimed() && !slots.takeOwedWorker()) {
            return;
        }
        BackendConnection c = idle.pollLast(); // the one unused longest
        if (c != null) {
            idleTaken();
            c.discard();
        }
    }

    /** With a slot taken: a new connection; the slot goes back if it cannot be opened. */
    private BackendConnection open() throws IOException {
        BackendConnection c;
        try {
            c = BackendConnection.open(loop, backend, this);
        } catch (IOException | RuntimeException e) {
            slots.release();
            throw e;
        }
        connections++;
        updateStarving();
        slots.opened();
        return c;
    }

    private BackendConnection takeIdle() {
        BackendConnection c = idle.pollFirst();
        if (c != null) {
            idleTaken();
        }
        return c;
    }

    private void idleTaken() {
        slots.idleEnded();
        hasIdle = !idle.isEmpty();
    }

    /** The loop's graceful shutdown began: waiting requests are answered, idle connections close. */
    private void shutdown() {
        for (Waiter w; (w = waiting.poll()) != null; ) {
            slots.withdraw(this);
            w.refused("the server is shutting down");
        }
        updateStarving();
        for (BackendConnection c; (c = idle.pollFirst()) != null; ) {
            idleTaken();
            c.discard();
        }
    }
}
