package org.liso.fastcgi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.liso.loop.EventLoop;

/**
 * The connections of one loop to one FastCGI application: at most {@code maxConnections} at once, further requests
 * waiting in turn (so the application never sees more connections from a loop than it was given, and its listen
 * backlog never holds a request of ours that no worker will take); with FCGI_KEEP_CONN (specification §5.1, when
 * {@code maxIdle} > 0) a finished connection goes to the next waiting request or is kept, up to {@code maxIdle},
 * for the next one. Loop thread only: each loop has its own pool, so no lock is needed.
 */
final class BackendPool {
    static final int READ_BUFFER = 32 * 1024;

    /** A request waiting for a connection. */
    interface Waiter {
        void granted(BackendConnection c);

        /** No connection could be opened for it. */
        void unreachable(IOException e);
    }

    private final EventLoop loop;
    private final BackendAddress backend;
    private final int maxConnections;
    private final int maxIdle;
    private final ArrayDeque<BackendConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    /** Every read of this pool's connections lands here; its user takes all of it before the next read. */
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER);
    private int open;

    BackendPool(EventLoop loop, BackendAddress backend, int maxConnections, int maxIdle) {
        this.loop = loop;
        this.backend = backend;
        this.maxConnections = maxConnections;
        this.maxIdle = maxIdle;
    }

    ByteBuffer readBuffer() {
        return readBuffer;
    }

    BackendAddress backend() {
        return backend;
    }

    /** True when connections are kept between requests (FCGI_KEEP_CONN is asked for). */
    boolean keepsConnections() {
        return maxIdle > 0;
    }

    /**
     * An idle connection, a new one (maybe still connecting), or null when {@code w} was queued: it is
     * {@linkplain Waiter#granted granted} one later, unless {@linkplain #cancel cancelled}.
     */
    BackendConnection acquire(Waiter w) throws IOException {
        BackendConnection c = idle.pollFirst();
        if (c != null) {
            return c;
        }
        if (open < maxConnections) {
            return open();
        }
        waiting.add(w);
        return null;
    }

    /**
     * A new connection, never a kept one, beyond the limit if need be: for the one retry of a request whose kept
     * connection turned out closed (that connection's place is freed as this one opens).
     */
    BackendConnection open() throws IOException {
        BackendConnection c = BackendConnection.open(loop, backend, this);
        open++;
        return c;
    }

    /** {@code w} no longer wants a connection (it timed out or its client went away). */
    void cancel(Waiter w) {
        waiting.remove(w);
    }

    /** The request on {@code c} ended cleanly: the next waiting request gets it, or it is kept, or closed. */
    void release(BackendConnection c) {
        if (!c.open()) {
            return;
        }
        if (maxIdle == 0) {
            c.discard(); // without FCGI_KEEP_CONN the application closes it anyway; forget() serves the next
            return;
        }
        Waiter next = waiting.poll();
        if (next != null) {
            next.granted(c);
        } else if (idle.size() < maxIdle) {
            c.idle();
            idle.addFirst(c);
        } else {
            c.discard();
        }
    }

    /** {@code c} closed: its place goes to a waiting request, on a new connection. */
    void forget(BackendConnection c) {
        idle.remove(c);
        open--;
        while (!waiting.isEmpty() && open < maxConnections) {
            Waiter next = waiting.poll();
            BackendConnection fresh;
            try {
                fresh = open();
            } catch (IOException e) {
                next.unreachable(e);
                continue;
            }
            next.granted(fresh);
        }
    }

    int idleCount() {
        return idle.size();
    }
}
