package org.liso.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import org.liso.Log;
import org.liso.http.BodyKind;
import org.liso.http.HttpException;
import org.liso.http.Method;
import org.liso.http.Request;
import org.liso.http.RequestParser;
import org.liso.loop.EventLoop;
import org.liso.loop.Readiness;
import org.liso.loop.Timer;
import org.liso.server.spi.Response;
import org.liso.transport.Transport;

/**
 * One HTTP/1.1 connection: reads request heads, lets the handler answer, sends responses strictly in request order,
 * and keeps the connection or closes it as RFC 9112 §9 says.
 *
 * <pre>
 *   READ_HEAD --head parsed--> HANDLE --answered, body consumed, keep-alive--> READ_HEAD
 *      |                          \--answered, must close---------------------> CLOSING
 *      |--malformed head: error response------------------------------------> CLOSING
 *      \--EOF / idle timeout / reset --> CLOSED
 *   CLOSING --output flushed, write side shut--> LINGER --peer EOF or linger time--> CLOSED
 * </pre>
 *
 * <p>Lingering (RFC 9112 §9.6): after an error the client may still be sending; closing with unread bytes would
 * make the kernel send RST and the client might lose the error response, so the input is drained for a moment.
 */
final class HttpConnection implements Readiness {

    enum State { READ_HEAD, HANDLE, CLOSING, LINGER, CLOSED }

