package org.liso.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.liso.http.HttpException;
import org.liso.http.Request;
import org.liso.http.RequestLimits;
import org.liso.http.RequestParser;
import org.liso.loop.EventLoop;
import org.liso.server.spi.Body;
import org.liso.server.spi.BodyReceiver;
import org.liso.server.spi.Exchange;
import org.liso.server.spi.Response;

/** An exchange for a request parsed by the real parser, that keeps the response the handler gives it. */
final class RecordingExchange implements Exchange {
    private final Request request;
    private Response response;
    private int responses;

    private RecordingExchange(Request request) {
        this.request = request;
    }

    /** {@code fields} are "Name: value" lines. */
    static RecordingExchange of(String method, String target, String... fields) {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: test\r\n");
        for (String f : fields) {
            head.append(f).append("\r\n");
        }
        head.append("\r\n");
        try {
            Request r = new RequestParser(RequestLimits.DEFAULT)
                    .parse(ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.ISO_8859_1)));
            if (r == null) {
                throw new IllegalStateException("incomplete head");
            }
            return new RecordingExchange(r);
        } catch (HttpException e) {
            throw new IllegalArgumentException("parser refused " + target + ": " + e.getMessage(), e);
        }
    }

    Response response() {
        if (responses != 1) {
            throw new IllegalStateException("respond() called " + responses + " times");
        }
        return response;
    }

    String header(String name) {
        return response().headers().get(name);
    }

    int status() {
        return response().status();
    }

    /** The body's bytes as the server would send them (reading a file region from its channel), then released. */
    byte[] body() {
        return bytesOf(response().body());
    }

    static byte[] bytesOf(Body body) {
        try {
            if (body instanceof Body.Bytes b) {
                ByteBuffer v = b.view();
                byte[] out = new byte[v.remaining()];
                v.get(out);
                return out;
            }
            if (body instanceof Body.FileRegion f) {
                ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(f.length()));
                long pos = f.position();
                while (buf.hasRemaining()) {
                    int n = f.file().read(buf, pos);
                    if (n < 0) {
                        throw new IOException("file shorter than its region");
                    }
                    pos += n;
                }
                return buf.array();
            }
            if (body.length() == 0) {
                return new byte[0];
            }
            throw new IllegalStateException("unexpected body " + body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            body.release();
        }
    }

    String bodyText() {
        return new String(body(), StandardCharsets.UTF_8);
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
        return false;
    }

    @Override
    public EventLoop loop() {
        throw new UnsupportedOperationException("a static file needs no loop");
    }

    @Override
    public void respond(Response r) {
        response = r;
        responses++;
    }

    @Override
    public void fail(HttpException e) {
        throw new AssertionError("the file handler throws its errors instead of calling fail()", e);
    }

    @Override
    public void readBody(BodyReceiver receiver) {
        throw new AssertionError("the file handler never reads a request body");
    }

    @Override
    public void resumeBody() {
        throw new AssertionError("the file handler never reads a request body");
    }

    @Override
    public void onAbort(Runnable action) {
        // nothing to abort: the handler answers synchronously
    }
}
