package org.liso.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToLongFunction;

/**
 * The open streams of one HTTP/2 connection, the round-robin queue of those with a frame to send (RFC 9113 §5.3.1
 * leaves the order to the server: each stream gets one frame per turn, so one large download cannot starve the
 * others), and the per-stream deadlines the connection's one timer is armed for. Loop thread only.
 */
final class Http2Streams {
    /** What the connection does for a stream whose deadline passed. */
    interface Stalled {
        void stalled(Http2Exchange x, int status, String why);
    }

    private final ServerConfig config;
    private final Map<Integer, Http2Exchange> open = new HashMap<>();
    private final ArrayDeque<Http2Exchange> ready = new ArrayDeque<>();

    Http2Streams(ServerConfig config) {
        this.config = config;
    }

    Http2Exchange get(int streamId) {
        return open.get(streamId);
    }

    void add(Http2Exchange x) {
        open.put(x.streamId, x);
    }

    /** The stream, no longer open, or null when it was not. */
    Http2Exchange remove(int streamId) {
        return open.remove(streamId);
    }

    boolean isEmpty() {
        return open.isEmpty();
    }

    /** Queues {@code x} for a turn, once. */
    void schedule(Http2Exchange x) {
        if (!x.scheduled) {
            x.scheduled = true;
            ready.addLast(x);
        }
    }

    /** Every stream with an answer to send gets a turn (connection-level window credit arrived). */
    void scheduleSending() {
        for (Http2Exchange x : open.values()) {
            if (x.sending()) {
                schedule(x);
            }
        }
    }

    boolean anyReady() {
        return !ready.isEmpty();
    }

    /** The stream whose turn it is, taken off the queue, or null. */
    Http2Exchange nextReady() {
        Http2Exchange x = ready.pollFirst();
        if (x != null) {
            x.scheduled = false;
        }
        return x;
    }

    /** Whether a stream has an answer to send and no window to send it in: the send timeout then applies. */
    boolean blockedOnWindow(IntToLongFunction sendWindow) {
        for (Http2Exchange x : open.values()) {
            if (x.sending() && !x.scheduled && sendWindow.applyAsLong(x.streamId) == 0) {
                return true;
            }
        }
        return false;
    }

    /** The earliest of {@code deadline} and the streams' body and response deadlines. */
    long nextDeadline(long deadline) {
        long d = deadline;
        for (Http2Exchange x : open.values()) {
            if (x.awaitingBody()) {
                d = Math.min(d, x.lastInput + config.bodyTimeoutMillis());
            } else if (!x.answered()) {
                d = Math.min(d, x.lastInput + config.responseTimeoutMillis());
            }
        }
        return d;
    }

    /** Hands every stream whose deadline passed by {@code now} to {@code action}: 408 for a body, 500 for an answer. */
    void expire(long now, Stalled action) {
        for (Http2Exchange x : new ArrayList<>(open.values())) {
            if (x.awaitingBody() && now >= x.lastInput + config.bodyTimeoutMillis()) {
                action.stalled(x, 408, "request body not received in time");
            } else if (!x.answered() && !x.awaitingBody() && now >= x.lastInput + config.responseTimeoutMillis()) {
                action.stalled(x, 500, "no response within " + config.responseTimeoutMillis() + " ms");
            }
        }
    }

    /** Every open stream, which are no longer open nor queued. */
    List<Http2Exchange> takeAll() {
        List<Http2Exchange> all = new ArrayList<>(open.values());
        open.clear();
        ready.clear();
        return all;
    }
}
