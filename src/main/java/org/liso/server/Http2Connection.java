package org.liso.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import org.liso.Log;
import org.liso.http.BodyKind;
import org.liso.http.Headers;
import org.liso.http.HttpException;
import org.liso.http.Request;
import org.liso.http.Version;
import org.liso.http2.ErrorCode;
import org.liso.http2.Http2Exception;
import org.liso.http2.RequestHead;
import org.liso.http2.ServerSession;
import org.liso.http2.SessionListener;
import org.liso.loop.Timer;
import org.liso.transport.Transport;

/**
 * One HTTP/2 connection (RFC 9113): the pure {@link ServerSession} fed from the transport, one {@link Http2Exchange}
 * per stream driving the same handlers as HTTP/1.1, and a round-robin scheduler that sends one DATA frame per stream
 * per turn, so one large download cannot starve the other streams. Output is bounded by the high watermark: while
 * more is queued, no frame is added and no input is read.
 *
 * <pre>
 *   OPEN --GOAWAY sent (shutdown, request limit)--> DRAINING --last stream done--> CLOSING
 *     \--connection error (GOAWAY written), peer EOF------------------------------> CLOSING
 *   CLOSING --output flushed--> CLOSED
 * </pre>
 */
final class Http2Connection implements ServerConnection, SessionListener {

    enum State { OPEN, DRAINING, CLOSING, CLOSED }

    private static final int ROUNDS = 16;
    private static final String LOG = "http2";

    private final HttpServer server;
    private final ServerConfig config;
    private final Transport transport;
    private final ConnectionFacts facts;
    private final InputBuffer in;
    private final OutputQueue out;
    private final ServerSession session;
    private final ServerFields fields;
    private final Http2Wire wire;
    private final Http2Streams streams;
    private final Timer timer;
    private SelectionKey key;
    private State state = State.OPEN;
    private boolean inputEof;
    private boolean driving;
    private boolean resumeQueued;
    private int served;
    /** When bytes last went out or window credit came in: a peer that never opens its window is held to this. */
    private long lastProgress;
    /** When the last stream ended (or the connection began): the idle timeout counts from here. */
    private long idleSince;

    /** @param client whom the connection serves (a PROXY header may have named the client) */
    Http2Connection(HttpServer server, Transport transport, InputBuffer in, ClientAddress client,
            Http2Options options) {
        this.server = server;
        this.config = server.config();
        this.transport = transport;
        this.facts = new ConnectionFacts(server, transport, client);
        this.in = in;
        this.out = new OutputQueue(server.sendOptions().fileBytesPerTurn());
        this.session = new ServerSession(options.limits(), this);
        this.wire = new Http2Wire(session, out);
        this.fields = server.fields(transport.isSecure());
        this.streams = new Http2Streams(config);
        this.timer = server.loop().timer(this, this::timeout);
        this.lastProgress = this.idleSince = server.loop().now();
    }

