package org.liso.server;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.liso.Log;
import org.liso.http.Headers;
import org.liso.http.HttpException;
import org.liso.http.Method;
import org.liso.http.Request;
import org.liso.http.ResponseHead;
import org.liso.http2.ErrorCode;
import org.liso.server.spi.Body;
import org.liso.server.spi.BodyReceiver;
import org.liso.server.spi.Response;
import org.liso.server.spi.StreamBody;

/**
 * One HTTP/2 stream's request and answer (RFC 9113 §8.1) under the protocol-neutral {@link ExchangeCore}: the same
 * handlers see the same {@link org.liso.server.spi.Exchange} as on HTTP/1.1. Request DATA goes to the handler's
 * receiver ({@link Http2RequestBody}, where a pause withholds WINDOW_UPDATE credit: §5.2). The answer is
 * a HEADERS frame and DATA frames that the connection's scheduler asks for one at a time, so streams share the
 * connection fairly; file bodies go out as file regions behind each DATA frame header, never copied whole.
 *
 * <pre>
 *   WAITING --answer--> HEAD (queued for the scheduler) --HEADERS sent--> BODY --last DATA, END_STREAM--> DONE
 *      |                    \--HEAD / 204 / 304 / empty body: HEADERS with END_STREAM---------------------^
 *      \--reset by either side, or the connection goes----------------------------------------> DONE (aborted)
 * </pre>
 */
final class Http2Exchange extends ExchangeCore {

    /** The answer's progress. */
    enum Sending { WAITING, HEAD, BODY, DONE }

    /** What one call of {@link #sendFrame} achieved, for the scheduler. */
    enum Step { MORE, IDLE, DONE }

    final int streamId;
    private final Http2Connection connection;
    private Sending sending = Sending.WAITING;
    /** The handler's answer, held until the scheduler sends its head. */
    private Response response;
    private int status;
    private Body body;
    private ByteBuffer bytes;
    private FileChannel file;
    private long filePosition;
    private long fileRemaining;
    private StreamBody stream;
    private ByteBuffer chunk;
    private long declaredRemaining = -1;
    private final OutputQueue.Sent sent = new OutputQueue.Sent();
    /** True while the scheduler holds this exchange in its round (at most once). */
    boolean scheduled;

    private final Http2RequestBody requestBody;
    /** Loop time of the last request DATA, or of the head: the body and response deadlines count from it. */
    long lastInput;

    /** Stands for a request whose head was refused before it became a request (malformed, or too large). */
    private static final Request UNPARSED = placeholder();

    Http2Exchange(Http2Connection connection, ServerConfig config, Request request, int streamId, boolean ended,
            long now) {
        super(config, request, connection.facts());
        this.connection = connection;
        this.streamId = streamId;
        this.requestBody = new Http2RequestBody(this, connection, config.maxBodyBytes(), ended);
        this.lastInput = now;
    }

    /** An exchange for a stream whose head was refused before it parsed: answered by the server alone. */
    static Http2Exchange unparsed(Http2Connection connection, ServerConfig config, int streamId, boolean ended,
            long now) {
        return new Http2Exchange(connection, config, UNPARSED, streamId, ended, now);
    }

