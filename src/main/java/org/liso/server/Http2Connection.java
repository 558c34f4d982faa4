package org.liso.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import org.liso.Log;
import org.liso.http2.ErrorCode;
import org.liso.http2.Http2Exception;
import org.liso.http2.ServerSession;
import org.liso.transport.Transport;

/**
 * One HTTP/2 connection (RFC 9113): the pure {@link ServerSession} fed from the transport (what it decodes is
 * {@link Http2Inbound}'s), one {@link Http2Exchange} per stream driving the same handlers as HTTP/1.1, and a
 * round-robin scheduler that sends one DATA frame per stream per turn, so one large download cannot starve the other
 * streams. Output is bounded by the high watermark: while more is queued, no frame is added and no input is read.
 * Its timeouts are {@link Http2Deadlines}'.
 *
 * <pre>
 *   OPEN --GOAWAY sent (shutdown, request limit, the peer's GOAWAY or EOF)--> DRAINING --last stream done--> CLOSING
 *     \--connection error (GOAWAY written), idle timeout, peer EOF with no stream open---------------> CLOSING
 *   CLOSING --output flushed--> CLOSED          (any state --send timeout, I/O error, loop fault--> CLOSED)
 * </pre>
 */
final class Http2Connection implements ServerConnection {

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
    private final Http2Deadlines deadlines;
    private SelectionKey key;
    private State state = State.OPEN;
    private boolean inputEof;
    private boolean driving;
    private boolean resumeQueued;

    /** @param client whom the connection serves (a PROXY header may have named the client) */
    Http2Connection(HttpServer server, Transport transport, InputBuffer in, ClientAddress client,
            Http2Options options) {
        this.server = server;
        this.config = server.config();
        this.transport = transport;
        this.facts = new ConnectionFacts(server, transport, client);
        this.in = in;
        this.out = new OutputQueue(server.sendOptions().fileBytesPerTurn());
        this.streams = new Http2Streams(config);
        this.session = new Http2Inbound(this, server, streams, out, options.limits()).session();
        this.wire = new Http2Wire(session, out);
        this.fields = server.fields(transport.isSecure());
        this.deadlines = new Http2Deadlines(this, server, streams, session, out);
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
        } else {
            drain("");
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
        deadlines.rearm();
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
            deadlines.progressed();
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

    /** GOAWAY (§6.8): the open streams are answered, no new one is taken; then the connection closes. */
    void drain(String why) {
        if (state == State.OPEN) {
            session.goAway(ErrorCode.NO_ERROR, why);
            state = State.DRAINING;
        }
    }

    /** Window credit came in: the send timeout counts from now. */
    void progressed() {
        deadlines.progressed();
    }

    void streamGone() {
        deadlines.streamGone();
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

    /** Nothing went out for --send-timeout while output waited for the peer. */
    void sendTimedOut() {
        Log.info(LOG, "send timeout, closing", "peer", remoteAddress());
        close();
    }

    /** No stream for --idle-timeout: GOAWAY, then the connection closes. */
    void idleTimedOut() {
        session.goAway(ErrorCode.NO_ERROR, "idle");
        state = State.CLOSING;
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
        deadlines.cancel();
        if (key != null) {
            key.cancel();
        }
        out.clear();
        in.drop();
        transport.close();
        server.closed(this);
    }
}
