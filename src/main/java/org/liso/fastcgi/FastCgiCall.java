package org.liso.fastcgi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.liso.Log;
import org.liso.loop.EventLoop;
import org.liso.loop.Timer;
import org.liso.server.spi.BodyRelay;
import org.liso.server.spi.Exchange;
import org.liso.server.spi.SpooledBody;

/**
 * One request's conversation with a FastCGI Responder (specification §6.2), on the loop of its client: a connection
 * from the pool, the request's records ({@link RequestWriter}: BEGIN_REQUEST, PARAMS, the buffered body as STDIN
 * written as fast as the socket takes it), the response decoded and relayed to the client ({@link ResponseRelay}, its
 * states {@link BodyRelay}'s), until END_REQUEST hands the connection back to its pool. This type owns what
 * the relay does not: the connection (another one when a kept connection turns out closed), the
 * timeout, FCGI_ABORT_REQUEST for a client that went away (§5.4), and the errors: 502 for an unreachable or broken
 * application, 503 for an overloaded one or a server shutting down, 504 for one without progress past the timeout.
 * A timeout or a lost connection after the head was sent fails the body (the client connection closes: its framing
 * cannot be completed); while draining it only closes the application connection.
 */
final class FastCgiCall implements BackendConnection.User, ResponseDecoder.Listener, BackendPool.Waiter,
        BodyRelay.Flow {

    /** This client never multiplexes, so every request is number 1 on its connection. */
    static final int REQUEST_ID = 1;
    private static final int MAX_STDERR_LOGGED = 512;
    private static final String LOG = "fastcgi";

    private final Exchange exchange;
    private final EventLoop loop;
    private final BackendPool pool;
    private final long timeoutMillis;
    private final RequestWriter request;
    private final ResponseDecoder decoder = new ResponseDecoder(REQUEST_ID, this);
    private final ResponseRelay relay;
    private SpooledBody body;
    private BackendConnection connection;
    private boolean endSeen;
    private int protocolStatus;
    private boolean received;
    private boolean abortSent;
    private boolean pushing;
    private boolean finished;
    private Timer timer;
    private long lastProgress;

    /**
     * @param params the request's name-value pairs, encoded (§3.4)
     * @param body   the request body, read whole, or null for none; this call releases it when it ends
     */
    FastCgiCall(Exchange exchange, BackendPool pool, byte[] params, SpooledBody body, long timeoutMillis) {
        this.exchange = exchange;
        this.loop = exchange.loop();
        this.pool = pool;
        this.body = body;
        this.request = new RequestWriter(REQUEST_ID, params, body);
        this.relay = new ResponseRelay(exchange, this);
        this.timeoutMillis = timeoutMillis;
    }

    void start() {
        exchange.onAbort(this::clientGone);
        timer = loop.timer(this::onTimer);
        progress();
        timer.schedule(timeoutMillis);
        connect(false);
    }

    private void connect(boolean fresh) {
        BackendConnection c;
        try {
            c = pool.acquire(this, fresh);
        } catch (IOException e) {
            unreachable(e);
            return;
        }
        if (c != null) {
            granted(c);
        }
    }

    // ---- the pool's side ----

    /** A connection for this request, at once or after waiting its turn in the pool. */
    @Override
    public void granted(BackendConnection c) {
        connection = c;
        progress();
        c.use(this);
        if (c.connected()) {
            connected();
        }
    }

    @Override
    public void unreachable(IOException e) {
        Log.warn(LOG, "cannot connect to the application", "backend", pool.backend(), "error", e.getMessage());
        fail(502, "FastCGI application " + pool.backend() + " is not reachable");
    }

    @Override
    public void refused(String why) {
        fail(503, "FastCGI request not started: " + why);
    }

    // ---- the application's side ----

    @Override
    public void connected() {
        progress();
        decoder.reset(REQUEST_ID);
        ByteBuffer head = request.restart(pool.keepsConnections());
        pushing = true; // the head goes out before any STDIN record
        connection.write(head);
        pushing = false;
        pushStdin();
    }

    @Override
    public void drained() {
        progress();
        pushStdin();
    }

    /** Writes STDIN records while the socket takes them whole (§5.3), then the empty one that ends the stream. */
    private void pushStdin() {
        if (pushing || request.done() || connection == null) {
            return;
        }
        pushing = true;
        try {
            while (!request.done() && connection != null && connection.connected() && connection.outputEmpty()) {
                connection.write(request.next());
            }
        } catch (IOException e) {
            Log.error(LOG, "request body could not be read back", "error", e.getMessage());
            dropConnection();
            fail(500, "request body could not be read back: " + e.getMessage());
        } finally {
            pushing = false;
        }
    }

    @Override
    public void input(ByteBuffer in) {
        received = true;
        progress();
        relay.reading(in.remaining());
        boolean ended;
        try {
            ended = decoder.feed(in);
        } catch (FastCgiException e) {
            Log.warn(LOG, "protocol error", "backend", pool.backend(), "error", e.getMessage());
            dropConnection();
            fail(502, "FastCGI application broke the protocol");
            return;
        }
        if (relay.invalidHead() != null) {
            Log.warn(LOG, "invalid response head", "backend", pool.backend(), "error", relay.invalidHead().getMessage());
            dropConnection();
            fail(relay.invalidHead().status(), relay.invalidHead().getMessage());
            return;
        }
        relay.handOver();
        if (!ended) {
            return;
        }
        BackendConnection c = connection;
        connection = null;
        if (c == null) {
            return;
        } else if (in.hasRemaining() || !request.done() || !c.outputEmpty()) {
            // Bytes after END_REQUEST, or STDIN records still to go (the application answered before reading it
            // all): the connection cannot carry another request cleanly.
            c.discard();
        } else {
            pool.release(c);
        }
        requestEnded();
    }

    @Override
    public void stdout(ByteBuffer part) {
        relay.stdout(part);
    }

    @Override
    public void stderr(ByteBuffer part) {
        byte[] bytes = new byte[Math.min(part.remaining(), MAX_STDERR_LOGGED)];
        part.get(bytes).position(part.limit());
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        if (!text.isEmpty()) {
            Log.warn(LOG, "application stderr", "backend", pool.backend(), "text", text);
        }
    }

    @Override
    public void end(long appStatus, int status) {
        endSeen = true;
        protocolStatus = status;
        relay.completed();
        if (appStatus != 0) {
            Log.info(LOG, "application status", "backend", pool.backend(), "status", appStatus);
        }
    }

    /** Loop thread: the connection closed (the application, an error, the loop stopping) before END_REQUEST. */
    @Override
    public void closed(String why) {
        boolean wasReused = connection != null && connection.reused();
        connection = null;
        if (relay.state() == BodyRelay.State.HEAD && !received && wasReused && !abortSent) {
            // A kept connection the application closed meanwhile (pm.max_requests, a restart, an application that
            // closes every connection): nothing was processed, and the buffered body can be sent again, so another
            // connection gets the request: a fresh one, or a kept one that (waiting its turn) another request ended
            // with. Each kept connection fails so at most once, and --fastcgi-timeout bounds the whole.
            connect(true);
            return;
        }
        if (finished || relay.state() == BodyRelay.State.DRAINING) {
            requestEnded();
            return;
        }
        Log.warn(LOG, "connection lost", "backend", pool.backend(), "why", why);
        fail(502, "FastCGI application " + pool.backend() + ": " + why);
    }

    // ---- the relay's side ----

    @Override
    public void pause() {
        if (connection != null) {
            connection.pauseReading();
        }
    }

    @Override
    public void resume() {
        progress();
        if (endSeen) {
            requestEnded();
        } else if (connection != null) {
            connection.resumeReading();
        }
    }

    // ---- ending ----

    /** END_REQUEST was read (or the connection closed while draining): answer what is left to answer. */
    private void requestEnded() {
        if (relay.holding()) {
            return; // the last chunk still waits for room; resume() comes back here
        }
        if (relay.state() == BodyRelay.State.HEAD && !finished) {
            String why = protocolStatus == Records.OVERLOADED ? "FastCGI application overloaded"
                    : protocolStatus != Records.REQUEST_COMPLETE ? "FastCGI application refused the request ("
                    + protocolStatus + ")" : relay.headStarted() ? "FastCGI response ended inside its head"
                    : "FastCGI application sent no response";
            Log.warn(LOG, why, "backend", pool.backend());
            fail(protocolStatus == Records.OVERLOADED ? 503 : 502, why);
            return;
        }
        relay.finish();
        finish();
    }

    /** Runs when the exchange ends before its response is complete: the client went away (or the server stops). */
    private void clientGone() {
        relay.clientGone();
        if (finished || abortSent) {
            return;
        }
        if (connection != null && connection.connected()) {
            // §5.4: the application is told, and answers with END_REQUEST; the connection is kept if it does.
            abortSent = true;
            request.stop();
            ByteBuffer abort = ByteBuffer.allocate(Records.HEADER);
            Records.abortRequest(abort, REQUEST_ID);
            connection.write(abort.flip());
            connection.resumeReading();
            Log.info(LOG, "client gone, FCGI_ABORT_REQUEST sent", "backend", pool.backend());
        } else {
            dropConnection();
            relay.ended();
            finish();
        }
    }

    private void onTimer() {
        if (finished) {
            return;
        }
        long idle = loop.now() - lastProgress;
        if (relay.holding() || idle < timeoutMillis) {
            // Waiting for the client is the server's send timeout's business, not the application's.
            timer.schedule(relay.holding() ? timeoutMillis : timeoutMillis - idle);
            return;
        }
        Log.warn(LOG, "application timed out", "backend", pool.backend(), "state", relay.state(),
                "millis", timeoutMillis);
        dropConnection();
        fail(504, "FastCGI application timed out");
    }

    /** A failure: an error response if no head was sent, else the body fails; either way the call is over. */
    private void fail(int status, String why) {
        if (finished) {
            return;
        }
        if (relay.state() != BodyRelay.State.DRAINING) {
            relay.fail(status, why);
        }
        relay.ended();
        finish();
    }

    private void finish() {
        finished = true;
        pool.cancel(this);
        if (timer != null) {
            timer.cancel();
        }
        if (body != null) {
            body.release();
            body = null;
        }
    }

    private void dropConnection() {
        BackendConnection c = connection;
        connection = null;
        if (c != null) {
            c.discard();
        }
    }

    private void progress() {
        lastProgress = loop.now();
    }
}
