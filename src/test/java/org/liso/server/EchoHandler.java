package org.liso.server;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.liso.http.HttpException;
import org.liso.http.Method;
import org.liso.server.spi.Body;
import org.liso.server.spi.BodyReceiver;
import org.liso.server.spi.Exchange;
import org.liso.server.spi.Handler;
import org.liso.server.spi.Response;
import org.liso.server.spi.StreamBody;

/**
 * A handler for connection tests: {@code /} answers "hello", POST echoes the body, {@code /later} answers from a
 * timer, {@code /stream?n=K} streams K chunks from another thread, {@code /missing} is 404, {@code /static} rejects
 * POST with 405 like a file does.
 */
final class EchoHandler implements Handler {
    @Override
    public void handle(Exchange ex) throws HttpException {
        String path = ex.request().path();
        if (path.equals("/missing")) {
            throw new HttpException(404, "no such thing");
        }
        if (ex.request().method() == Method.POST && !path.equals("/static")) {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            ex.readBody(new BodyReceiver() {
                @Override
                public boolean data(ByteBuffer chunk) {
                    byte[] b = new byte[chunk.remaining()];
                    chunk.get(b);
                    got.write(b, 0, b.length);
                    return true;
                }

                @Override
                public void end() {
                    ex.respond(Response.of(200, "application/octet-stream",
                            Body.bytes(ByteBuffer.wrap(got.toByteArray()))));
                }
            });
            return;
        }
        if (ex.request().method() == Method.POST) {
            throw new HttpException(405, "static");
        }
        if (path.equals("/later")) {
            ex.loop().timer(() -> ex.respond(Response.of(200, "text/plain", Body.text("later")))).schedule(50);
            return;
        }
        if (path.equals("/stream")) {
            int n = Integer.parseInt(ex.request().query().substring(2));
            StreamBody s = new StreamBody(ex.loop(), 4);
            ex.respond(Response.of(200, "text/plain", s));
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; i < n; i++) {
                        if (!s.offer(ByteBuffer.wrap(("chunk" + i + "\n").getBytes(StandardCharsets.US_ASCII)))) {
                            return;
                        }
                    }
                    s.finish();
                } catch (InterruptedException e) {
                    s.fail();
                }
            });
            t.start();
            return;
        }
        ex.respond(Response.of(200, "text/plain", Body.text("hello")));
    }
}
