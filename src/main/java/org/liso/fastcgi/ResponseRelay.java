package org.liso.fastcgi;

import java.nio.ByteBuffer;
import org.liso.cgi.CgiHead;
import org.liso.cgi.CgiResponseParser;
import org.liso.http.HttpException;
import org.liso.server.spi.Body;
import org.liso.server.spi.BodyRelay;
import org.liso.server.spi.Exchange;
import org.liso.server.spi.Response;
import org.liso.server.spi.StreamBody;

/**
 * The application's FCGI_STDOUT on its way to the client (specification §6.2: a CGI response, RFC 3875 §6): the CGI
 * response parser finds the head; the head goes out with the body bytes of the same read, in one write, and as one
 * body of known length when the response ended in that read too (the usual small page), else as a stream that starts
 * with those bytes. The states and the back-pressure (the application is read only while the client keeps up) are
 * {@link BodyRelay}'s, shared with CGI; what is FastCGI's own is here: the STDOUT records of one read gathered into
 * one chunk, and the whole answer when END_REQUEST came in the read that had the head. Loop thread only.
 */
final class ResponseRelay {

    /** Chunks queued towards the client at most (each at most one socket read): the high-water mark. */
    static final int MAX_CHUNKS = 8;

    private final Exchange exchange;
    private final BodyRelay relay;
    private final CgiResponseParser parser = new CgiResponseParser(CgiResponseParser.DEFAULT_MAX_HEAD);
    /** A parsed head not yet answered: it goes out with the first body bytes, in one write. */
    private CgiHead head;
    /** The body bytes of the current read, gathered from its STDOUT records. */
    private ByteBuffer chunk;
    private int readSize;
    private HttpException invalidHead;
    private boolean complete;

    ResponseRelay(Exchange exchange, BodyRelay.Flow flow) {
        this.exchange = exchange;
        this.relay = new BodyRelay(flow);
    }

    BodyRelay.State state() {
        return relay.state();
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
        return relay.holding();
    }

    /** A read of {@code size} bytes is about to be decoded: its STDOUT bytes are gathered in one chunk. */
    void reading(int size) {
        readSize = size;
    }

    /** A part of the STDOUT stream (a view valid during the call only). */
    void stdout(ByteBuffer part) {
        if (head == null && relay.state() == BodyRelay.State.HEAD && invalidHead == null) {
            try {
                head = parser.parse(part);
            } catch (HttpException e) {
                invalidHead = e;
                return;
            }
            if (head == null) {
                return;
            }
        }
        if ((head == null && relay.state() != BodyRelay.State.STREAMING) || !part.hasRemaining()) {
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
        if (c != null) {
            c.flip();
        }
        if (head != null) {
            answer(c);
        } else if (c != null) {
            try {
                relay.give(c); // false: the body is not wanted (HEAD, or the client went): read on to END_REQUEST
            } catch (InterruptedException withAFlowItNeverWaits) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** END_REQUEST was read and every chunk handed over: the stream ends; an unanswered head is the call's to fail. */
    void finish() {
        relay.finish();
    }

    /**
     * A failure before END_REQUEST: {@code status} is answered if no head was sent (a parsed head not yet sent is
     * dropped: the client can still get a clean error), else the body fails and the client connection closes (its
     * framing cannot be completed).
     */
    void fail(int status, String why) {
        head = null;
        if (relay.fail()) {
            exchange.fail(new HttpException(status, why));
        }
    }

    /** The client went away: nothing more is sent; the rest of the application's output is read and dropped. */
    void clientGone() {
        head = null;
        relay.clientGone();
    }

    /** The exchange is over (answered, failed or abandoned): whatever comes later is dropped. */
    void ended() {
        head = null; // a head parsed in this read is not answered on an exchange that is over
        relay.end();
    }

    /** Answers with the head and what came of the body in the same read. */
    private void answer(ByteBuffer first) {
        CgiHead h = head;
        head = null;
        String declared = h.headers().get("Content-Length");
        int have = first == null ? 0 : first.remaining();
        if (complete && (declared == null || declared.equals(Integer.toString(have)))) {
            relay.answered(); // answered whole: END_REQUEST only has the connection left to settle
            exchange.respond(new Response(h.status(), h.headers(), first == null ? Body.empty() : Body.bytes(first)));
            return;
        }
        StreamBody out = new StreamBody(exchange.loop(), MAX_CHUNKS);
        relay.stream(out);
        if (have > 0) {
            out.offerNow(first); // a fresh queue takes it
        }
        exchange.respond(new Response(h.status(), h.headers(), out));
    }
}
