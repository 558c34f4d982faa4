package org.liso.cgi;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.liso.Log;
import org.liso.http.ContentCoding;
import org.liso.http.Headers;
import org.liso.http.HttpException;
import org.liso.loop.EventLoop;
import org.liso.server.spi.BodyRelay;
import org.liso.server.spi.Response;
import org.liso.server.spi.StreamBody;

/**
 * A script's stdout becoming the response, fed read by read ({@link #input}, then {@link #end}): the head parsed (a
 * CGI response or, with NPH passthrough, a complete HTTP one), then the body in bounded chunks towards the client
 * (gzipped when {@code --compress-cgi} and the client agree). What it finds goes back to the run, which owns the
 * exchange on the loop thread.
 *
 * <p>The states and the back-pressure are {@link BodyRelay}'s, shared with the FastCGI client: a pump thread
 * ({@link PumpIo}) blocks while the client's queue is full; the loop ({@link LoopIo}) must not, so a refused chunk is
 * held and its feeder paused until the queue drains. What is CGI's own is here: the NPH head kept as written, gzip
 * (its last block and trailer handed with the relay's finish once stdout ended), the 502 reasons, the script killed
 * when nobody wants its output, and on the loop the parsed head held back for the feeder's {@link #flush} (the pipe
 * has nothing more right now) or the end of the output, so that the head goes out with the first body bytes, and a
 * script that has already exited has its whole response sent in one write.
 */
final class ScriptOutput {

    private final CgiRun run;
    private final long id;
    private final EventLoop loop;
    /** What --compress-cgi and this request make of a compressible 200. */
    private final Gzip gzipChoice;
    private final CgiResponseParser parser;
    /** The head as written, kept while it is parsed in case it goes out unmodified (bounded by the parser). */
    private final ByteArrayOutputStream rawHead;
    /** Without a feeder on the loop (a pump thread), a full queue blocks. */
    private BodyRelay relay = new BodyRelay(null);
    private boolean fedByLoop;
    private StreamBody out;
    private GzipChunks gzip;
    /** A response whose head was parsed on the loop and waits for {@link #flush} to be handed to the run. */
    private Response pending;

    /** What --compress-cgi and the request make of a script's compressible 200, decided at the request's start. */
    enum Gzip {
        /** --compress-cgi is off: sent as written, without Vary. */
        OFF,
        /** It varies on Accept-Encoding, and this client does not take gzip (RFC 9110 §12.5.3): sent as written. */
        REFUSED,
        /** Gzipped as it streams. */
        ON,
        /** A HEAD: its head says gzip as a GET's would (RFC 9110 §9.3.2), but no body is sent, so none is made. */
        HEAD_ONLY
    }

    ScriptOutput(CgiRun run, long id, EventLoop loop, boolean nphPassthrough, Gzip gzipChoice) {
        this.run = run;
        this.id = id;
        this.loop = loop;
        this.gzipChoice = gzipChoice;
        this.parser = new CgiResponseParser(CgiResponseParser.DEFAULT_MAX_HEAD, nphPassthrough);
        this.rawHead = nphPassthrough ? new ByteArrayOutputStream() : null;
    }

    /**
     * Feeds from the loop thread from now on (before any output): a full client queue pauses {@code feeder} instead
     * of blocking.
     */
    void onLoop(BodyRelay.Flow feeder) {
        fedByLoop = true;
        relay = new BodyRelay(new BodyRelay.Flow() {
            @Override
            public void pause() {
                feeder.pause();
            }

            @Override
            public void resume() {
                switch (relay.state()) {
                    case ENDED -> finished(); // stdout ended while a chunk was held, and it was taken
                    case DRAINING -> gone();
                    default -> feeder.resume();
                }
            }
        });
    }

    /** True until the head has been parsed: a script ending now gets a 502, whose reason wants its exit status. */
    boolean awaitingHead() {
        return relay.state() == BodyRelay.State.HEAD;
    }

    /**
     * One read of stdout ({@code bytes} is consumed; a loop feeder may reuse it after the call).
     *
     * @return false when nobody wants more output (the run is being killed): stop reading
     */
    boolean input(ByteBuffer bytes) throws InterruptedException {
        run.progress();
        if (relay.state() == BodyRelay.State.HEAD) {
            int start = bytes.position();
            CgiHead head;
            try {
                head = parser.parse(bytes);
            } catch (HttpException invalid) {
                Log.warn(CgiRun.LOG, "invalid script output", "request", id, "error", invalid.getMessage());
                relay.end();
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
        if (relay.state() == BodyRelay.State.DRAINING || relay.state() == BodyRelay.State.ENDED) {
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
    void end(Integer exitStatus) {
        switch (relay.state()) {
            case HEAD -> {
                relay.end();
                noHead(exitStatus);
            }
            case STREAMING, HELD -> finishBody();
            default -> {
                // finishing, not wanted, or over already
            }
        }
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
        BodyRelay.State was = relay.state();
        boolean unanswered = was == BodyRelay.State.HEAD || pending != null; // a held-back head can still be a 502
        pending = null;
        if (unanswered) {
            relay.end();
        } else {
            relay.fail(); // a body under way fails: the client connection closes
        }
        run.kill();
        if (unanswered) {
            run.failBeforeHead(new HttpException(502, "CGI script output broke off"));
        }
        release();
    }

    /**
     * The run ended (killed, timed out, client gone, or the output complete): frees what is still held. A body whose
     * end is decided (FINISHING: the output is complete, a held chunk waits for room) is left to end by itself.
     */
    void release() {
        BodyRelay.State s = relay.state();
        if (s != BodyRelay.State.HEAD && s != BodyRelay.State.FINISHING) {
            relay.end(); // drops a held chunk
        }
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
        out = new StreamBody(loop, CgiRun.MAX_CHUNKS);
        relay.stream(out);
        Response response;
        if (head.nph() && rawHead != null) {
            response = Response.passthrough(head.status(), out);
            out.offerNow(ByteBuffer.wrap(rawHead.toByteArray())); // a fresh queue takes it
        } else {
            gzip = gzipFor(head);
            response = new Response(head.status(), head.headers(), out);
        }
        if (!fedByLoop) {
            run.headParsed(response, out);
        } else {
            pending = response;
        }
    }

    /** The body ends with gzip's last block and trailer, if any: the relay takes them whether its queue is full. */
    private void finishBody() {
        ByteBuffer last = null;
        if (gzip != null) {
            last = gzip.finish();
            gzip.release();
            gzip = null;
        }
        relay.finish(last); // now, or once a held chunk is taken (then resume() sees ENDED)
        if (relay.state() == BodyRelay.State.ENDED) {
            finished();
        }
    }

    private void finished() {
        run.outputComplete();
        flush();
    }

    /** Hands a chunk to the client's queue; false when the consumer is gone (client closed, HEAD, timeout). */
    private boolean give(ByteBuffer chunk) throws InterruptedException {
        if (relay.give(chunk)) {
            return true;
        }
        gone();
        return false;
    }

    /** Nobody wants the rest of the body: the script is killed. */
    private void gone() {
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
        if (gzipChoice == Gzip.OFF || head.status() != 200 || type == null || !ContentCoding.compressible(type)
                || h.contains("Content-Encoding")) {
            return null;
        }
        h.add("Vary", "Accept-Encoding");
        if (gzipChoice == Gzip.REFUSED) {
            return null;
        }
        h.remove("Content-Length");
        h.add("Content-Encoding", "gzip");
        return gzipChoice == Gzip.ON ? new GzipChunks() : null;
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
