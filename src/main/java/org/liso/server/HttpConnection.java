package org.liso.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import org.liso.Log;
import org.liso.http.HttpException;
import org.liso.http.Request;
import org.liso.http.RequestParser;
import org.liso.loop.EventLoop;
import org.liso.loop.Readiness;
import org.liso.loop.Timer;
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
    private static final String LOG = "http";

    private final HttpServer server;
    private final ServerConfig config;
    private final Transport transport;
    private final RequestParser parser;
    private final OutputQueue out = new OutputQueue();
    private final Timer timer;
    private final String hsts;
    private SelectionKey key;
    private final InputBuffer in;
    private State state = State.READ_HEAD;
    private boolean inputEof;
    private boolean closeAfter;
    private HttpExchange exchange;
    private int served;
    private long headStart;
    private long lastProgress;
    /** When bytes last came in: a request body that keeps arriving is progress (--body-timeout is a pause). */
    private long lastInput;
    private boolean driving;

    HttpConnection(HttpServer server, Transport transport) {
        this.server = server;
        this.config = server.config();
        this.transport = transport;
        this.parser = new RequestParser(config.limits());
        this.in = new InputBuffer(server.buffers());
        this.hsts = transport.isSecure() && config.hstsSeconds() > 0 ? "max-age=" + config.hstsSeconds() : null;
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
        close();
    }

    /** The loop stops with this connection open: abort actions run (CGI trees die), files and buffers go back. */
    @Override
    public void abandoned() {
        close();
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
                        close();
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
        exchange = new HttpExchange(this, config, request, new ResponseSender(out, hsts, config.extraHeaders()));
        exchange.begin(server.handler());
    }

    /** @return true when the exchange is over and processing should go on */
    private boolean handle() {
        switch (exchange.progress(in, server.scratch(), inputEof)) {
            case COMPLETE -> {
                finishExchange();
                return true;
            }
            case ABORT -> {
                abortExchange();
                close();
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    /** Something outside the readiness path moved (an answer, a stream chunk, a resumed body). */
    void wake() {
        if (state == State.CLOSED) {
            return;
        }
        try {
            drive();
        } catch (IOException e) {
            closeOnError(e);
        }
    }

    /** Queues bytes ahead of the current response (an interim 100 Continue). */
    void queue(ByteBuffer bytes) {
        out.add(bytes);
    }

    void mustClose() {
        closeAfter = true;
    }

    boolean closeAfter() {
        return closeAfter;
    }

    void closeAfter(boolean close) {
        closeAfter = close;
    }

    private void finishExchange() {
        server.accessLog().log(remoteAddress(), exchange.request(), exchange.status(), exchange.bodyBytes());
        exchange.finish(false);
        exchange = null;
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
        ResponseSender sender = new ResponseSender(out, hsts, config.extraHeaders());
        sender.start(ErrorPages.of(e.status(), e.getMessage()), org.liso.http.Version.HTTP_1_1, false, true);
        server.accessLog().logUnparsed(remoteAddress(), e.status(), sender.bodyBytes());
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
            case HANDLE -> room && (exchange.wantsBody() || (exchange.bodyDone() && outputOk));
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
                    : exchange.wantsBody() ? Math.max(lastProgress, lastInput) + config.bodyTimeoutMillis()
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
                    close();
                } else if (parser.inProgress() || in.hasBytes()) {
                    answerMalformed(new HttpException(408, "request head not received in time", true));
                    wake();
                } else {
                    close(); // idle keep-alive connection, or one that never spoke (RFC 9112 §9.5)
                }
            }
            case HANDLE -> {
                if (exchange.timeOut()) {
                    in.drop();
                    wake();
                } else {
                    Log.info(LOG, "send timeout, closing", "peer", remoteAddress());
                    abortExchange();
                    close();
                }
            }
            default -> close();
        }
    }

    private void abortExchange() {
        if (exchange != null) {
            exchange.finish(true);
            exchange = null;
        }
    }

    void shutdownGracefully() {
        closeAfter = true;
        if (state == State.READ_HEAD && !parser.inProgress() && out.isEmpty()) {
            close();
        }
    }

    private void closeOnError(IOException e) {
        // Per connection and routine (a client reset): DEBUG, or a flood of resets would flood the log too.
        Log.debug(LOG, "connection closed", "peer", remoteAddress(), "cause", String.valueOf(e.getMessage()));
        close();
    }

    private void close() {
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