    private static final long LINGER_MILLIS = 2_000;
    private static final ByteBuffer CONTINUE = ByteBuffer.wrap(
            "HTTP/1.1 100 Continue\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).asReadOnlyBuffer();
    private static final String LOG = "http";

    private final HttpServer server;
    private final ServerConfig config;
    private final Transport transport;
    private final RequestParser parser;
    private final OutputQueue out = new OutputQueue();
    private final Timer timer;
    private SelectionKey key;
    private final InputBuffer in;
    private State state = State.READ_HEAD;
    private boolean inputEof;
    private boolean closeAfter;
    private HttpExchange exchange;
    private ResponseSender sender;
    private int served;
    private long headStart;
    private long lastProgress;
    /** When bytes last came in: a request body that keeps arriving is progress (--body-timeout is a pause). */
    private long lastInput;
    private boolean driving;
    private boolean continueSent;
    private boolean responseStarted;
    /** An answer waiting until the unread body behind it is drained (a malformed body turns it into a 400). */
    private Response held;

    HttpConnection(HttpServer server, Transport transport) {
        this.server = server;
        this.config = server.config();
        this.transport = transport;
        this.parser = new RequestParser(config.limits());
        this.in = new InputBuffer(server.buffers());
        this.timer = server.loop().timer(this::timeout);
    }

    void start() throws IOException {
        key = server.loop().register(transport.channel(), SelectionKey.OP_READ, this);
        headStart = server.loop().now();
        lastProgress = headStart;
        rearmTimer();
    }

    // ---- readiness ----

    @Override
    public void ready(int readyOps) {
        try {
            if ((readyOps & SelectionKey.OP_READ) != 0) {
                readInput();
            }
            drive();
            while (state != State.CLOSED && wantsRead() && transport.hasBufferedInput()) {
                readInput();
                drive();
            }
        } catch (IOException e) {
            closeOnError(e);
        }
    }

    @Override
    public void failed(RuntimeException fault) {
        close(true);
    }

    /** process + flush until neither makes progress (a drained queue may let a stream or a pipeline move on). */
    private void drive() throws IOException {
        if (driving) {
            return; // re-entered from a handler answering synchronously: the running drive picks it up
        }
        driving = true;
        try {
            for (int round = 0; round < 16 && state != State.CLOSED; round++) {
                process();
                if (flush() == 0 || state == State.CLOSED) {
                    break;
                }
            }
        } finally {
            driving = false;
        }
        if (state != State.CLOSED) {
            updateInterest();
            rearmTimer();
        }
    }

    private void readInput() throws IOException {
        if (state == State.LINGER) {
            ByteBuffer sink = server.scratch().clear();
            int n;
            while ((n = transport.read(sink.clear())) > 0) {
                lastProgress = server.loop().now();
            }
            if (n < 0) {
                inputEof = true;
            }
            return;
        }
        if (in.readFrom(transport) > 0) {
            lastInput = server.loop().now();
        }
        inputEof = in.eof();
        if (state == State.READ_HEAD && !parser.inProgress() && in.hasBytes() && exchange == null) {
            headStart = server.loop().now();
        }
    }

    private long flush() throws IOException {
        long n = out.isEmpty() ? 0 : out.writeTo(transport);
        transport.flush();
        if (n > 0) {
            lastProgress = server.loop().now();
        }
        return n;
    }

    // ---- the state machine ----

    private void process() throws IOException {
        for (;;) {
            switch (state) {
                case READ_HEAD -> {
                    if (!readHead()) {
                        return;
                    }
                }
                case HANDLE -> {
                    if (!handle()) {
                        return;
                    }
                }
                case CLOSING -> {
                    if (!out.isEmpty() || transport.hasPendingOutput()) {
                        return;
                    }
                    in.drop();
                    transport.shutdownOutput();
                    state = State.LINGER;
                    lastProgress = server.loop().now();
                }
                case LINGER -> {
                    if (inputEof && !transport.hasPendingOutput()) {
                        close(false);
                    }
                    return;
                }
                case CLOSED -> {
                    return;
                }
            }
        }
    }

    /** @return true when the state changed and processing should go on */
    private boolean readHead() {
        if (out.memoryBytes() > config.outputHighWater()) {
            return false; // answer what is queued before parsing more pipelined requests
        }
        if (!in.hasBytes()) {
            in.release();
            if (inputEof) {
                state = State.CLOSING;
                return true;
            }
            return false;
        }
        Request request;
        try {
            request = parser.parse(in.bytes());
        } catch (HttpException e) {
            answerMalformed(e);
            return true;
        }
        if (request == null) {
            if (inputEof) {
                state = State.CLOSING; // the client stopped mid-head: nothing to answer
                return true;
            }
            return false;
        }
        startExchange(request);
        return true;
    }

    private void startExchange(Request request) {
        served++;
        state = State.HANDLE;
        closeAfter = !request.keepAlive() || served >= config.maxRequestsPerConnection()
                || server.loop().isShuttingDown();
        RequestBodyReader body = new RequestBodyReader(request.bodyKind(), request.contentLength(),
                config.maxBodyBytes());
        exchange = new HttpExchange(this, request, body, server.loop().now());
        sender = new ResponseSender(out);
        Method m = request.method();
        if (!m.implemented()) {
            exchange.fail(new HttpException(501, "method " + request.methodName() + " is not implemented"));
        } else if (m == Method.POST && request.bodyKind() == BodyKind.NONE) {
            exchange.fail(new HttpException(411, "POST needs Content-Length or chunked Transfer-Encoding"));
        } else if (request.bodyKind() == BodyKind.LENGTH && request.contentLength() > config.maxBodyBytes()) {
            // Not worth reading a body we refuse: answer and close instead of draining it.
            exchange.fail(new HttpException(413, "request body larger than " + config.maxBodyBytes() + " bytes",
                    true));
        } else {
            try {
                server.handler().handle(exchange);
            } catch (HttpException e) {
                respondError(e);
            } catch (RuntimeException fault) {
                Log.error(LOG, "handler fault", "target", request.target(), "error", fault.toString());
                respondError(new HttpException(500, "internal error"));
            }
        }
        if (!body.hasReceiver()) {
            // Nobody reads this body: drain it to find the next request, unless that costs more than reconnecting.
            if (body.chunked() || body.remainingLength() <= config.discardLimitBytes()) {
                body.discard();
            } else {
                closeAfter = true;
            }
        }
    }

    private void respondError(HttpException e) {
        if (!exchange.responded()) {
            exchange.fail(e);
        } else {
            Log.warn(LOG, "handler failed after responding", "status", e.status(), "error", e.getMessage());
            mustClose();
        }
    }

    /** @return true when the exchange is over and processing should go on */
    private boolean handle() {
        RequestBodyReader body = exchange.body();
        try {
            body.pump(in.bytes(), server.scratch());
        } catch (HttpException e) {
            // Framing is lost; whatever was pending of the body is no longer ours to find.
            closeAfter = true;
            in.drop();
            if (held != null) {
                held.body().release();
                held = null;
                startResponse(ErrorPages.of(e.status(), e.getMessage()));
            } else if (!exchange.responded()) {
                exchange.fail(e);
            } else if (responseStarted) {
                sender.abort();
            }
        }
        in.release();
        if (held != null && body.done()) {
            Response r = held;
            held = null;
            startResponse(r);
        }
        if (responseStarted) {
            sender.pump(config.outputHighWater());
            if (sender.broken()) {
                closeAfter = true;
            }
        }
        if (inputEof && !body.done()) {
            if (body.hasReceiver()) {
                abortExchange(); // the handler can never get the rest of its body
                close(false);
                return false;
            }
            closeAfter = true;
            if (held != null) {
                Response r = held;
                held = null;
                startResponse(r);
            }
        }
        if (!responseStarted || !sender.complete() || !(body.done() || closeAfter)) {
            return false;
        }
        finishExchange();
        return true;
    }

    void respond(HttpExchange ex, Response response) {
        if (ex != exchange || state == State.CLOSED) {
            response.body().release();
            return;
        }
        RequestBodyReader body = ex.body();
        if (!body.hasReceiver() && !body.done() && !body.chunked()
                && body.remainingLength() > config.discardLimitBytes()) {
            closeAfter = true; // cheaper to reconnect than to drain: say so in this response's head
        }
        if (!closeAfter && !body.hasReceiver() && !body.done()) {
            // Drain the unread body before answering: if it turns out malformed, the answer is that 400 instead.
            held = response;
        } else {
            startResponse(response);
        }
        wake();
    }

    private void startResponse(Response response) {
        responseStarted = true;
        boolean head = exchange.request().method() == Method.HEAD;
        closeAfter = sender.start(response, exchange.request().version(), head, closeAfter);
        if (sender.stream() != null) {
            sender.stream().listen(this::wake);
        }
    }

    /** Something outside the readiness path moved (a late response, a stream chunk, a resumed body). */
    private void wake() {
        if (state == State.CLOSED) {
            return;
        }
        try {
            drive();
        } catch (IOException e) {
            closeOnError(e);
        }
    }

    void bodyWanted() {
        if (state != State.HANDLE || exchange == null) {
            return;
        }
        RequestBodyReader body = exchange.body();
        if (!body.done() && body.received() == 0 && !responseStarted
                && exchange.request().headers().hasToken("Expect", "100-continue")
                && !continueSent) {
            // RFC 9110 §10.1.1: the client waits for this before sending the body it announced.
            continueSent = true;
            out.add(CONTINUE.duplicate());
        }
        wake();
    }

    void mustClose() {
        closeAfter = true;
    }

    private void finishExchange() {
        server.accessLog().log(remoteAddress(), exchange.request(), sender.status(), sender.bodyBytes());
        exchange.finish(false);
        exchange = null;
        sender = null;
        continueSent = false;
        responseStarted = false;
        parser.reset();
        if (closeAfter) {
            state = State.CLOSING;
        } else {
            state = State.READ_HEAD;
            headStart = server.loop().now();
        }
    }

    private void answerMalformed(HttpException e) {
        // A head we cannot parse leaves no way to find the next request (RFC 9112 §2.2): answer once, then close.
        closeAfter = true;
        sender = new ResponseSender(out);
        sender.start(ErrorPages.of(e.status(), e.getMessage()), org.liso.http.Version.HTTP_1_1, false, true);
        server.accessLog().logUnparsed(remoteAddress(), e.status(), sender.bodyBytes());
        sender = null;
        in.drop();
        state = State.CLOSING;
    }

    // ---- interest, timers, closing ----

    private boolean wantsRead() {
        if (inputEof) {
            return false;
        }
        boolean room = in.hasRoom();
        boolean outputOk = out.memoryBytes() <= config.outputHighWater();
        return switch (state) {
            case READ_HEAD -> room && outputOk;
            case HANDLE -> room && (exchange.body().wantsInput() || (exchange.body().done() && outputOk));
            case LINGER -> true;
            default -> false;
        };
    }

    private void updateInterest() {
        if (key == null || !key.isValid()) {
            return;
        }
        int ops = 0;
        if (wantsRead() || transport.needsRead()) {
            ops |= SelectionKey.OP_READ;
        }
        if (!out.isEmpty() || transport.hasPendingOutput()) {
            ops |= SelectionKey.OP_WRITE;
        }
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    private void rearmTimer() {
        long now = server.loop().now();
        long deadline = switch (state) {
            // A response handed over whole (a file region) may still be queued while the next head is awaited:
            // a client that stops reading it is held to the send timeout, not to the much longer idle timeout.
            case READ_HEAD -> Math.min(!out.isEmpty() ? lastProgress + config.sendTimeoutMillis() : Long.MAX_VALUE,
                    (parser.inProgress() || served == 0 || in.hasBytes())
                            ? headStart + config.headerTimeoutMillis()
                            : lastProgress + config.idleTimeoutMillis());
            case HANDLE -> !out.isEmpty() ? lastProgress + config.sendTimeoutMillis()
                    : exchange.body().wantsInput() ? Math.max(lastProgress, lastInput) + config.bodyTimeoutMillis()
                    : -1;
            case CLOSING -> lastProgress + config.sendTimeoutMillis();
            case LINGER -> lastProgress + LINGER_MILLIS;
            case CLOSED -> -1;
        };
        if (deadline < 0) {
            timer.cancel();
        } else {
            timer.schedule(Math.max(0, deadline - now));
        }
    }

    private void timeout() {
        switch (state) {
            case READ_HEAD -> {
                if (!out.isEmpty() && server.loop().now() >= lastProgress + config.sendTimeoutMillis()) {
                    Log.info(LOG, "send timeout, closing", "peer", remoteAddress());
                    close(false);
                } else if (parser.inProgress() || in.hasBytes()) {
                    answerMalformed(new HttpException(408, "request head not received in time", true));
                    wake();
                } else {
                    close(false); // idle keep-alive connection, or one that never spoke (RFC 9112 §9.5)
                }
            }
            case HANDLE -> {
                if (!responseStarted) {
                    mustClose();
                    HttpExchange ex = exchange;
                    if (held != null) {
                        held.body().release();
                        held = null;
                        startResponse(ErrorPages.of(408, "request body not received in time"));
                    } else {
                        ex.fail(new HttpException(408, "request body not received in time", true));
                    }
                    ex.finish(true); // the handler's process and files go; its late answers are ignored
                    in.drop();
                    wake();
                } else {
                    Log.info(LOG, "send timeout, closing", "peer", remoteAddress());
                    abortExchange();
                    close(false);
                }
            }
            default -> close(false);
        }
    }

    private void abortExchange() {
        if (held != null) {
            held.body().release();
            held = null;
        }
        if (exchange != null) {
            exchange.finish(true);
            if (sender != null) {
                sender.abort();
            }
            exchange = null;
        }
    }

    void shutdownGracefully() {
        closeAfter = true;
        if (state == State.READ_HEAD && !parser.inProgress() && out.isEmpty()) {
            close(false);
        }
    }

    private void closeOnError(IOException e) {
        Log.info(LOG, "connection closed", "peer", remoteAddress(), "cause", String.valueOf(e.getMessage()));
        close(true);
    }

    private void close(boolean error) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        abortExchange();
        timer.cancel();
        if (key != null) {
            key.cancel();
        }
        out.clear();
        in.drop();
        transport.close();
        server.closed(this);
    }



    // ---- what the exchange asks about its connection ----

    EventLoop loop() {
        return server.loop();
    }

    boolean secure() {
        return transport.isSecure();
    }

    InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) transport.channel().getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    InetSocketAddress remoteAddress() {
        try {
            return (InetSocketAddress) transport.channel().getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }
}