    private static Request placeholder() {
        try {
            return Request.of("GET", "/", org.liso.http.Version.HTTP_2, new org.liso.http.Headers(),
                    org.liso.http.BodyKind.LENGTH, 0);
        } catch (HttpException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    @Override
    boolean unparsed() {
        return request == UNPARSED;
    }

    // ---- Exchange, as handlers see it ----

    @Override
    void answer(Response r) {
        if (r.passthrough()) {
            // An NPH script writes an HTTP/1.x message; HTTP/2 has no way to carry its bytes as they are.
            r.body().release();
            Log.warn(LOG, "a passthrough (NPH) response cannot be sent over HTTP/2, answered 502", "target",
                    request.target());
            r = fields().error(request, 502, null);
        }
        response = r;
        sending = Sending.HEAD;
        connection.schedule(this);
        connection.wake();
    }

    @Override
    void framingLost() {
        requestBody.framingLost(); // a stream's framing is its own: only this request's body is dropped
    }

    @Override
    void brokenAfterAnswer() {
        connection.resetStream(this, ErrorCode.INTERNAL_ERROR);
    }

    @Override
    public void readBody(BodyReceiver r) {
        requestBody.read(r);
        connection.wake();
    }

    @Override
    public void resumeBody() {
        if (!finished() && requestBody.resume()) {
            connection.wake();
        }
    }

    @Override
    void handlerReturned() {
        requestBody.handlerReturned();
    }

    // ---- request body, from the connection ----

    /** DATA for this stream; {@code data} is valid during the call only. */
    void data(ByteBuffer data, boolean end, long now) {
        lastInput = now;
        requestBody.data(data, end);
    }

    /** A body of unknown length grew beyond --max-body: 413 if nothing was answered, else the stream is reset. */
    void bodyTooLarge() {
        if (!responded()) {
            abandonHandler();
            fail(new HttpException(413, "request body larger than " + config.maxBodyBytes() + " bytes"));
        } else if (sending != Sending.DONE) {
            connection.resetStream(this, ErrorCode.CANCEL);
        }
    }

    /** True while the handler waits for request DATA that has not come (the body deadline runs). */
    boolean awaitingBody() {
        return requestBody.awaited();
    }

    boolean requestEnded() {
        return requestBody.ended();
    }

    boolean answered() {
        return sending != Sending.WAITING;
    }

    // ---- the answer, driven by the connection's scheduler ----

    /**
     * Sends the head, or one DATA frame of the body, as far as the windows allow.
     *
     * @return MORE when more can go now, IDLE when it waits (for a window, a stream chunk), DONE at END_STREAM
     */
    Step sendFrame(Http2Wire wire) {
        if (sending == Sending.HEAD) {
            sendHead(wire);
            return sending == Sending.DONE ? Step.DONE : Step.MORE;
        }
        if (sending != Sending.BODY) {
            return sending == Sending.DONE ? Step.DONE : Step.IDLE;
        }
        long window = wire.window(streamId);
        if (window <= 0) {
            return Step.IDLE;
        }
        int max = (int) Math.min(window, wire.maxFramePayload());
        if (bytes != null) {
            int n = Math.min(max, bytes.remaining());
            ByteBuffer slice = bytes.slice(bytes.position(), n);
            bytes.position(bytes.position() + n);
            boolean last = !bytes.hasRemaining();
            wire.data(streamId, slice, last, sent);
            return sent(last);
        }
        if (file != null) {
            int n = (int) Math.min(max, fileRemaining);
            boolean last = n == fileRemaining;
            wire.fileData(streamId, file, filePosition, n, last, sent);
            filePosition += n;
            fileRemaining -= n;
            return sent(last);
        }
        return sendStream(wire, max);
    }

    /** After one DATA frame: the body ends with it, or more may go now. */
    private Step sent(boolean last) {
        if (last) {
            done();
            return Step.DONE;
        }
        return Step.MORE;
    }

    private void sendHead(Http2Wire wire) {
        Response r = response;
        response = null;
        Headers h = r.headers();
        String declared = connection.fields().apply(h);
        status = r.status();
        body = r.body();
        boolean head = request.method() == Method.HEAD;
        boolean noBody = status == 204 || status == 304;
        try {
            ResponseHead.check(status, h); // what HTTP/1.1 refuses, HTTP/2 refuses too (RFC 9113 §8.2.1)
        } catch (IllegalArgumentException rejected) {
            Log.error(LOG, "handler produced an invalid response head, answered 500", "target", request.target(),
                    "error", rejected.getMessage());
            body.release();
            cause(ErrorCause.INVALID_RESPONSE);
            Response e = ErrorPages.of(500, null);
            h = e.headers();
            connection.fields().apply(h);
            status = 500;
            body = e.body();
        }
        if (noBody || head) {
            if (!noBody && body.length() >= 0) {
                h.add("content-length", Long.toString(body.length()));
            }
            body.release();
            wire.headers(streamId, status, h, true);
            done();
            return;
        }
        if (body instanceof StreamBody s) {
            declaredRemaining = ServerFields.parseLength(declared);
            if (declaredRemaining >= 0) {
                h.add("content-length", Long.toString(declaredRemaining));
            }
            stream = s;
        } else {
            h.add("content-length", Long.toString(body.length()));
            if (body instanceof Body.Bytes b) {
                bytes = b.view();
            } else if (body instanceof Body.FileRegion f) {
                file = f.file();
                filePosition = f.position();
                fileRemaining = f.length();
            }
        }
        boolean empty = body.length() == 0;
        wire.headers(streamId, status, h, empty);
        if (empty) {
            body.release();
            done();
            return;
        }
        sending = Sending.BODY;
        if (stream != null) {
            stream.listen(() -> connection.streamReady(this));
        }
    }

    /** One DATA frame from a producer's chunks; its declared Content-Length is held to as on HTTP/1.1. */
    private Step sendStream(Http2Wire wire, int max) {
        if (chunk == null || !chunk.hasRemaining()) {
            chunk = stream.poll();
            while (chunk != null && !chunk.hasRemaining()) {
                chunk = stream.poll();
            }
        }
        if (chunk == null) {
            if (!stream.done()) {
                return Step.IDLE;
            }
            if (stream.failed() || declaredRemaining > 0) {
                broken("the producer ended early");
                return Step.DONE;
            }
            wire.data(streamId, ByteBuffer.allocate(0), true, sent);
            done();
            return Step.DONE;
        }
        int n = Math.min(max, chunk.remaining());
        if (declaredRemaining >= 0 && n > declaredRemaining) {
            n = (int) declaredRemaining;
            if (n == 0) {
                broken("the producer wrote more than its Content-Length");
                return Step.DONE;
            }
        }
        ByteBuffer slice = chunk.slice(chunk.position(), n);
        chunk.position(chunk.position() + n);
        if (declaredRemaining >= 0) {
            declaredRemaining -= n;
        }
        boolean last = declaredRemaining == 0 && !chunk.hasRemaining() && stream.done();
        wire.data(streamId, slice, last, sent);
        if (last) {
            done();
            return Step.DONE;
        }
        return Step.MORE;
    }

    /** A body that cannot be completed as framed ends its stream with RST_STREAM, not the connection (§8.1.1). */
    private void broken(String why) {
        Log.warn(LOG, "response body cut short, stream reset", "target", request.target(), "why", why);
        connection.resetStream(this, ErrorCode.INTERNAL_ERROR);
    }

    private void done() {
        sending = Sending.DONE;
        release();
        connection.completed(this);
    }

    @Override
    int status() {
        return status;
    }

    @Override
    long bodyBytesSent() {
        return sent.bytes();
    }

    /** Waiting for a window, a chunk, or the scheduler: the body is not finished. */
    boolean sending() {
        return sending == Sending.HEAD || sending == Sending.BODY;
    }

    /** The stream ended early (reset by either side, or the connection went): release everything. */
    void abort() {
        if (finished()) {
            return;
        }
        if (response != null) {
            response.body().release();
            response = null;
        }
        requestBody.discard();
        release();
        sending = Sending.DONE;
        end(true);
    }

    private void release() {
        Body b = body;
        body = null;
        if (b instanceof Body.FileRegion) {
            connection.afterQueued(b::release); // DATA frames already queued read from the file: close it after them
        } else if (b != null) {
            b.release();
        }
        bytes = null;
        file = null;
        chunk = null;
    }

    @Override
    ServerFields fields() {
        return connection.fields();
    }
}
