package org.liso.server;

import org.liso.http.HttpException;
import org.liso.http2.ErrorCode;
import org.liso.http2.ServerSession;
import org.liso.loop.EventLoop;
import org.liso.loop.Timer;

/**
 * The clocks of one HTTP/2 connection, on one timer armed for the earliest: the send timeout (output queued, or a
 * stream's answer waiting for window credit the peer never gives, without progress), the idle timeout (no stream
 * open), and each stream's body and response deadlines ({@link Http2Streams}), a passed one answered in the handler's
 * place or, once its answer began, reset. Loop thread only.
 */
final class Http2Deadlines {
    private final Http2Connection connection;
    private final ServerConfig config;
    private final EventLoop loop;
    private final Http2Streams streams;
    private final ServerSession session;
    private final OutputQueue out;
    private final Timer timer;
    /** When bytes last went out or window credit came in: a peer that never opens its window is held to this. */
    private long lastProgress;
    /** When the last stream ended (or the connection began): the idle timeout counts from here. */
    private long idleSince;

    Http2Deadlines(Http2Connection connection, HttpServer server, Http2Streams streams, ServerSession session,
            OutputQueue out) {
        this.connection = connection;
        this.config = server.config();
        this.loop = server.loop();
        this.streams = streams;
        this.session = session;
        this.out = out;
        this.timer = loop.timer(connection, this::expired);
        this.lastProgress = this.idleSince = loop.now();
    }

    /** Bytes went out, or window credit came in: the send timeout counts from now. */
    void progressed() {
        lastProgress = loop.now();
    }

    /** A stream ended: with none left open, the idle timeout counts from now. */
    void streamGone() {
        if (streams.isEmpty()) {
            idleSince = loop.now();
        }
    }

    /** Arms the timer for the earliest deadline of the connection and its streams. */
    void rearm() {
        long deadline = next();
        if (deadline == Long.MAX_VALUE) {
            timer.cancel();
        } else {
            timer.schedule(Math.max(0, deadline - loop.now()));
        }
    }

    void cancel() {
        timer.cancel();
    }

    private long next() {
        long d = Long.MAX_VALUE;
        if (!out.isEmpty() || blockedOnWindow()) {
            d = lastProgress + config.sendTimeoutMillis();
        }
        return streams.isEmpty() ? Math.min(d, idleSince + config.idleTimeoutMillis()) : streams.nextDeadline(d);
    }

    private boolean blockedOnWindow() {
        return streams.blockedOnWindow(session::sendWindow);
    }

    private void expired() {
        long now = loop.now();
        if ((!out.isEmpty() || blockedOnWindow()) && now >= lastProgress + config.sendTimeoutMillis()) {
            connection.sendTimedOut();
            return;
        }
        if (streams.isEmpty() && now >= idleSince + config.idleTimeoutMillis()) {
            connection.idleTimedOut();
        }
        streams.expire(now, this::stalled);
        connection.wake();
    }

    /** A stream's deadline passed: answered in the handler's place, or reset when its answer had begun. */
    private void stalled(Http2Exchange x, int status, String why) {
        if (x.answered()) {
            connection.resetStream(x, ErrorCode.CANCEL);
            return;
        }
        x.abandonHandler();
        if (status == 500) {
            x.cause(ErrorCause.RESPONSE_TIMEOUT);
        }
        x.fail(new HttpException(status, why));
    }
}
