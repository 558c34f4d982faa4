package org.liso.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import org.liso.Log;
import org.liso.http.HttpException;
import org.liso.http.Request;
import org.liso.http.RequestParser;
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
 *      \--output flushed, the client done sending (plain TCP)--> CLOSED
 * </pre>
 *
 * <p>How CLOSING ends, and why it lingers (RFC 9112 §9.6), is {@link LingeringClose}'s.
 */
final class HttpConnection implements ServerConnection {

    enum State { READ_HEAD, HANDLE, CLOSING, LINGER, CLOSED }

    /** Rounds of work per turn of the loop: a busy connection yields so others get served (lighttpd does the same). */
    private static final int ROUNDS = 16;
    private static final String LOG = "http";

    private final HttpServer server;
    private final ServerConfig config;
    private final Transport transport;
    private final RequestParser parser;
    private final OutputQueue out;
    private final Timer timer;
    private final ServerFields fields;
    private SelectionKey key;
    private final InputBuffer in;
    private final ConnectionFacts facts;
    private State state = State.READ_HEAD;
    private boolean inputEof;
    private boolean closeAfter;
    private HttpExchange exchange;
    private int served;
    private final ConnectionDeadlines deadlines;
    private final LingeringClose ending;
    private boolean driving;
    /** A turn that ran out with work left is queued on the loop, once. */
    private boolean resumeQueued;

    /**
     * @param in what the {@link ConnectionStart} already read (the first bytes it looked at, or TLS application data
     *           that came with the end of the handshake)
     * @param client whom the connection serves (a PROXY header may have named the client)
     */
    HttpConnection(HttpServer server, Transport transport, InputBuffer in, ClientAddress client) {
        this.server = server;
        this.facts = new ConnectionFacts(server, transport, client);
        this.config = server.config();
        this.transport = transport;
        this.parser = new RequestParser(config.limits());
        this.in = in;
        this.out = new OutputQueue(server.sendOptions().fileBytesPerTurn());
        this.fields = server.fields(transport.isSecure());
        this.timer = server.loop().timer(this, this::timeout);
        this.deadlines = new ConnectionDeadlines(config, server.loop().now());
        this.ending = new LingeringClose(transport, in, deadlines);
    }

    /** Takes over the key from the start stage and answers what was read already. */
    void adopt(SelectionKey key) throws IOException {
        this.key = key;
        key.attach(this);
        inputEof = in.eof();
        try {
            serve();
        } catch (IOException e) {
            closeOnError(e);
        }
    }

    // ---- readiness ----

