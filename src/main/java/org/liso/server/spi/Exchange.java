package org.liso.server.spi;

import java.net.InetSocketAddress;
import org.liso.http.HttpException;
import org.liso.http.Request;
import org.liso.loop.EventLoop;

/**
 * One request and its response, as a handler sees it. Every method is for the loop thread only; other threads go
 * through {@link #loop()}{@code .execute(...)}.
 */
public interface Exchange {

    Request request();

    /** The server-side address the request arrived on (SERVER_PORT is its port). */
    InetSocketAddress localAddress();

    InetSocketAddress remoteAddress();

    /** True when the request came over TLS. */
    boolean secure();

    EventLoop loop();

    /**
     * Sends the response; exactly once. The server adds Date, Server, the framing (Content-Length from a body of known
     * length, or chunked / close-delimited for a {@link StreamBody} without Content-Length) and Connection. For HEAD it
     * sends the head only and releases the body.
     */
    void respond(Response response);

    /** Answers with the error response for {@code e} (short body, correct length, Connection: close when needed). */
    void fail(HttpException e);

    /**
     * Streams the request body to {@code receiver}. Call at most once, from {@link Handler#handle} or later. A handler
     * that never calls it gets the body read and discarded by the server, so the next pipelined request is found.
     */
    void readBody(BodyReceiver receiver);

    /** Resumes the request body after {@link BodyReceiver#data} returned false. */
    void resumeBody();

    /**
     * Runs {@code action} if the exchange ends before its response is complete (client gone, timeout, server
     * shutdown): the handler releases what it holds (kills its process, closes its files).
     */
    void onAbort(Runnable action);
}
