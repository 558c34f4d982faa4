package org.liso.server;

/**
 * When an HTTP/1.1 connection must have moved on, state by state, from the moments it records. Every state but
 * CLOSED has a deadline, so no connection can wait for an event that never comes. Times are the loop's clock
 * (milliseconds).
 */
final class ConnectionDeadlines {
    /** After an error response, how long the input is drained before closing (RFC 9112 §9.6). */
    private static final long LINGER_MILLIS = 2_000;

    private final ServerConfig config;
    /** When the request head being awaited started (or the connection was accepted). */
    private long headStart;
    /** When bytes last went out (or the connection last changed phase). */
    private long lastProgress;
    /** When bytes last came in: a request body that keeps arriving is progress (--body-timeout is a pause). */
    private long lastInput;
    /** When the current request's head was parsed: a handler's silence counts from here (--response-timeout). */
    private long handleStart;

    ConnectionDeadlines(ServerConfig config, long now) {
        this.config = config;
        this.headStart = now;
        this.lastProgress = now;
    }

    void headStarted(long now) {
        headStart = now;
    }

    void progressed(long now) {
        lastProgress = now;
    }

    void input(long now) {
        lastInput = now;
    }

    void handling(long now) {
        handleStart = now;
    }

    /**
     * @param queued   response bytes are still queued (a file region handed over whole)
     * @param headDue  a head is under way, or owed (the first request, or bytes already buffered)
     */
    long readHead(boolean queued, boolean headDue) {
        // A client that stops reading a queued response is held to the send timeout, not to the much longer
        // idle timeout.
        return Math.min(queued ? sendDeadline() : Long.MAX_VALUE,
                headDue ? headStart + config.headerTimeoutMillis() : lastProgress + config.idleTimeoutMillis());
    }

    /**
     * Waiting on the handler (its answer, the next chunk of a stream, a paused body's resumption) is held to the
     * response timeout.
     */
    long handle(boolean queued, boolean wantsBody) {
        return queued ? sendDeadline()
                : wantsBody ? Math.max(lastProgress, lastInput) + config.bodyTimeoutMillis()
                : Math.max(handleStart, Math.max(lastProgress, lastInput)) + config.responseTimeoutMillis();
    }

    long closing() {
        return sendDeadline();
    }

    long linger() {
        return lastProgress + LINGER_MILLIS;
    }

    boolean sendOverdue(long now) {
        return now >= sendDeadline();
    }

    private long sendDeadline() {
        return lastProgress + config.sendTimeoutMillis();
    }
}
