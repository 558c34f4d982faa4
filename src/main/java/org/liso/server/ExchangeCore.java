package org.liso.server;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.liso.Log;
import org.liso.http.BodyKind;
import org.liso.http.HttpException;
import org.liso.http.Method;
import org.liso.http.Request;
import org.liso.loop.EventLoop;
import org.liso.server.spi.Exchange;
import org.liso.server.spi.Handler;
import org.liso.server.spi.Response;

/**
 * What one request and its answer are, whichever protocol carries them: the server's admission checks, the handler
 * called once and guarded, one answer (a second is dropped and logged), errors answered once with 5xx causes logged
 * for the operator, and the handler's abort actions run exactly once if the exchange ends early. The protocol's
 * subclass ({@link HttpExchange} for HTTP/1.x, {@link Http2Exchange} for an HTTP/2 stream) owns the wire: how the
 * body comes in and how the answer goes out.
 *
 * <pre>
 *   OPEN --respond()--> RESPONDED --finish()--> FINISHED
 *     \--finish(aborted): abort actions run-----^
 * </pre>
 */
abstract class ExchangeCore implements Exchange {
    static final String LOG = "http";

    final ServerConfig config;
    final Request request;
    private final ConnectionFacts facts;
    private List<Runnable> abortActions;
    private boolean responded;
    private boolean finished;
    /** The server answered in the handler's place while it read the body: its late answer is expected, and dropped. */
    private boolean handlerAbandoned;
    /** Where the server made a 5xx in the handler's place (null: it did not), for the 5xx counts. */
    private ErrorCause cause;

    ExchangeCore(ServerConfig config, Request request, ConnectionFacts facts) {
        this.config = config;
        this.request = request;
        this.facts = facts;
    }

    @Override
    public final Request request() {
        return request;
    }

    @Override
    public final InetSocketAddress localAddress() {
        return facts.localAddress();
    }

    @Override
    public final InetSocketAddress remoteAddress() {
        return facts.clientOf(request);
    }

    @Override
    public final boolean secure() {
        return facts.secure();
    }

    @Override
    public final EventLoop loop() {
        return facts.loop();
    }

    @Override
    public final void respond(Response response) {
        if (finished || responded) {
            if (!finished && !handlerAbandoned) {
                Log.error(LOG, "handler responded twice", "target", request.target());
            }
            response.body().release(); // a late answer after the client left, or a second one: free what it holds
            return;
        }
        responded = true;
        answer(response);
    }

    /** Sends the one answer the exchange gets (the handler's, or the server's in its place). */
    abstract void answer(Response response);

    @Override
    public final void fail(HttpException e) {
        if (cause == null) {
            cause = ErrorCause.INTERNAL;
        }
        if (e.losesFraming()) {
            framingLost();
        }
        String detail = e.getMessage();
        int s = e.status();
        if (s == 500 || s == 502 || s == 504) {
            // A fault on our side (a script's exit status, an I/O error) is the operator's business, not the client's.
            Log.warn(LOG, "answered " + s, "target", request.target(), "detail", detail);
            detail = null;
        } else if (s == 503) {
            detail = null; // overload: its cause is logged once per interval where it is detected, not per request
        }
        respond(fields().error(request, s, detail));
    }

    /** The server's fields and error pages for this exchange's connection. */
    abstract ServerFields fields();

    /** The answer's status, 0 before there is one. */
    abstract int status();

    /** Body bytes the transport took so far: what the access log reports. */
    abstract long bodyBytesSent();

    /** Whether the request was refused before its head parsed (logged as "-", not as the request it stands for). */
    boolean unparsed() {
        return false;
    }

    /**
     * Queues the access-log line and counters for when what {@code out} holds now has been written (or dropped), so
     * a line is never written for bytes still queued.
     */
    final void logWhenWritten(OutputQueue out, HttpServer server) {
        InetSocketAddress peer = remoteAddress();
        if (unparsed()) {
            out.whenWritten(() -> server.respondedUnparsed(peer, status(), bodyBytesSent()));
        } else {
            out.whenWritten(() -> server.responded(peer, request, status(), bodyBytesSent(), cause()));
        }
    }

    /** The request's framing cannot be trusted any more: nothing after this request can be read (HTTP/1: close). */
    abstract void framingLost();

    /** The answer went wrong after it began: what was sent cannot be completed (HTTP/1: close; HTTP/2: reset). */
    abstract void brokenAfterAnswer();

    @Override
    public final void onAbort(Runnable action) {
        if (abortActions == null) {
            abortActions = new ArrayList<>(2);
        }
        abortActions.add(action);
    }

    /** Server-level admission (RFC 9110 §9, §15.5), then the handler, guarded: a fault becomes a 500. */
    final void begin(Handler handler) {
        HttpException refused = admission();
        if (refused != null) {
            fail(refused);
        } else {
            try {
                handler.handle(this);
            } catch (HttpException e) {
                failAfterHandler(e);
            } catch (RuntimeException fault) {
                Log.error(LOG, "handler fault", "target", request.target(), "error", fault.toString());
                cause = ErrorCause.HANDLER_FAULT;
                failAfterHandler(new HttpException(500, "internal error"));
            }
        }
        handlerReturned();
    }

    /** The handler's first call is over (or it was never called): a body nobody reads is the protocol's to drop. */
    abstract void handlerReturned();

    /** The request the server refuses before any handler sees it, or null. */
    HttpException admission() {
        Method m = request.method();
        if (!m.implemented()) {
            return new HttpException(501, "method " + request.methodName() + " is not implemented");
        }
        if (m == Method.POST && request.bodyKind() == BodyKind.NONE) {
            return new HttpException(411, "POST needs Content-Length or chunked Transfer-Encoding");
        }
        if (request.bodyKind() == BodyKind.LENGTH && request.contentLength() > config.maxBodyBytes()) {
            // Not worth reading a body we refuse: answer and stop reading it.
            return new HttpException(413, "request body larger than " + config.maxBodyBytes() + " bytes", true);
        }
        return null;
    }

    private void failAfterHandler(HttpException e) {
        if (!responded) {
            fail(e);
        } else {
            Log.warn(LOG, "handler failed after responding", "status", e.status(), "error", e.getMessage());
            brokenAfterAnswer();
        }
    }

    /** Where the server answered in the handler's place, for the 5xx counts (null: the handler answered). */
    final ErrorCause cause() {
        return cause;
    }

    /** Records why the server answers in the handler's place (an invalid head, a response timeout). */
    final void cause(ErrorCause c) {
        cause = c;
    }

    final boolean responded() {
        return responded;
    }

    final boolean finished() {
        return finished;
    }

    /**
     * The server answers in the handler's place while the handler reads (or waits to read) the body it can now
     * never have: the handler lets go of what it holds (a script, a spooled body), and its late answer is dropped.
     */
    final void abandonHandler() {
        handlerAbandoned = true;
        runAbortActions();
    }

    /**
     * The exchange is over (completed or aborted); later calls from the handler are ignored.
     *
     * @return false when it had ended already
     */
    final boolean end(boolean aborted) {
        if (finished) {
            return false;
        }
        finished = true;
        if (aborted) {
            runAbortActions();
        }
        abortActions = null;
        return true;
    }

    private void runAbortActions() {
        if (abortActions == null) {
            return;
        }
        List<Runnable> actions = abortActions;
        abortActions = null;
        for (Runnable r : actions) {
            try {
                r.run();
            } catch (RuntimeException fault) {
                Log.error(LOG, "abort action failed", "error", fault.toString());
            }
        }
    }
}
