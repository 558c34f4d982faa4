package org.liso.server;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.liso.Log;
import org.liso.http.BodyKind;
import org.liso.http.HttpException;
import org.liso.http.Method;
import org.liso.http.Request;
import org.liso.http.Version;
import org.liso.loop.EventLoop;
import org.liso.server.spi.BodyReceiver;
import org.liso.server.spi.Exchange;
import org.liso.server.spi.Handler;
import org.liso.server.spi.Response;

/**
 * One request and its answer. The connection owns the wire; this object owns what belongs to one request: the
 * admission checks, the handler's answer, the request body's way in and the response's way out.
 *
 * <pre>
 *   begin --answer, body still unread--> HELD (drain first; a malformed body turns the answer into a 400)
 *     |    (no 100-continue awaited)       \--body drained--> STARTED
 *     \--answer---------------------------------------------> STARTED --body sent, request body consumed--> done
 * </pre>
 */
final class HttpExchange implements Exchange {

    /** What {@link #progress} found. */
    enum Progress { WAITING, COMPLETE, ABORT }

    private static final ByteBuffer CONTINUE = ByteBuffer.wrap(
            "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
    private static final String LOG = "http";

    private final HttpConnection connection;
    private final ServerConfig config;
    private final Request request;
    private final RequestBodyReader body;
    private ResponseSender sender;
    private List<Runnable> abortActions;
    private Response held;
    private boolean responded;
    private boolean started;
    private boolean continueSent;
    private boolean finished;
    /** The server answered in the handler's place while it read the body: its late answer is expected, and dropped. */
    private boolean handlerAbandoned;
    /** Where the server made a 500 in the handler's place (null: it did not), for the 5xx counts. */
    private ErrorCause cause;

    HttpExchange(HttpConnection connection, ServerConfig config, Request request, ResponseSender sender) {
        this.connection = connection;
        this.config = config;
        this.request = request;
        this.sender = sender;
        this.body = new RequestBodyReader(request.bodyKind(), request.contentLength(), config.maxBodyBytes());
    }

    // ---- Exchange, as handlers see it ----

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
        if (finished || responded) {
            if (!finished && !handlerAbandoned) {
                Log.error(LOG, "handler responded twice", "target", request.target());
            }
            response.body().release(); // a late answer after the client left, or a second one: free what it holds
            return;
        }
        responded = true;
        if (!body.hasReceiver() && !body.done() && !body.chunked()
                && body.remainingLength() > config.discardLimitBytes()) {
            connection.mustClose(); // cheaper to reconnect than to drain: say so in this response's head
        }
        // RFC 9110 §10.1.1: a client that expects 100-continue may hold its body back until told to send it, so
        // draining it first could wait until the body timeout. Answer now; whatever body comes is still skipped.
        boolean clientMayWait = !continueSent && expectsContinue();
        if (!connection.closeAfter() && !body.hasReceiver() && !body.done() && !clientMayWait) {
            held = response; // drain the unread body before answering: if it is malformed, the answer is a 400
        } else {
            start(response);
        }
        connection.wake();
    }