    @Override
    public void ready(int readyOps) {
        try {
            if ((readyOps & SelectionKey.OP_READ) != 0) {
                readInput();
            }
            serve();
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

    /**
     * One turn of work: drive, and while the transport holds input it already took from the socket (TLS records),
     * read that and drive again. A turn is bounded so one busy connection cannot starve the others. A turn that ends
     * with work left is taken up again as a loop task: no readiness event would ever wake the connection, because
     * what it still has to answer is in its own buffers (a pipeline read in full, a TLS record), not in the socket.
     */
    private void serve() throws IOException {
        if (driving) {
            return; // re-entered from a handler answering synchronously: the running drive picks it up
        }
        out.beginTurn();
        boolean more = drive();
        for (int round = 0; !more && state != State.CLOSED && wantsRead() && transport.hasBufferedInput(); round++) {
            if (round == ROUNDS) {
                more = true;
                break;
            }
            readInput();
            more = drive();
        }
        if (more && state != State.CLOSED && !resumeQueued) {
            resumeQueued = true;
            server.loop().execute(this, this::resume);
        }
    }

    private void resume() {
        resumeQueued = false;
        wake();
    }

    /**
     * process + flush until neither makes progress (a drained queue may let a stream or a pipeline move on).
     *
     * @return true when the rounds ran out while output still moved: there may be more to do
     */
    private boolean drive() throws IOException {
        driving = true;
        boolean more = true;
        try {
            for (int round = 0; round < ROUNDS; round++) {
                process();
                if (state == State.CLOSED || flush() == 0 || state == State.CLOSED) {
                    more = false;
                    break;
                }
            }
        } finally {
            driving = false;
        }
        if (state == State.READ_HEAD && closeAfter && !parser.inProgress() && !in.hasBytes() && out.isEmpty()
                && !transport.hasPendingOutput()) {
            close(); // a graceful shutdown found a response still queued: it has left now, and no request follows
        }
        if (state == State.CLOSED) {
            return false;
        }
        updateInterest();
        rearmTimer();
        return more;
    }

    private void readInput() throws IOException {
        if (state == State.LINGER) {
            if (ending.drain(server.scratch(), server.loop().now())) {
                inputEof = true;
            }
            return;
        }
        if (in.readFrom(transport) > 0) {
            deadlines.input(server.loop().now());
        }
        inputEof = in.eof();
        if (state == State.READ_HEAD && !parser.inProgress() && in.hasBytes() && exchange == null) {
            deadlines.headStarted(server.loop().now());
        }
    }

    private long flush() throws IOException {
        long n = out.isEmpty() ? 0 : out.writeTo(transport);
        transport.flush();
        if (n > 0) {
            deadlines.progressed(server.loop().now());
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
                    switch (ending.next(out, server.loop().now())) {
                        case WAIT_FOR_OUTPUT -> {
                            return;
                        }
                        case CLOSE -> {
                            close();
                            return;
                        }
                        case LINGER -> state = State.LINGER;
                    }
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
        deadlines.handling(server.loop().now());
        closeAfter = !request.keepAlive() || served >= config.maxRequestsPerConnection()
                || server.loop().isShuttingDown() || server.draining();
        exchange = new HttpExchange(this, config, request, newSender());
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
            serve();
        } catch (IOException e) {
            closeOnError(e);
        }
    }

    /** Queues bytes ahead of the current response (an interim 100 Continue). */
    void queue(ByteBuffer bytes) {
        out.add(bytes);
    }

    /** A sender framing responses onto this connection's output queue. */
    ResponseSender newSender() {
        return new ResponseSender(out, fields, config.connectionAlways());
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
        if (closeAfter) {
            ending.lastExchange(!exchange.request().keepAlive() && exchange.bodyDone() && !in.hasBytes());
        }
        exchange.logWhenWritten(out, server);
        exchange.finish(false);
        exchange = null;
        parser.reset();
        if (closeAfter) {
            state = State.CLOSING;
        } else {
            state = State.READ_HEAD;
            deadlines.headStarted(server.loop().now());
        }
    }

    ServerFields fields() {
        return fields;
    }

    private void answerMalformed(HttpException e) {
        // A head we cannot parse leaves no way to find the next request (RFC 9112 §2.2): answer once, then close.
        closeAfter = true;
        ResponseSender sender = newSender();
        sender.start(fields.error(null, e.status(), e.getMessage()), org.liso.http.Version.HTTP_1_1, false, true);
        InetSocketAddress peer = remoteAddress();
        out.whenWritten(() -> server.respondedUnparsed(peer, e.status(), sender.bodyBytesSent()));
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
        ConnectionInterest.update(key, transport, wantsRead(), !out.isEmpty());
    }

    private void rearmTimer() {
        long now = server.loop().now();
        long deadline = switch (state) {
            case READ_HEAD -> deadlines.readHead(!out.isEmpty(), parser.inProgress() || served == 0 || in.hasBytes());
            case HANDLE -> deadlines.handle(!out.isEmpty(), exchange.wantsBody());
            case CLOSING -> deadlines.closing();
            case LINGER -> deadlines.linger();
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
                if (!out.isEmpty() && deadlines.sendOverdue(server.loop().now())) {
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
                boolean handler = out.isEmpty() && !exchange.wantsBody();
                if (handler ? exchange.timeOut(500, "no response within " + config.responseTimeoutMillis() + " ms")
                        : exchange.timeOut(408, "request body not received in time")) {
                    in.drop();
                    wake();
                } else {
                    Log.info(LOG, handler ? "response stalled, closing" : "send timeout, closing",
                            "peer", remoteAddress());
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

    @Override
    public void shutdownGracefully() {
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
        HttpExchange cut = exchange;
        timer.cancel();
        if (key != null) {
            key.cancel();
        }
        out.clear(); // logs the responses still queued, with the bytes they got out
        if (cut != null && cut.status() > 0) {
            cut.logWhenWritten(out, server); // the response being sent when the connection went
        }
        abortExchange();
        in.drop();
        server.loop().closeAfterDeregistration(key, transport::close);
        server.closed(this);
    }

    @Override
    public ConnectionPhase phase() {
        return switch (state) {
            case READ_HEAD -> parser.inProgress() || in.hasBytes() ? ConnectionPhase.READING
                    : out.isEmpty() ? ConnectionPhase.IDLE : ConnectionPhase.ACTIVE;
            case HANDLE -> ConnectionPhase.ACTIVE;
            case CLOSING, LINGER, CLOSED -> ConnectionPhase.CLOSING;
        };
    }

    // ---- what the exchange asks about its connection ----

    ConnectionFacts facts() {
        return facts;
    }

    /** The connection's client: the socket's peer, or whom a trusted proxy's PROXY header named. */
    InetSocketAddress remoteAddress() {
        return facts.remoteAddress();
    }
}
