package org.liso.fastcgi;

import java.io.IOException;
import java.util.ArrayDeque;
import org.liso.loop.EventLoop;

/**
 * The connections of one loop to one FastCGI application: a request takes the most recently used idle one (FCGI_KEEP_CONN,
 * specification §5.1) or opens a new one; after its FCGI_END_REQUEST the connection comes back, up to
 * {@code maxIdle} kept. Loop thread only: each loop has its own pool, so no lock is needed.
 */
final class BackendPool {
    private final EventLoop loop;
    private final BackendAddress backend;
    private final int maxIdle;
    private final ArrayDeque<BackendConnection> idle = new ArrayDeque<>();

    BackendPool(EventLoop loop, BackendAddress backend, int maxIdle) {
        this.loop = loop;
        this.backend = backend;
        this.maxIdle = maxIdle;
    }

    BackendAddress backend() {
        return backend;
    }

    /** True when connections are kept between requests (FCGI_KEEP_CONN is asked for). */
    boolean keepsConnections() {
        return maxIdle > 0;
    }

    /** An idle connection, or a new one (maybe still connecting). */
    BackendConnection acquire() throws IOException {
        BackendConnection c = idle.pollFirst();
        return c != null ? c : open();
    }

    /** A new connection, never a kept one (a retry after a kept one turned out closed). */
    BackendConnection open() throws IOException {
        return BackendConnection.open(loop, backend, this);
    }

    /** The request on {@code c} ended cleanly: keep it for the next one, or close it when enough are kept. */
    void release(BackendConnection c) {
        if (c.open() && idle.size() < maxIdle) {
            c.idle();
            idle.addFirst(c);
        } else {
            c.discard();
        }
    }

    /** {@code c} closed: it is no longer there to take. */
    void forget(BackendConnection c) {
        idle.remove(c);
    }

    int idleCount() {
        return idle.size();
    }
}
