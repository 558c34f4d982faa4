package org.liso.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.liso.Log;
import org.liso.http.HttpException;
import org.liso.http.Method;
import org.liso.http.Request;
import org.liso.http.Version;
import org.liso.server.spi.BodyReceiver;
import org.liso.server.spi.Response;

/**
 * An HTTP/1.x request and its answer on its {@link HttpConnection}: the wire mechanics under the protocol-neutral
 * {@link ExchangeCore} — 100 Continue, an answer held until the unread body is drained, the keep-alive decision, and
 * the {@link ResponseSender}'s framing.
 *
 * <pre>
 *   begin --answer, body still unread--> HELD (drain first; a malformed body turns the answer into a 400)
 *     |    (no 100-continue awaited)       \--body drained--> STARTED
 *     \--answer---------------------------------------------> STARTED --body sent, request body consumed--> done
 * </pre>
 */
final class HttpExchange extends ExchangeCore {

    /** What {@link #progress} found. */
    enum Progress { WAITING, COMPLETE, ABORT }

    private static final ByteBuffer CONTINUE = ByteBuffer.wrap(
            "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();

    private final HttpConnection connection;
    private final RequestBodyReader body;
    private ResponseSender sender;
    private Response held;
    private boolean started;
    private boolean continueSent;

    HttpExchange(HttpConnection connection, ServerConfig config, Request request, ResponseSender sender) {
        super(config, request, connection.facts());
        this.connection = connection;
        this.sender = sender;
        this.body = new RequestBodyReader(request.bodyKind(), request.contentLength(), config.maxBodyBytes());
    }

    // ---- Exchange, as handlers see it ----

    @Override
    void answer(Response response) {
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
    void framingLost() {
        connection.mustClose();
    }

    @Override
    void brokenAfterAnswer() {
        connection.mustClose();
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
        if (!finished()) {
            body.resume();
            connection.wake();
        }
    }

    // ---- the connection's side ----

    @Override
    void handlerReturned() {
        if (!body.hasReceiver()) {
            // Nobody reads this body: drain it to find the next request, unless that costs more than reconnecting.
            if (body.chunked() || body.remainingLength() <= config.discardLimitBytes()) {
                body.discard();
            } else {
                connection.mustClose();
            }
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
                start(fields().error(request, e.status(), e.getMessage()));
            } else if (!responded()) {
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
            cause(ErrorCause.INVALID_RESPONSE);
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
        if (status == 500) {
            cause(ErrorCause.RESPONSE_TIMEOUT);
        }
        abandonHandler(); // first: sending the 408 may complete and end the exchange at once
        if (held != null) {
            held.body().release();
            held = null;
            start(fields().error(request, status, why));
        } else {
            fail(new HttpException(status, why, true));
        }
        finish(true); // unless the answer already went out whole and ended the exchange
        return true;
    }

    @Override
    int status() {
        return sender.status();
    }

    @Override
    long bodyBytesSent() {
        return sender.bodyBytesSent();
    }

    /** The exchange is over (completed or aborted); later calls from the handler are ignored. */
    void finish(boolean aborted) {
        if (finished()) {
            return;
        }
        if (aborted) {
            if (held != null) {
                held.body().release();
                held = null;
            }
            sender.abort();
        }
        end(aborted);
    }

    @Override
    ServerFields fields() {
        return connection.fields();
    }
}
