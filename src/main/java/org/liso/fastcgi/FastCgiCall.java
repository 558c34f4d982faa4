package org.liso.fastcgi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.liso.Log;
import org.liso.cgi.CgiHead;
import org.liso.cgi.CgiResponseParser;
import org.liso.http.HttpException;
import org.liso.loop.EventLoop;
import org.liso.loop.Timer;
import org.liso.server.spi.Body;
import org.liso.server.spi.Exchange;
import org.liso.server.spi.Response;
import org.liso.server.spi.SpooledBody;
import org.liso.server.spi.StreamBody;

/**
 * One request's conversation with a FastCGI Responder (specification §6.2), on the loop of its client: BEGIN_REQUEST
 * and PARAMS, the buffered body as STDIN records written as fast as the socket takes them, then STDOUT read through
 * the CGI response parser and streamed to the client, until END_REQUEST hands the connection back to its pool.
 * The application is read only while the client keeps up: a full {@link StreamBody} pauses reading (its high-water
 * mark) until it drains to half (its low-water mark).
 *
 * <pre>
 *   WAITING --head parsed--> STREAMING --END_REQUEST (last chunk handed over)--> ENDED
 *      |                         \--client gone / body not wanted (HEAD)--> DRAINING --END_REQUEST--> ENDED
 *      \--END_REQUEST without a head (502; OVERLOADED 503), no connection (502), timeout (504)--> ENDED
 *      \--client gone--> DRAINING (FCGI_ABORT_REQUEST sent, output discarded until END_REQUEST)
 * </pre>
 * A timeout or a lost connection in STREAMING fails the body (the client connection closes: its framing cannot be
 * completed); in DRAINING it just closes the application connection.
 */
final class FastCgiCall implements BackendConnection.User, ResponseDecoder.Listener, BackendPool.Waiter {

    /** Where the response stands. */
    enum State { WAITING, STREAMING, DRAINING, ENDED }

    /** This client never multiplexes, so every request is number 1 on its connection. */
    static final int REQUEST_ID = 1;
    /** Chunks queued towards the client at most (each at most one socket read): the high-water mark. */
    static final int MAX_CHUNKS = 8;
    private static final int MAX_STDERR_LOGGED = 512;
    private static final String LOG = "fastcgi";

