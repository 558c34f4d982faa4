package org.liso.server;

import java.nio.ByteBuffer;
import org.liso.http.BodyKind;
import org.liso.http.ChunkedDecoder;
import org.liso.http.HttpException;
import org.liso.server.spi.BodyReceiver;

/**
 * Takes one request's body out of the connection's input buffer, exactly as framed (RFC 9112 §6.3): Content-Length
 * bytes, or chunked coding decoded up to and including its trailer section. The bytes go to the handler's
 * {@link BodyReceiver}, or are dropped when no handler asked for them, so the next pipelined request starts at the
 * right byte.
 */
final class RequestBodyReader {
    private final BodyKind kind;
    private long remaining;
    private final ChunkedDecoder chunked;
    private BodyReceiver receiver;
    private boolean discard;
    private boolean paused;
    private boolean done;

    RequestBodyReader(BodyKind kind, long contentLength, long maxBody) {
        this.kind = kind;
        this.remaining = kind == BodyKind.LENGTH ? contentLength : 0;
        this.chunked = kind == BodyKind.CHUNKED ? new ChunkedDecoder(maxBody) : null;
        this.done = kind == BodyKind.NONE || (kind == BodyKind.LENGTH && contentLength == 0);
    }

    void deliverTo(BodyReceiver r) {
        this.receiver = r;
        if (done) {
            r.end();
        }
    }

    void discard() {
        this.discard = true;
    }

    boolean hasReceiver() {
        return receiver != null;
    }

    /** Bytes still expected with Content-Length framing (for the drain-or-close decision). */
    long remainingLength() {
        return remaining;
    }

    boolean chunked() {
        return kind == BodyKind.CHUNKED;
    }

    boolean done() {
        return done;
    }

    /** True when reading from the socket would make progress on this body. */
    boolean wantsInput() {
        return !done && !paused && (receiver != null || discard);
    }

    void resume() {
        paused = false;
    }

    /**
     * Moves body bytes from {@code in} to the receiver (or drops them) until the body is done, {@code in} is empty or
     * the receiver asks for a pause.
     *
     * @param scratch a loop-wide buffer for de-chunked bytes (the receiver copies what it keeps)
     */
    void pump(ByteBuffer in, ByteBuffer scratch) throws HttpException {
        while (in != null && in.hasRemaining() && wantsInput()) {
            if (kind == BodyKind.LENGTH) {
                int n = (int) Math.min(remaining, in.remaining());
                ByteBuffer slice = in.slice(in.position(), n);
                in.position(in.position() + n);
                remaining -= n;
                done = remaining == 0;
                deliver(slice);
            } else {
                scratch.clear();
                int before = in.position();
                boolean finished = chunked.decode(in, scratch);
                scratch.flip();
                if (!finished && in.position() == before && !scratch.hasRemaining()) {
                    return; // a partial chunk line: wait for more bytes
                }
                done = finished;
                if (scratch.hasRemaining()) {
                    deliver(scratch);
                }
            }
            if (done && receiver != null) {
                receiver.end();
            }
        }
    }

    private void deliver(ByteBuffer bytes) {
        if (receiver != null && !receiver.data(bytes)) {
            paused = true;
        }
    }
}