    @Override
    public void fail(HttpException e) {
        cause = cause != null ? cause : ErrorCause.INTERNAL;
        if (e.losesFraming()) {
            connection.mustClose();
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
        respond(ErrorPages.of(s, detail));
    }

    @Override
    public void readBody(BodyReceiver receiver) {
        if (body.hasReceiver()) {
            throw new IllegalStateException("readBody called twice");
        }
        body.deliverTo(receiver);
        if (!body.done() && !started && !continueSent && expectsContinue()) {
            // RFC 9110 §10.1.1: the client waits for this before sending the body it announced.
            continueSent = true;
            connection.queue(CONTINUE.duplicate());
        }
        connection.wake();
    }

    @Override
    public void resumeBody() {
        if (!finished) {
            body.resume();
            connection.wake();
        }
    }

    @Override
    public void onAbort(Runnable action) {
        if (abortActions == null) {
            abortActions = new ArrayList<>(2);
        }
        abortActions.add(action);
    }

    // ---- the connection's side ----

    /** Server-level admission (RFC 9110 §9, §15.5), then the handler. */
    void begin(Handler handler) {
        Method m = request.method();
        if (!m.implemented()) {
            fail(new HttpException(501, "method " + request.methodName() + " is not implemented"));
        } else if (m == Method.POST && request.bodyKind() == BodyKind.NONE) {
            fail(new HttpException(411, "POST needs Content-Length or chunked Transfer-Encoding"));
        } else if (request.bodyKind() == BodyKind.LENGTH && request.contentLength() > config.maxBodyBytes()) {
            // Not worth reading a body we refuse: answer and close instead of draining it.
            fail(new HttpException(413, "request body larger than " + config.maxBodyBytes() + " bytes", true));
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
        if (!body.hasReceiver()) {
            // Nobody reads this body: drain it to find the next request, unless that costs more than reconnecting.
            if (body.chunked() || body.remainingLength() <= config.discardLimitBytes()) {
                body.discard();
            } else {
                connection.mustClose();
            }
        }
    }

    private void failAfterHandler(HttpException e) {
        if (!responded) {
            fail(e);
        } else {
            Log.warn(LOG, "handler failed after responding", "status", e.status(), "error", e.getMessage());
            connection.mustClose();
        }
    }

    /** Moves the request body in and the response out as far as they go now. */
    Progress progress(InputBuffer in, ByteBuffer scratch, boolean inputEof) {
        try {
            body.pump(in.bytes(), scratch);
        } catch (HttpException e) {
            // Framing is lost; whatever was pending of the body is no longer ours to find.
            connection.mustClose();
            in.drop();
            if (held != null) {
                held.body().release();
                held = null;
                start(ErrorPages.of(e.status(), e.getMessage()));
            } else if (!responded) {
                if (body.hasReceiver()) {
                    abandonHandler();
                }
                fail(e);
            } else {
                sender.abort();
            }
        }
        in.release();
        if (inputEof && !body.done()) {
            if (body.hasReceiver()) {
                return Progress.ABORT; // the handler can never get the rest of its body
            }
            connection.mustClose();
        }
        if (held != null && (body.done() || connection.closeAfter())) {
            Response r = held;
            held = null;
            start(r);
        }
        if (started) {
            sender.pump(config.outputHighWater());
            if (sender.broken()) {
                connection.mustClose();
            }
        }
        return started && sender.complete() && (body.done() || connection.closeAfter())
                ? Progress.COMPLETE : Progress.WAITING;
    }

    /**
     * The client waits for 100 Continue before sending its body (RFC 9110 §10.1.1). Never an HTTP/1.0 client: §15.2
     * forbids a 1xx to it, and §10.1.1 has the server ignore its 100-continue.
     */
    private boolean expectsContinue() {
        return request.version() == Version.HTTP_1_1 && request.headers().hasToken("Expect", "100-continue");
    }

    private void start(Response response) {
        started = true;
        boolean head = request.method() == Method.HEAD;
        try {
            connection.closeAfter(sender.start(response, request.version(), head, connection.closeAfter()));
        } catch (IllegalArgumentException rejected) {
            // The handler built a head the encoder refuses (a control character in a field, a status out of range).
            // The encoder queues all of a head or none of it, so the client can still get a clean 500.
            Log.error(LOG, "handler produced an invalid response head, answered 500", "target", request.target(),
                    "error", rejected.getMessage());
            response.body().release();
            cause = ErrorCause.INVALID_RESPONSE;
            sender = connection.newSender();
            connection.closeAfter(sender.start(ErrorPages.of(500, null), request.version(), head, true));
        }
        if (sender.stream() != null) {
            sender.stream().listen(connection::wake);
        }
    }

    /** True while reading from the socket would move this request's body along. */
    boolean wantsBody() {
        return body.wantsInput();
    }

    boolean bodyDone() {
        return body.done();
    }

    /**
     * A deadline passed (the request body stalled: 408; the handler stayed silent: 500): answer {@code status} if
     * nothing was sent yet.
     *
     * @return false when the response had already begun (the connection can only close)
     */
    boolean timeOut(int status, String why) {
        if (started) {
            return false;
        }
        connection.mustClose();
        cause = status == 500 ? ErrorCause.RESPONSE_TIMEOUT : cause;
        abandonHandler(); // first: sending the 408 may complete and end the exchange at once
        if (held != null) {
            held.body().release();
            held = null;
            start(ErrorPages.of(status, why));
        } else {
            fail(new HttpException(status, why, true));
        }
        finish(true); // unless the answer already went out whole and ended the exchange
        return true;
    }

    int status() {
        return sender.status();
    }

    ErrorCause cause() {
        return cause;
    }

    /** Body bytes the transport took so far: what the access log reports. */
    long bodyBytesSent() {
        return sender.bodyBytesSent();
    }

    /** The exchange is over (completed or aborted); later calls from the handler are ignored. */
    void finish(boolean aborted) {
        if (finished) {
            return;
        }
        finished = true;
        if (aborted) {
            if (held != null) {
                held.body().release();
                held = null;
            }
            sender.abort();
            runAbortActions();
        }
        abortActions = null;
    }

    /**
     * The server answers in the handler's place while the handler reads (or waits to read) the body it can now
     * never have: the handler lets go of what it holds (a script, a spooled body), and its late answer is dropped.
     */
    private void abandonHandler() {
        handlerAbandoned = true;
        runAbortActions();
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
