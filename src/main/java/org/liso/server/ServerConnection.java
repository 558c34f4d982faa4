package org.liso.server;

import org.liso.loop.Readiness;

/** What the server tracks of each accepted connection, in whatever stage or protocol it is. Loop thread only. */
interface ServerConnection extends Readiness {
    /** A graceful shutdown began: finish what is in flight, take nothing new, close when idle. */
    void shutdownGracefully();

    /** What it is doing now, for the metrics' connection counts. */
    default ConnectionPhase phase() {
        return ConnectionPhase.ACTIVE;
    }
}
