package org.liso.cgi;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.liso.Log;
import org.liso.http.ContentCoding;
import org.liso.http.Headers;
import org.liso.http.HttpException;
import org.liso.loop.EventLoop;
import org.liso.server.spi.Response;
import org.liso.server.spi.StreamBody;

/**
 * A script's stdout becoming the response, fed read by read ({@link #input}, then {@link #end}): the head parsed (a
 * CGI response or, with NPH passthrough, a complete HTTP one), then the body in bounded chunks towards the client
 * (gzipped when {@code --compress-cgi} and the client agree). What it finds goes back to the run, which owns the
 * exchange on the loop thread.
 *
 * <p>Two feeders, one back-pressure rule: a pump thread ({@link PumpIo}) blocks in {@link StreamBody#offer} while
 * the client's queue is full; the loop ({@link LoopIo}, with a {@link Flow}) must not block, so a refused chunk is
 * held and the feeder paused until the queue drains to its low-water mark — the shape of the FastCGI client's
 * ResponseRelay, which reads its application on the loop the same way. On the loop the parsed head also waits for
 * the feeder's {@link #flush} (the pipe has nothing more right now) or the end of the output, so that the head goes
 * out with the first body bytes, and a script that has already exited has its whole response sent in one write.
 *
 * <pre>
 *   HEAD --head parsed--> BODY --end()--> DONE
 *     \--invalid head / end() without a head / nobody wants the body--> DONE
 * </pre>
 */
final class ScriptOutput {

    /** Where the output stands. */
    enum State { HEAD, BODY, DONE }

    /** A feeder on the loop: told to stop reading stdout while a chunk waits for room, and to read on after. */
    interface Flow {
        void pause();

        void resume();
    }

    private final CgiRun run;
    private final long id;
    private final EventLoop loop;
    /** --compress-cgi is on: a compressible 200 varies on Accept-Encoding. */
    private final boolean gzipOn;
    /** ... and this client takes gzip (RFC 9110 §12.5.3), read on the loop thread at the start. */
    private final boolean clientTakesGzip;
    private final CgiResponseParser parser;
    /** The head as written, kept while it is parsed in case it goes out unmodified (bounded by the parser). */
    private final ByteArrayOutputStream rawHead;
    /** Null for a pump thread, which blocks instead. */
    private Flow flow;
    private State state = State.HEAD;
    private StreamBody out;
    private GzipChunks gzip;
    /** A chunk the client's queue refused (loop feeder only): reading waits until it is taken. */
    private ByteBuffer held;
    /** end() came while a chunk was held: the body finishes once it is taken. */
    private boolean endHeld;
    /** A response whose head was parsed on the loop and waits for {@link #flush} to be handed to the run. */
    private Response pending;

    ScriptOutput(CgiRun run, long id, EventLoop loop, boolean nphPassthrough, boolean gzipOn,
            boolean clientTakesGzip) {
        this.run = run;
        this.id = id;
        this.loop = loop;
        this.gzipOn = gzipOn;
        this.clientTakesGzip = clientTakesGzip;
        this.parser = new CgiResponseParser(CgiResponseParser.DEFAULT_MAX_HEAD, nphPassthrough);
        this.rawHead = nphPassthrough ? new ByteArrayOutputStream() : null;
    }

    /** Feeds from the loop thread from now on: a full client queue pauses {@code flow} instead of blocking. */
    void onLoop(Flow f) {
        this.flow = f;
    }

    /** True until the head has been parsed: a script ending now gets a 502, whose reason wants its exit status. */
    boolean awaitingHead() {
        return state == State.HEAD;
    }

    /**
     * One read of stdout ({@code bytes} is consumed; a loop feeder may reuse it after the call).
     *
     * @return false when nobody wants more output (the run is being killed): stop reading
     */
    boolean input(ByteBuffer bytes) throws InterruptedException {
        run.progress();
        if (state == State.HEAD) {
            int start = bytes.position();
            CgiHead head;
            try {
                head = parser.parse(bytes);
            } catch (HttpException invalid) {
                Log.warn(CgiRun.LOG, "invalid script output", "request", id, "error", invalid.getMessage());
                state = State.DONE;
                run.countFailure();
                run.kill();
                run.failBeforeHead(invalid);
                return false;
            }
            if (rawHead != null) {
                ByteBuffer consumed = bytes.duplicate().position(start).limit(bytes.position());
                byte[] b = new byte[consumed.remaining()];
                consumed.get(b);
                rawHead.write(b, 0, b.length);
            }
            if (head == null) {
                return true;
            }
            start(head);
        }
        if (state != State.BODY) {
            bytes.position(bytes.limit());
            return false;
        }
        if (!bytes.hasRemaining()) {
            return true;
        }
        return give(gzip == null ? copy(bytes) : gzip.chunk(bytes));
    }

    /**
     * Stdout ended. Without a complete head that is a 502 (§6 requires one), its reason naming {@code exitStatus}
     * when it is known and not 0 (null: unknown, the script has not exited yet).
     */
    void end(Integer exitStatus) throws InterruptedException {
        if (state == State.HEAD) {
            state = State.DONE;
            noHead(exitStatus);
            return;
        }
        if (state != State.BODY) {
            return;
        }
        if (held != null) {
            endHeld = true;
            return;
        }
        finishBody();
    }

