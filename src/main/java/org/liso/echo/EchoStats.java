package org.liso.echo;

import java.util.concurrent.atomic.AtomicLong;

/** Counters a test or an operator can read from any thread. */
public final class EchoStats {
    final AtomicLong bytesEchoed = new AtomicLong();
    final AtomicLong connections = new AtomicLong();
    final AtomicLong open = new AtomicLong();
    /** The most bytes any one connection ever held waiting to be written: proves the output bound. */
    final AtomicLong maxQueued = new AtomicLong();

    public long bytesEchoed() {
        return bytesEchoed.get();
    }

    public long connectionsAccepted() {
        return connections.get();
    }

    public long openConnections() {
        return open.get();
    }

    public long maxQueuedBytes() {
        return maxQueued.get();
    }

    void queued(int bytes) {
        long cur = maxQueued.get();
        while (bytes > cur && !maxQueued.compareAndSet(cur, bytes)) {
            cur = maxQueued.get();
        }
    }
}
