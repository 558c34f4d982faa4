package org.liso.cgi;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.liso.http.Headers;
import org.liso.http.HttpException;
import org.liso.http.Request;
import org.liso.http.RequestLimits;
import org.liso.http.RequestParser;
import org.liso.loop.EventLoop;
import org.liso.server.spi.Body;
import org.liso.server.spi.BodyReceiver;
import org.liso.server.spi.Exchange;
import org.liso.server.spi.Response;
import org.liso.server.spi.StreamBody;

/**
 * A handler-level harness: an {@link Exchange} on a real {@link EventLoop} thread that plays the server's part
 * (delivers a request body in chunks honouring pause/resume, consumes a {@link StreamBody} as the loop would). Only
 * the socket is missing; the integration tests drive the real server.
 */
final class LoopExchange implements Exchange {

    /** What the "client" got. */
    record Result(int status, Headers headers, byte[] content, boolean bodyFailed, boolean aborted) {
        String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private static final int BODY_CHUNK = 16 * 1024;

    private final EventLoop loop;
    private final Request request;
    private final byte[] body;
    private final boolean secure;
    private final long abortAfterBytes;
    final CompletableFuture<Result> result = new CompletableFuture<>();
    private final ByteArrayOutputStream content = new ByteArrayOutputStream();
    private BodyReceiver receiver;
    private int bodyOffset;
    private boolean paused;
    private int pauses;
    private Runnable abort;
    private Response response;

    /**
     * @param abortAfterBytes after this many content bytes the "client" disconnects (-1: never)
     */
    LoopExchange(EventLoop loop, String head, byte[] body, boolean secure, long abortAfterBytes) {
        this(loop, parse(head), body, secure, abortAfterBytes);
    }

    /** An exchange for a request made otherwise than by parsing a head (an HTTP/2 one, say). */
    LoopExchange(EventLoop loop, Request request, byte[] body, boolean secure, long abortAfterBytes) {
        this.loop = loop;
        this.body = body;
        this.secure = secure;
        this.abortAfterBytes = abortAfterBytes;
        this.request = request;
    }

    private static Request parse(String head) {
        Request r;
        try {
            r = new RequestParser(RequestLimits.DEFAULT)
                    .parse(ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1)));
        } catch (HttpException e) {
            throw new IllegalArgumentException(e);
        }
        if (r == null) {
            throw new IllegalArgumentException("incomplete head: " + head);
        }
        return r;
    }

    /** Times the request body was paused by the handler (back-pressure seen). Loop thread, or after the result. */
    int pauses() {
        return pauses;
    }

    /** True once the whole request body went to the handler and end() was called. */
    boolean bodyDelivered() {
        return bodyOffset > body.length;
    }

    /** The client goes away now (runs on the loop). */
    void disconnect() {
        loop.execute(this::abortNow);
    }

    @Override
    public Request request() {
        return request;
    }

    @Override
    public InetSocketAddress localAddress() {
        return new InetSocketAddress("127.0.0.1", 8080);
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 40000);
    }

    @Override
    public boolean secure() {
        return secure;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public void respond(Response r) {
        check();
        if (response != null || result.isDone()) {
            throw new IllegalStateException("responded twice");
        }
        response = r;
        Body b = r.body();
        if (b instanceof StreamBody stream) {
            stream.listen(() -> drain(stream));
        } else if (b instanceof Body.Bytes bytes) {
            ByteBuffer v = bytes.view();
            byte[] a = new byte[v.remaining()];
            v.get(a);
            content.writeBytes(a);
            complete(false);
        } else {
            complete(false);
        }
    }

    private void drain(StreamBody stream) {
        for (ByteBuffer chunk; !result.isDone() && (chunk = stream.poll()) != null; ) {
            byte[] a = new byte[chunk.remaining()];
            chunk.get(a);
            content.writeBytes(a);
            if (abortAfterBytes >= 0 && content.size() >= abortAfterBytes) {
                stream.release();
                abortNow();
                return;
            }
        }
        if (stream.done() && !result.isDone()) {
            complete(stream.failed());
        }
    }

    private void abortNow() {
        if (result.isDone()) {
            return;
        }
        if (response != null) {
            response.body().release();
        }
        if (abort != null) {
            abort.run();
        }
        result.complete(new Result(response == null ? 0 : response.status(),
                response == null ? new Headers() : response.headers(), content.toByteArray(), false, true));
    }

    private void complete(boolean failed) {
        result.complete(new Result(response.status(), response.headers(), content.toByteArray(), failed, false));
    }

    @Override
    public void fail(HttpException e) {
        check();
        if (response != null || result.isDone()) {
            throw new IllegalStateException("failed after responding");
        }
        result.complete(new Result(e.status(), new Headers(), e.getMessage().getBytes(StandardCharsets.UTF_8),
                false, false));
    }

    @Override
    public void readBody(BodyReceiver r) {
        check();
        if (receiver != null) {
            throw new IllegalStateException("readBody twice");
        }
        receiver = r;
        loop.execute(this::pushBody);
    }

    private void pushBody() {
        if (paused || receiver == null || bodyOffset > body.length) {
            return;
        }
        if (bodyOffset == body.length) {
            bodyOffset++;
            receiver.end();
            return;
        }
        int n = Math.min(BODY_CHUNK, body.length - bodyOffset);
        ByteBuffer chunk = ByteBuffer.wrap(body, bodyOffset, n);
        bodyOffset += n;
        if (!receiver.data(chunk)) {
            paused = true;
            pauses++;
        } else {
            loop.execute(this::pushBody);
        }
    }

    @Override
    public void resumeBody() {
        check();
        if (paused) {
            paused = false;
            loop.execute(this::pushBody);
        }
    }

    @Override
    public void onAbort(Runnable action) {
        check();
        abort = action;
    }

    private void check() {
        if (!loop.inLoop()) {
            throw new IllegalStateException("exchange used off the loop thread: " + Thread.currentThread());
        }
    }
}
