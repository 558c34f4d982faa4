package org.liso.server;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.liso.server.spi.BodyReceiver;

/**
 * One HTTP/2 stream's request body on its way to the handler's {@link BodyReceiver}: DATA is given as it comes while
 * the receiver takes it, and kept (a copy) while it has paused or has not asked yet. The stream's flow-control credit
 * (WINDOW_UPDATE) goes back only for what the receiver took, which is HTTP/2's back-pressure (RFC 9113 §5.2): what
 * is kept is bounded by the window. A body nobody will read is discarded: the connection window gets its bytes back,
 * the stream's does not ({@link Http2Connection#discarded}). Loop thread only.
 */
final class Http2RequestBody {
    private final Http2Exchange exchange;
    private final Http2Connection connection;
    private final long maxBytes;
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>(2);
    private BodyReceiver receiver;
    private boolean paused;
    private boolean discard;
    private boolean ended;
    private boolean receiverEnded;
    private long received;

    /** @param ended the request head had END_STREAM: there is no body */
    Http2RequestBody(Http2Exchange exchange, Http2Connection connection, long maxBytes, boolean ended) {
        this.exchange = exchange;
        this.connection = connection;
        this.maxBytes = maxBytes;
        this.ended = ended;
    }

    /** The handler reads the body from now on. */
    void read(BodyReceiver r) {
        if (receiver != null) {
            throw new IllegalStateException("readBody called twice");
        }
        receiver = r;
        deliverPending();
    }

    /** @return true when the receiver had paused and takes DATA again */
    boolean resume() {
        if (!paused) {
            return false;
        }
        paused = false;
        deliverPending();
        return true;
    }

    /** The handler returned: a body it did not ask for is not read by anyone. */
    void handlerReturned() {
        if (receiver == null) {
            discard();
        }
    }

    /** DATA for this stream; {@code data} is valid during the call only. */
    void data(ByteBuffer data, boolean end) {
        int n = data.remaining();
        received += n;
        if (end) {
            ended = true;
        }
        if (!discard && received > maxBytes) {
            discard();
            exchange.bodyTooLarge();
        }
        if (discard) {
            connection.discarded(exchange, n);
        } else if (receiver != null && !paused && pending.isEmpty()) {
            give(data, n);
        } else if (n > 0) {
            // Flow control bounds this: no credit is returned until the handler takes these bytes.
            ByteBuffer copy = ByteBuffer.allocate(n).put(data).flip();
            pending.addLast(copy);
        }
        if (ended && receiver != null && pending.isEmpty() && !receiverEnded && !discard) {
            receiverEnded = true;
            receiver.end();
        }
    }

    /** The request's framing is lost (the handler saw an error): what comes later is dropped. */
    void framingLost() {
        discard = true;
    }

    /** Nobody reads the rest: what is kept is dropped, its bytes credited to the connection window. */
    void discard() {
        discard = true;
        while (!pending.isEmpty()) {
            connection.discarded(exchange, pending.pollFirst().remaining());
        }
    }

    /** True while the handler waits for DATA that has not come (the body deadline runs). */
    boolean awaited() {
        return receiver != null && !receiverEnded && !paused && !discard && !ended && pending.isEmpty();
    }

    /** END_STREAM came from the client: the request is complete. */
    boolean ended() {
        return ended;
    }

    private void give(ByteBuffer data, int n) {
        if (!receiver.data(data)) {
            paused = true;
        }
        connection.consumed(exchange, n);
    }

    private void deliverPending() {
        while (!paused && !pending.isEmpty() && !discard) {
            ByteBuffer b = pending.pollFirst();
            give(b, b.remaining());
        }
        if (ended && pending.isEmpty() && !receiverEnded && !discard && !paused) {
            receiverEnded = true;
            receiver.end();
        }
    }
}
