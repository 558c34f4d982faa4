package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.liso.Liso;
import org.liso.http.HttpException;
import org.liso.server.spi.Body;
import org.liso.server.spi.Handler;
import org.liso.server.spi.Response;
import org.liso.server.spi.StreamBody;
import org.liso.testing.RawClient;

/** The fields the server owns, as configured (Server value, Connection always), and passthrough responses. */
class ResponseFieldsIT {
    private static final String RAW = "HTTP/1.1 299 Mine\r\nServer: producer/7\nX-Framing: none\r\n\r\nas written";

    /** /bytes, /stream (chunked), /raw (passthrough, in two chunks), anything else 404. */
    private static final Handler HANDLER = exchange -> {
        String path = exchange.request().path();
        try {
            switch (path) {
                case "/bytes" -> exchange.respond(Response.of(200, "text/plain", Body.text("bytes\n")));
                case "/stream" -> {
                    StreamBody s = new StreamBody(exchange.loop(), 4);
                    s.offer(ascii("str"));
                    s.offer(ascii("eam\n"));
                    s.finish();
                    exchange.respond(Response.of(200, "text/plain", s));
                }
                case "/raw" -> {
                    StreamBody s = new StreamBody(exchange.loop(), 4);
                    s.offer(ascii(RAW.substring(0, 20)));
                    s.offer(ascii(RAW.substring(20)));
                    s.finish();
                    exchange.respond(Response.passthrough(299, s));
                }
                default -> throw new HttpException(404, "no " + path);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpException(500, "interrupted");
        }
    };

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String get(String path, String extra) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\n" + extra + "\r\n";
    }

    private static RawClient.Exchange send(TestServer s, String requests) throws Exception {
        return RawClient.send(s.port(), requests.getBytes(StandardCharsets.US_ASCII), 5000, false);
    }

    @Test
    void theConfiguredServerValueAndAConnectionFieldOnEveryResponse() throws Exception {
        ServerConfig lisod = ServerConfig.DEFAULT.withServerHeader("Liso/1.0").withConnectionAlways(true);
        try (TestServer s = new TestServer(lisod, HANDLER)) {
            List<RawClient.Reply> r = send(s, get("/bytes", "") + get("/stream", "") + get("/nope", "")
                    + get("/bytes", "Connection: close\r\n")).replies();
            assertThat(r).extracting(RawClient.Reply::status).containsExactly(200, 200, 404, 200);
            assertThat(r).extracting(x -> x.header("Connection"))
                    .containsExactly("keep-alive", "keep-alive", "keep-alive", "close");
            assertThat(r).allSatisfy(x -> assertThat(x.header("Server")).isEqualTo("Liso/1.0"));
            assertThat(r.get(1).bodyText()).isEqualTo("stream\n");
            RawClient.Reply malformed = send(s, "\u0001\r\n\r\n").replies().get(0);
            assertThat(malformed.status()).isEqualTo(400);
            assertThat(malformed.header("Connection")).isEqualTo("close");
            assertThat(malformed.header("Server")).isEqualTo("Liso/1.0");
        }
    }

    @Test
    void byDefaultPersistentHttp11ResponsesNeedNoConnectionField() throws Exception {
        try (TestServer s = new TestServer(ServerConfig.DEFAULT, HANDLER)) {
            List<RawClient.Reply> r = send(s, get("/bytes", "") + get("/bytes", "Connection: close\r\n")).replies();
            assertThat(r.get(0).header("Connection")).isNull();
            assertThat(r.get(1).header("Connection")).isEqualTo("close");
            assertThat(r).allSatisfy(x -> assertThat(x.header("Server")).isEqualTo(Liso.SERVER));
        }
    }

    @Test
    void anEmptyServerValueSendsNoServerField() throws Exception {
        try (TestServer s = new TestServer(ServerConfig.DEFAULT.withServerHeader(""), HANDLER)) {
            RawClient.Reply r = send(s, get("/bytes", "Connection: close\r\n")).replies().get(0);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.head()).doesNotContainIgnoringCase("server:");
        }
    }

    @Test
    void aPassthroughResponseGoesOutAsWrittenAndTheConnectionClosesAfterIt() throws Exception {
        ServerConfig lisod = ServerConfig.DEFAULT.withServerHeader("Liso/1.0").withConnectionAlways(true);
        try (TestServer s = new TestServer(lisod, HANDLER)) {
            // The request before it is answered as usual; the one after it is not answered at all.
            RawClient.Exchange ex = send(s, get("/bytes", "") + get("/raw", "") + get("/bytes", ""));
            String raw = new String(ex.raw(), StandardCharsets.ISO_8859_1);
            assertThat(raw).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nbytes\n" + RAW);
            assertThat(ex.closed()).isTrue();
        }
    }
}
