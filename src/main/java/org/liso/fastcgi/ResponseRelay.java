package org.liso.fastcgi;

import java.nio.ByteBuffer;
import org.liso.cgi.CgiHead;
import org.liso.cgi.CgiResponseParser;
import org.liso.http.HttpException;
import org.liso.server.spi.Body;
import org.liso.server.spi.Exchange;
import org.liso.server.spi.Response;
import org.liso.server.spi.StreamBody;

/**
 * The application's FCGI_STDOUT on its way to the client (specification §6.2: a CGI response, RFC 3875 §6): the CGI
 * response parser finds the head; the head goes out with the body bytes of the same read, in one write, and as one
 * body of known length when the response ended in that read too (the usual small page), else as a stream that starts
 * with those bytes. The application is read only while the client keeps up: a full {@link StreamBody} (its
 * high-water mark) holds the chunk and pauses reading until the queue drains to half (its low-water mark).
 *
 * <pre>
 *   WAITING --head parsed--> STREAMING --END_REQUEST, last chunk handed over--> ENDED
 *      |                        \--client gone / body not wanted (HEAD)--> DRAINING --END_REQUEST--> ENDED
 *      |--answered whole (head and body in the read that ended the response)--> DRAINING
 *      \--an error answered (502, 503, 504), or the client gone before the head--> ENDED / DRAINING
 * </pre>
 * Loop thread only.
 */
final class ResponseRelay {

    /** Where the response stands. */
    enum State { WAITING, STREAMING, DRAINING, ENDED }

    /** The call's side of back-pressure. */
    interface Flow {
        /** The client's queue is full: stop reading the application. */
        void pause();

        /** A held chunk was taken (or is no longer wanted): read on, or end the request if END_REQUEST was read. */
        void resume();
    }

    /** Chunks queued towards the client at most (each at most one socket read): the high-water mark. */
    static final int MAX_CHUNKS = 8;

    private final Exchange exchange;
    private final Flow flow;
    private final CgiResponseParser parser = new CgiResponseParser(CgiResponseParser.DEFAULT_MAX_HEAD);
    private State state = State.WAITING;
    private StreamBody out;
    /** A parsed head not yet answered: it goes out with the first body bytes, in one write. */
    private CgiHead head;
    /** The body bytes of the current read, gathered from its STDOUT records. */
    private ByteBuffer chunk;
    private int readSize;
    /** A chunk the client's queue refused: reading the application waits until it is taken. */
    private ByteBuffer pending;
    private HttpException invalidHead;
    private boolean complete;

    ResponseRelay(Exchange exchange, Flow flow) {
        this.exchange = exchange;
        this.flow = flow;
    }

    State state() {
        return state;
    }

    /** True once the head parser has seen a byte (a response cut inside its head is told from none at all). */
    boolean headStarted() {
        return parser.started();
    }

    /** The head the application sent could not be parsed (a 502), or null. */
    HttpException invalidHead() {
        return invalidHead;
    }

    /** True while a chunk waits for room in the client's queue. */
    boolean holding() {
        return pending != null;
    }

    /** A read of {@code size} bytes is about to be decoded: its STDOUT bytes are gathered in one chunk. */
    void reading(int size) {
        readSize = size;
    }

    /** A part of the STDOUT stream (a view valid during the call only). */
    void stdout(ByteBuffer part) {
        if (state == State.WAITING && invalidHead == null) {
            CgiHead h;
            try {
                h = parser.parse(part);
            } catch (HttpException e) {
                invalidHead = e;
                return;
            }
            if (h == null) {
                return;
            }
            state = State.STREAMING;
            head = h;
        }
        if (state != State.STREAMING || !part.hasRemaining()) {
            part.position(part.limit());
            return;
        }
        if (chunk == null) {
            chunk = ByteBuffer.allocate(readSize);
        }
        chunk.put(part);
    }

    /** FCGI_END_REQUEST was read: nothing more comes for this response. */
    void completed() {
        complete = true;
    }

    /** After a read: gives what it brought to the client's queue, or holds it and pauses while the queue is full. */
    void handOver() {
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
        if (c == null || out.offerNow(c)) {
            return;
        }
        if (out.released()) {
            state = State.DRAINING; // the body is not wanted (HEAD, or the client went): read on to END_REQUEST
        } else {
            pending = c;
            flow.pause();
        }
    }

    /** END_REQUEST was read and every chunk handed over: the stream ends; an unanswered head is the call's to fail. */
    void finish() {
        if (state == State.STREAMING) {
            out.finish();
        }
        if (state != State.WAITING) {
            state = State.ENDED;
        }
    }

    /**
     * A failure before END_REQUEST: {@code status} is answered if no head was sent (a parsed head not yet sent is
     * dropped: the client can still get a clean error), else the body fails and the client connection closes (its
     * framing cannot be completed).
     */
    void fail(int status, String why) {
        head = null;
        if (state == State.WAITING || (state == State.STREAMING && out == null)) {
            exchange.fail(new HttpException(status, why));
        } else if (state == State.STREAMING) {
            pending = null;
            out.fail();
        }
        state = State.ENDED;
    }

    /** The client went away: nothing more is sent; the rest of the application's output is read and dropped. */
    void clientGone() {
        pending = null;
        head = null;
        if (out != null) {
            out.release();
        }
        if (state != State.ENDED) {
            state = State.DRAINING;
        }
    }

    /** The exchange is over (answered, failed or abandoned): whatever comes later is dropped. */
    void ended() {
        state = State.ENDED;
    }

    /** Answers with the head and what came of the body in the same read. */
    private void answer(ByteBuffer first) {
        CgiHead h = head;
        head = null;
        String declared = h.headers().get("Content-Length");
        int have = first == null ? 0 : first.remaining();
        if (complete && (declared == null || declared.equals(Integer.toString(have)))) {
            state = State.DRAINING; // answered whole: END_REQUEST only has the connection left to settle
            exchange.respond(new Response(h.status(), h.headers(), first == null ? Body.empty() : Body.bytes(first)));
            return;
        }
        out = new StreamBody(exchange.loop(), MAX_CHUNKS);
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
        flow.resume();
    }
}