    /** Takes over the key from the start stage and reads what it already had. */
    void adopt(SelectionKey key) {
        this.key = key;
        key.attach(this);
        inputEof = in.eof();
        try {
            receive();
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
                read();
            }
            serve();
        } catch (IOException e) {
            closeOnError(e);
        }
    }

    private void read() throws IOException {
        for (int round = 0; round < ROUNDS && state != State.CLOSED && canRead(); round++) {
            if (in.readFrom(transport) == 0 && !in.eof()) {
                break;
            }
            inputEof = in.eof();
            receive();
            if (!transport.hasBufferedInput() && !in.hasRoom()) {
                break;
            }
        }
    }

    private void receive() {
        if (!in.hasBytes()) {
            in.release();
            if (inputEof) {
                peerGone();
            }
            return;
        }
        boolean wasDriving = driving;
        driving = true; // answers found while reading are sent after it, so every frame read is seen first
        try {
            session.receive(in.bytes());
        } catch (Http2Exception e) {
            Log.info(LOG, "HTTP/2 connection error, closing", "peer", remoteAddress(), "code", e.code(),
                    "why", e.getMessage());
            abortAll();
            state = State.CLOSING;
        } finally {
            driving = wasDriving;
        }
        in.release();
        if (inputEof && state != State.CLOSING) {
            peerGone();
        }
    }

    private void peerGone() {
        // A client that half-closes may still read its answers (RFC 9113 §5.1 leaves the TCP stream to the peer), but
        // no new stream can come: answer what is open, then close.
        if (streams.isEmpty()) {
            state = State.CLOSING;
        } else if (state == State.OPEN) {
            session.goAway(ErrorCode.NO_ERROR, "");
            state = State.DRAINING;
        }
    }

    private boolean canRead() {
        return !inputEof && state != State.CLOSING && state != State.CLOSED
                && out.memoryBytes() <= config.outputHighWater();
    }

    /** One bounded turn: send what the streams have, flush; requeued on the loop when the rounds run out. */
    private void serve() throws IOException {
        if (driving || state == State.CLOSED) {
            return;
        }
        driving = true;
        boolean more = false;
        out.beginTurn();
        try {
            for (int round = 0; ; round++) {
                pump();
                long n = flush();
                if (state == State.CLOSED) {
                    return;
                }
                if (transport.hasBufferedInput() && canRead()) {
                    read(); // TLS records already taken from the socket: no readiness event would announce them
                } else if (n == 0 || !streams.anyReady()) {
                    break;
                }
                if (round == ROUNDS) {
                    more = true;
                    break;
                }
            }
        } finally {
            driving = false;
        }
        if (state == State.DRAINING && streams.isEmpty()) {
            state = State.CLOSING;
        }
        if (state == State.CLOSING && out.isEmpty() && !transport.hasPendingOutput()) {
            close();
            return;
        }
        interest();
        rearm();
        if (more && !resumeQueued) {
            resumeQueued = true;
            server.loop().execute(this, () -> {
                resumeQueued = false;
                wake();
            });
        }
    }

    /** Streams take turns, one frame each, while the output is below the high watermark. */
    private void pump() {
        while (streams.anyReady() && out.memoryBytes() < config.outputHighWater() && state != State.CLOSED) {
            Http2Exchange x = streams.nextReady();
            if (x.finished() && !x.sending()) {
                continue;
            }
            if (x.sendFrame(wire) == Http2Exchange.Step.MORE) {
                streams.schedule(x);
            }
        }
        takeSessionOutput();
    }

    private void takeSessionOutput() {
        if (session.pendingOutput() > 0) {
            out.add(session.takeOutput());
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

    /** Something outside the readiness path moved (an answer, a stream chunk, a resumed body). */
    void wake() {
        try {
            serve();
        } catch (IOException e) {
            closeOnError(e);
        }
    }

    void schedule(Http2Exchange x) {
        streams.schedule(x);
    }

    void streamReady(Http2Exchange x) {
        if (!x.finished() || x.sending()) {
            schedule(x);
            wake();
        }
    }

    // ---- what the session tells ----

    @Override
    public void request(int streamId, RequestHead head, boolean endStream) {
        long now = server.loop().now();
        Request request;
        try {
            BodyKind kind = endStream || head.contentLength() >= 0 ? BodyKind.LENGTH : BodyKind.CHUNKED;
            long length = endStream ? 0 : head.contentLength();
            request = Request.of(head.method(), head.path(), Version.HTTP_2, head.fields(), kind, length);
        } catch (HttpException e) {
            answerAlone(streamId, e.status(), e.getMessage(), endStream);
            return;
        }
        served++;
        Http2Exchange x = new Http2Exchange(this, config, request, streamId, endStream, now);
        streams.add(x);
        if ((served >= config.maxRequestsPerConnection() || server.draining()) && state == State.OPEN) {
            // A drain before shutdown: this stream is answered, the client opens its next ones elsewhere (§6.8).
            session.goAway(ErrorCode.NO_ERROR, server.draining() ? "draining" : "request limit");
            state = State.DRAINING;
        }
        x.begin(server.handler());
    }

    @Override
    public void headersTooLarge(int streamId, boolean endStream) {
        answerAlone(streamId, 431, "request header fields too large", endStream);
    }

    /**
     * An answer from the server alone, for a request no handler may see (RFC 9113 §8.1.1, §10.5.1); its access-log
     * line is that of a request head that never parsed.
     */
    private void answerAlone(int streamId, int status, String why, boolean endStream) {
        Http2Exchange x = Http2Exchange.unparsed(this, config, streamId, endStream, server.loop().now());
        streams.add(x);
        x.handlerReturned();
        x.fail(new HttpException(status, why));
    }

    @Override
    public void data(int streamId, ByteBuffer data, boolean endStream) {
        Http2Exchange x = streams.get(streamId);
        if (x == null) {
            session.consumed(streamId, data.remaining()); // answered already: the connection window gets it back
            return;
        }
        x.data(data, endStream, server.loop().now());
    }

    @Override
    public void trailers(int streamId, Headers trailers) {
        Http2Exchange x = streams.get(streamId);
        if (x != null) {
            x.data(ByteBuffer.allocate(0), true, server.loop().now()); // handlers see no trailers, as on HTTP/1.1
        }
    }

    @Override
    public void reset(int streamId, ErrorCode code) {
        Http2Exchange x = streams.remove(streamId);
        if (x != null) {
            if (x.status() > 0) {
                x.logWhenWritten(out, server);
            }
            x.abort();
            streamGone();
        }
    }

    @Override
    public void writable(int streamId) {
        lastProgress = server.loop().now();
        if (streamId == 0) {
            streams.scheduleSending();
        } else {
            Http2Exchange x = streams.get(streamId);
            if (x != null && x.sending()) {
                streams.schedule(x);
            }
        }
    }

    @Override
    public void goAway(int lastStreamId, ErrorCode code) {
        if (state == State.OPEN) {
            session.goAway(ErrorCode.NO_ERROR, "");
            state = State.DRAINING;
        }
    }

    // ---- what the exchanges ask ----

    ServerFields fields() {
        return fields;
    }

    void consumed(Http2Exchange x, int octets) {
        if (octets > 0) {
            session.consumed(x.streamId, octets);
        }
    }

    /**
     * Request DATA nobody reads: the connection window gets it back, so other streams flow, but the stream's own
     * window does not, so a client cannot upload without end into a body that is being thrown away.
     */
    void discarded(Http2Exchange x, int octets) {
        if (octets > 0) {
            session.discarded(x.streamId, octets);
        }
    }

    void resetStream(Http2Exchange x, ErrorCode code) {
        takeSessionOutput();
        session.resetStream(x.streamId, code); // tells reset(), which aborts the exchange
        wake();
    }

    /** Runs {@code action} once what is queued now has been written (or dropped). */
    void afterQueued(Runnable action) {
        takeSessionOutput();
        out.whenWritten(action);
    }

    /** The answer's END_STREAM is queued: the exchange is over; a request body still coming is refused (§8.1). */
    void completed(Http2Exchange x) {
        takeSessionOutput();
        if (streams.remove(x.streamId) == null) {
            return;
        }
        x.logWhenWritten(out, server);
        x.end(false);
        if (!x.requestEnded()) {
            session.resetStream(x.streamId, ErrorCode.NO_ERROR);
        }
        streamGone();
    }

    private void streamGone() {
        if (streams.isEmpty()) {
            idleSince = server.loop().now();
        }
    }

    ConnectionFacts facts() {
        return facts;
    }

    /** The connection's client: the socket's peer, or whom a trusted proxy's PROXY header named. */
    InetSocketAddress remoteAddress() {
        return facts.remoteAddress();
    }

    // ---- interest, deadlines, closing ----

    private void interest() {
        ConnectionInterest.update(key, transport, canRead(), !out.isEmpty());
    }

    /** The earliest deadline of the connection and its streams. */
    private void rearm() {
        long deadline = nextDeadline();
        if (deadline == Long.MAX_VALUE) {
            timer.cancel();
        } else {
            timer.schedule(Math.max(0, deadline - server.loop().now()));
        }
    }

    private long nextDeadline() {
        long d = Long.MAX_VALUE;
        if (!out.isEmpty() || blockedOnWindow()) {
            d = lastProgress + config.sendTimeoutMillis();
        }
        return streams.isEmpty() ? Math.min(d, idleSince + config.idleTimeoutMillis()) : streams.nextDeadline(d);
    }

    private boolean blockedOnWindow() {
        return streams.blockedOnWindow(session::sendWindow);
    }

    private void timeout() {
        long now = server.loop().now();
        if ((!out.isEmpty() || blockedOnWindow()) && now >= lastProgress + config.sendTimeoutMillis()) {
            Log.info(LOG, "send timeout, closing", "peer", remoteAddress());
            close();
            return;
        }
        if (streams.isEmpty() && now >= idleSince + config.idleTimeoutMillis()) {
            session.goAway(ErrorCode.NO_ERROR, "idle");
            state = State.CLOSING;
        }
        streams.expire(now, this::stalled);
        wake();
    }

    /** A stream's deadline passed: answered in the handler's place, or reset when its answer had begun. */
    private void stalled(Http2Exchange x, int status, String why) {
        if (x.answered()) {
            resetStream(x, ErrorCode.CANCEL);
            return;
        }
        x.abandonHandler();
        if (status == 500) {
            x.cause(ErrorCause.RESPONSE_TIMEOUT);
        }
        x.fail(new HttpException(status, why));
    }

    @Override
    public ConnectionPhase phase() {
        return switch (state) {
            case OPEN, DRAINING -> streams.isEmpty() && out.isEmpty() ? ConnectionPhase.IDLE : ConnectionPhase.ACTIVE;
            case CLOSING, CLOSED -> ConnectionPhase.CLOSING;
        };
    }

    @Override
    public void failed(RuntimeException fault) {
        close();
    }

    @Override
    public void abandoned() {
        close();
    }

    @Override
    public void shutdownGracefully() {
        if (state == State.OPEN) {
            session.goAway(ErrorCode.NO_ERROR, "shutdown");
            state = streams.isEmpty() ? State.CLOSING : State.DRAINING;
            wake();
        }
    }

    private void abortAll() {
        for (Http2Exchange x : streams.takeAll()) {
            if (x.status() > 0) {
                x.logWhenWritten(out, server);
            }
            x.abort();
        }
    }

    private void closeOnError(IOException e) {
        Log.debug(LOG, "connection closed", "peer", remoteAddress(), "cause", String.valueOf(e.getMessage()));
        close();
    }

    private void close() {
        if (state == State.CLOSED) {
            return;
        }
        abortAll();
        state = State.CLOSED;
        timer.cancel();
        if (key != null) {
            key.cancel();
        }
        out.clear();
        in.drop();
        transport.close();
        server.closed(this);
    }
}