    private final Exchange exchange;
    private final EventLoop loop;
    private final BackendPool pool;
    private final long timeoutMillis;
    private final RequestWriter request;
    private final ResponseDecoder decoder = new ResponseDecoder(REQUEST_ID, this);
    private final CgiResponseParser parser = new CgiResponseParser(CgiResponseParser.DEFAULT_MAX_HEAD);
    private SpooledBody body;
    private State state = State.WAITING;
    private BackendConnection connection;
    private StreamBody out;
    /** A parsed head not yet answered: it goes out with the first body bytes, in one write. */
    private CgiHead head;
    private ByteBuffer chunk;
    private int inputSize;
    /** A chunk the client's queue refused: reading the application waits until it is taken. */
    private ByteBuffer pending;
    private HttpException invalidHead;
    private boolean endSeen;
    private int protocolStatus;
    private boolean received;
    private boolean retried;
    private boolean abortSent;
    private boolean pushing;
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
            c = fresh ? pool.open() : pool.acquire(this);
        } catch (IOException e) {
            unreachable(e);
            return;
        }
        if (c != null) {
            granted(c);
        }
    }

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
        failWaiting(502, "FastCGI application " + pool.backend() + " is not reachable");
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
            broken(500, "request body could not be read back: " + e.getMessage());
        } finally {
            pushing = false;
        }
    }

    @Override
    public void input(ByteBuffer in) {
        received = true;
        progress();
        inputSize = in.remaining();
        boolean ended;
        try {
            ended = decoder.feed(in);
        } catch (FastCgiException e) {
            Log.warn(LOG, "protocol error", "backend", pool.backend(), "error", e.getMessage());
            dropConnection();
            broken(502, "FastCGI application broke the protocol");
            return;
        }
        if (invalidHead != null) {
            Log.warn(LOG, "invalid response head", "backend", pool.backend(), "error", invalidHead.getMessage());
            dropConnection();
            broken(invalidHead.status(), invalidHead.getMessage());
            return;
        }
        handOver();
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
        if (state == State.WAITING && invalidHead == null) {
            CgiHead head;
            try {
                head = parser.parse(part);
            } catch (HttpException e) {
                invalidHead = e;
                return;
            }
            if (head == null) {
                return;
            }
            state = State.STREAMING;
            this.head = head;
        }
        if (state != State.STREAMING || !part.hasRemaining()) {
            part.position(part.limit());
            return;
        }
        if (chunk == null) {
            chunk = ByteBuffer.allocate(inputSize);
        }
        chunk.put(part);
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
        if (appStatus != 0) {
            Log.info(LOG, "application status", "backend", pool.backend(), "status", appStatus);
        }
    }

    /** Loop thread: the connection closed (the application, an error, the loop stopping) before END_REQUEST. */
    @Override
    public void closed(String why) {
        boolean wasReused = connection != null && connection.reused();
        connection = null;
        if (state == State.WAITING && !received && wasReused && !retried && !abortSent) {
            // A kept connection the application closed meanwhile (pm.max_requests, a restart): nothing was processed,
            // and the buffered body can be sent again, so one fresh connection gets the request.
            retried = true;
            connect(true);
            return;
        }
        if (state == State.ENDED || state == State.DRAINING) {
            requestEnded();
            return;
        }
        Log.warn(LOG, "connection lost", "backend", pool.backend(), "why", why);
        broken(502, "FastCGI application " + pool.backend() + ": " + why);
    }

    // ---- the client's side ----

    /** Gives the accumulated stdout to the client's queue, or holds it and stops reading while the queue is full. */
    private void handOver() {
        ByteBuffer c = chunk;
        chunk = null;
        if (state != State.STREAMING) {
            return;
        }
        if (c != null) {
            c.flip();
        }
        if (head != null) {
            answer(c);
            return;
        }
        if (c == null) {
            return;
        }
        if (out.offerNow(c)) {
            return;
        }
        if (out.released()) {
            state = State.DRAINING; // the body is not wanted (HEAD, or the client went): read on to END_REQUEST
        } else {
            pending = c;
            if (connection != null) {
                connection.pauseReading();
            }
        }
    }

    /**
     * Answers with the head and what came of the body in the same read: as one body of known length when the
     * response ended there too (the usual small page), else as a stream that starts with those bytes.
     */
    private void answer(ByteBuffer first) {
        CgiHead h = head;
        head = null;
        String declared = h.headers().get("Content-Length");
        int have = first == null ? 0 : first.remaining();
        if (endSeen && (declared == null || declared.equals(Integer.toString(have)))) {
            state = State.DRAINING; // answered whole: END_REQUEST only has the connection left to settle
            exchange.respond(new Response(h.status(), h.headers(), first == null ? Body.empty() : Body.bytes(first)));
            return;
        }
        out = new StreamBody(loop, MAX_CHUNKS);
        out.onRoom(this::room);
        if (have > 0) {
            out.offerNow(first); // a fresh queue takes it
        }
        exchange.respond(new Response(h.status(), h.headers(), out));
    }

    /** The client's queue drained to its low-water mark. */
    private void room() {
        ByteBuffer c = pending;
        if (c == null) {
            return;
        }
        if (state == State.STREAMING && !out.offerNow(c)) {
            if (!out.released()) {
                return; // still full: onRoom runs again
            }
            state = State.DRAINING;
        }
        pending = null;
        progress();
        if (endSeen) {
            requestEnded();
        } else if (connection != null) {
            connection.resumeReading();
        }
    }

    /** END_REQUEST was read (or the connection closed while draining): answer what is left to answer. */
    private void requestEnded() {
        if (pending != null) {
            return; // the last chunk still waits for room; room() comes back here
        }
        switch (state) {
            case WAITING -> {
                String why = protocolStatus == Records.OVERLOADED ? "FastCGI application overloaded"
                        : protocolStatus != Records.REQUEST_COMPLETE ? "FastCGI application refused the request ("
                        + protocolStatus + ")" : parser.started() ? "FastCGI response ended inside its head"
                        : "FastCGI application sent no response";
                Log.warn(LOG, why, "backend", pool.backend());
                failWaiting(protocolStatus == Records.OVERLOADED ? 503 : 502, why);
            }
            case STREAMING -> out.finish();
            default -> {
                // DRAINING or ENDED: nobody waits
            }
        }
        finish();
    }

    private void clientGone() {
        pending = null;
        if (out != null) {
            out.release();
        }
        if (state == State.ENDED || abortSent) {
            return;
        }
        if (connection != null && connection.connected()) {
            // §5.4: the application is told, and answers with END_REQUEST; the connection is kept if it does.
            state = State.DRAINING;
            abortSent = true;
            request.stop();
            ByteBuffer abort = ByteBuffer.allocate(Records.HEADER);
            Records.abortRequest(abort, REQUEST_ID);
            connection.write(abort.flip());
            connection.resumeReading();
            Log.info(LOG, "client gone, FCGI_ABORT_REQUEST sent", "backend", pool.backend());
        } else {
            dropConnection();
            finish();
        }
    }

    private void onTimer() {
        if (state == State.ENDED) {
            return;
        }
        long idle = loop.now() - lastProgress;
        if (pending != null || idle < timeoutMillis) {
            // Waiting for the client is the server's send timeout's business, not the application's.
            timer.schedule(pending != null ? timeoutMillis : timeoutMillis - idle);
            return;
        }
        Log.warn(LOG, "application timed out", "backend", pool.backend(), "state", state, "millis", timeoutMillis);
        dropConnection();
        if (state == State.WAITING) {
            failWaiting(504, "FastCGI application timed out");
        } else if (state == State.STREAMING) {
            out.fail();
        }
        finish();
    }

    /** A failure before END_REQUEST: an error response if no head was sent, else the body fails (the connection closes). */
    private void broken(int status, String why) {
        if (head != null) {
            head = null; // parsed but not yet sent: the client can still get a clean error
            state = State.WAITING;
        }
        if (state == State.WAITING) {
            failWaiting(status, why);
        } else if (state == State.STREAMING) {
            pending = null;
            out.fail();
        }
        finish();
    }

    private void failWaiting(int status, String why) {
        if (state == State.WAITING) {
            state = State.ENDED;
            exchange.fail(new HttpException(status, why));
        }
        finish();
    }

    private void finish() {
        state = State.ENDED;
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