    /** True while a parsed head waits for {@link #flush}. */
    boolean holdingHead() {
        return pending != null;
    }

    /**
     * Loop feeder: the pipe has nothing more to read right now (or the feeder yields), so a head held back for the
     * body bytes that follow goes to the run now, with what came of the body so far.
     */
    void flush() {
        Response r = pending;
        if (r != null) {
            pending = null;
            run.headParsed(r, out);
        }
    }

    /** Stdout broke off (a read failed): the response cannot be completed. */
    void broken() {
        State was = pending != null ? State.HEAD : state; // a head not handed over yet can still become a 502
        pending = null;
        state = State.DONE;
        held = null;
        run.kill();
        if (was == State.HEAD) {
            run.failBeforeHead(new HttpException(502, "CGI script output broke off"));
        } else if (was == State.BODY) {
            out.fail();
        }
        release();
    }

    /** The run ended (killed, timed out, client gone): frees what is still held. */
    void release() {
        held = null;
        if (pending != null) {
            pending = null;
            out.release();
        }
        if (gzip != null) {
            gzip.release();
            gzip = null;
        }
    }

    private void start(CgiHead head) {
        state = State.BODY;
        out = new StreamBody(loop, CgiRun.MAX_CHUNKS);
        if (flow != null) {
            out.onRoom(this::room);
        }
        Response response;
        if (head.nph() && rawHead != null) {
            response = Response.passthrough(head.status(), out);
            out.offerNow(ByteBuffer.wrap(rawHead.toByteArray())); // a fresh queue takes it
        } else {
            gzip = gzipFor(head);
            response = new Response(head.status(), head.headers(), out);
        }
        if (flow == null) {
            run.headParsed(response, out);
        } else {
            pending = response;
        }
    }

    private void finishBody() throws InterruptedException {
        if (gzip != null) {
            ByteBuffer last = gzip.finish();
            gzip.release();
            gzip = null;
            if (!give(last)) {
                return;
            }
            if (held != null) {
                endHeld = true;
                return;
            }
        }
        state = State.DONE;
        run.outputComplete();
        out.finish();
        flush();
    }

    /** Hands a chunk to the client's queue; false when the consumer is gone (client closed, HEAD, timeout). */
    private boolean give(ByteBuffer chunk) throws InterruptedException {
        boolean taken;
        if (flow == null) {
            taken = out.offer(chunk);
        } else {
            taken = out.offerNow(chunk);
            if (!taken && !out.released()) {
                held = chunk;
                flow.pause();
                return true;
            }
        }
        if (!taken) {
            gone();
        }
        return taken;
    }

    /** Loop thread: the client's queue drained to its low-water mark. */
    private void room() {
        ByteBuffer c = held;
        if (c == null || state != State.BODY) {
            return;
        }
        if (!out.offerNow(c)) {
            if (out.released()) {
                held = null;
                gone();
            }
            return; // still full: onRoom runs again
        }
        held = null;
        if (endHeld) {
            endHeld = false;
            try {
                finishBody();
            } catch (InterruptedException onLoopNeverBlocks) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        flow.resume();
    }

    /** Nobody wants the rest of the body: the script is killed. */
    private void gone() {
        state = State.DONE;
        release();
        run.kill();
    }

    /**
     * With --compress-cgi, a 200 of a compressible type that the script did not encode itself varies on
     * Accept-Encoding (RFC 9110 §12.5.5), and is gzipped for a client that takes it: its length is then unknown
     * ahead, so the script's Content-Length goes and the server frames the body. Null: sent as written.
     */
    private GzipChunks gzipFor(CgiHead head) {
        Headers h = head.headers();
        String type = h.get("Content-Type");
        if (!gzipOn || head.status() != 200 || type == null || !ContentCoding.compressible(type)
                || h.contains("Content-Encoding")) {
            return null;
        }
        h.add("Vary", "Accept-Encoding");
        if (!clientTakesGzip) {
            return null;
        }
        h.remove("Content-Length");
        h.add("Content-Encoding", "gzip");
        return new GzipChunks();
    }

    /** Stdout ended before a complete head: §6 requires one, so this is a 502, with the reason logged. */
    private void noHead(Integer exitStatus) {
        String why;
        if (exitStatus != null && exitStatus != 0) {
            why = "script exited with status " + exitStatus + " before a response head";
        } else {
            why = parser.started() ? "script output ended inside its response head" : "script wrote no output";
        }
        if (!run.killed()) {
            Log.warn(CgiRun.LOG, why, "request", id);
            run.countFailure();
        }
        run.kill();
        run.failBeforeHead(new HttpException(502, why));
    }

    private static ByteBuffer copy(ByteBuffer bytes) {
        ByteBuffer c = ByteBuffer.allocate(bytes.remaining());
        c.put(bytes).flip();
        return c;
    }
}
