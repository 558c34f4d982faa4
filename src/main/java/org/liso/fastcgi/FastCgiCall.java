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
    private final byte[] params;
    private final long timeoutMillis;
    private final ResponseDecoder decoder = new ResponseDecoder(REQUEST_ID, this);
    private final CgiResponseParser parser = new CgiResponseParser(CgiResponseParser.DEFAULT_MAX_HEAD);
    private SpooledBody body;
    private State state = State.WAITING;
    private BackendConnection connection;
    private StreamBody out;
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
    private boolean stdinDone;
    private long stdinPosition;
    private ByteBuffer stdinRecord;
    private Timer timer;
    private long lastProgress;

    /**
     * @param params the request's name-value pairs, encoded (§3.4)
     * @param body   the request body, read whole, or null for none; this call releases it
     */
    FastCgiCall(Exchange exchange, BackendPool pool, byte[] params, SpooledBody body, long timeoutMillis) {
        this.exchange = exchange;
        this.loop = exchange.loop();
        this.pool = pool;
        this.params = params;
        this.body = body;
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
        stdinPosition = 0;
        stdinDone = false;
        ByteBuffer paramStream = Records.stream(Records.PARAMS, REQUEST_ID, params);
        boolean noBody = body == null;
        ByteBuffer head = ByteBuffer.allocate(Records.HEADER + 8 + paramStream.remaining()
                + (noBody ? Records.HEADER : 0));
        Records.beginRequest(head, REQUEST_ID, pool.keepsConnections());
        head.put(paramStream);
        if (noBody) {
            // The empty STDIN record that ends the stream goes in the same write.
            Records.header(head, Records.STDIN, REQUEST_ID, 0, 0);
            stdinDone = true;
        }
        head.flip();
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
        if (pushing || stdinDone || connection == null) {
            return;
        }
        pushing = true;
        try {
            while (!stdinDone && connection != null && connection.connected() && connection.outputEmpty()) {
                connection.write(nextStdinRecord());
            }
        } catch (IOException e) {
            Log.error(LOG, "request body could not be read back", "error", e.getMessage());
            dropConnection();
            broken(500, "request body could not be read back: " + e.getMessage());
        } finally {
            pushing = false;
        }
    }

    private ByteBuffer nextStdinRecord() throws IOException {
        int n = 0;
        if (body != null) {
            if (stdinRecord == null) {
                stdinRecord = ByteBuffer.allocate(Records.HEADER + Records.STREAM_CONTENT);
            }
            stdinRecord.clear().position(Records.HEADER);
            n = Math.max(0, body.read(stdinRecord, stdinPosition));
        }
        if (n == 0) {
            stdinDone = true;
            ByteBuffer last = ByteBuffer.allocate(Records.HEADER);
            Records.header(last, Records.STDIN, REQUEST_ID, 0, 0);
            return last.flip();
        }
        stdinPosition += n;
        int padding = (8 - (n & 7)) & 7; // STREAM_CONTENT is a multiple of 8: only the last record pads
        stdinRecord.put(new byte[padding]).flip();
        Records.header(stdinRecord.duplicate(), Records.STDIN, REQUEST_ID, n, padding);
        return stdinRecord;
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
        } else if (in.hasRemaining() || !stdinDone || !c.outputEmpty()) {
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
            out = new StreamBody(loop, MAX_CHUNKS);
            out.onRoom(this::room);
            exchange.respond(new Response(head.status(), head.headers(), out));
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
        if (c == null || state != State.STREAMING) {
            return;
        }
        c.flip();
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
            stdinDone = true;
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

    /** A failure before END_REQUEST: 4xx/5xx when no head was sent, else the body fails (the client connection closes). */
    private void broken(int status, String why) {
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
