package org.liso.server;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.liso.Log;
import org.liso.http.HttpException;
import org.liso.http.Request;
import org.liso.loop.EventLoop;
import org.liso.server.spi.BodyReceiver;
import org.liso.server.spi.Exchange;
import org.liso.server.spi.Response;

/**
 * One request on a connection, as the handler sees it. The connection owns the wire; this object keeps what the
 * handler asked for (a body receiver, abort actions) and hands its answer to the connection.
 */
final class HttpExchange implements Exchange {
    private final HttpConnection connection;
    private final Request request;
    private final RequestBodyReader body;
    private final long startMillis;
    private List<Runnable> abortActions;
    private boolean responded;
    private boolean finished;

    HttpExchange(HttpConnection connection, Request request, RequestBodyReader body, long startMillis) {
        this.connection = connection;
        this.request = request;
        this.body = body;
        this.startMillis = startMillis;
    }

    @Override
    public Request request() {
        return request;
    }

    @Override
    public InetSocketAddress localAddress() {
        return connection.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    @Override
    public boolean secure() {
        return connection.secure();
    }

    @Override
    public EventLoop loop() {
        return connection.loop();
    }

    @Override
    public void respond(Response response) {
        if (finished) {
            // The client went away first; free what the late answer holds.
            response.body().release();
            return;
        }
        if (responded) {
            response.body().release();
            Log.error("server", "handler responded twice", "target", request.target());
            return;
        }
        responded = true;
        connection.respond(this, response);
    }

    @Override
    public void fail(HttpException e) {
        if (e.losesFraming()) {
            connection.mustClose();
        }
        respond(ErrorPages.of(e.status(), e.getMessage()));
    }

    @Override
    public void readBody(BodyReceiver receiver) {
        if (body.hasReceiver()) {
            throw new IllegalStateException("readBody called twice");
        }
        body.deliverTo(receiver);
        connection.bodyWanted();
    }

    @Override
    public void resumeBody() {
        if (!finished) {
            body.resume();
            connection.bodyWanted();
        }
    }

    @Override
    public void onAbort(Runnable action) {
        if (abortActions == null) {
            abortActions = new ArrayList<>(2);
        }
        abortActions.add(action);
    }

    boolean responded() {
        return responded;
    }

    RequestBodyReader body() {
        return body;
    }

    long startMillis() {
        return startMillis;
    }

    /** The exchange is over (completed or aborted); later calls from the handler are ignored. */
    void finish(boolean aborted) {
        finished = true;
        if (aborted && abortActions != null) {
            for (Runnable r : abortActions) {
                try {
                    r.run();
                } catch (RuntimeException fault) {
                    Log.error("server", "abort action failed", "error", fault.toString());
                }
            }
        }
        abortActions = null;
    }
}
