package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.liso.Log;
import org.liso.http.Headers;
import org.liso.server.spi.Body;
import org.liso.server.spi.Exchange;
import org.liso.server.spi.Handler;
import org.liso.server.spi.Response;
import org.liso.server.spi.StreamBody;
import org.liso.testing.RawClient;

/**
 * A handler that answers badly or not at all still leaves every connection with an answer or a deadline: a head the
 * encoder refuses becomes a 500, a handler that stays silent (or a stream that stops) is held to the response
 * timeout.
 */
class HandlerFaultsIT {
    private static final long RESPONSE_TIMEOUT = 400;
    /** Bounds every exchange: far above the response timeout, far below "hangs forever". */
    private static final int CLIENT_TIMEOUT = 10_000;

    private static TestServer server;
    private static final List<String> log = new CopyOnWriteArrayList<>();
    private static Log.Sink previous;

    /**
     * {@code /bad-head} and {@code /bad-stream} answer with a field value the encoder refuses (CR LF, BEL);
     * {@code /silent} never answers; {@code /stall} streams one chunk and then nothing.
     */
    private static final class FaultyHandler implements Handler {
        @Override
        public void handle(Exchange ex) {
            switch (ex.request().path()) {
                case "/bad-head" -> {
                    Headers h = new Headers();
                    h.add("Content-Type", "text/plain");
                    h.add("X-Note", "split\r\nSet-Cookie: injected=1");
                    ex.respond(new Response(200, h, Body.text("never sent")));
                }
                case "/bad-stream" -> {
                    Headers h = new Headers();
                    h.add("X-Note", "bell\u0007");
                    StreamBody s = new StreamBody(ex.loop(), 4);
                    ex.respond(new Response(200, h, s));
                }
                case "/silent" -> {
                    // no answer, ever
                }
                case "/stall" -> {
                    StreamBody s = new StreamBody(ex.loop(), 4);
                    ex.respond(Response.of(200, "text/plain", s));
                    try {
                        s.offer(ByteBuffer.wrap("first\n".getBytes(StandardCharsets.US_ASCII)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                default -> ex.respond(Response.of(200, "text/plain", Body.text("fine")));
            }
        }
    }

    @BeforeAll
    static void start() throws Exception {
        previous = Log.sink();
        Log.setSink(log::add);
        server = new TestServer(ServerConfig.DEFAULT.withResponseTimeout(RESPONSE_TIMEOUT), new FaultyHandler());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        Log.setSink(previous);
    }

    private static RawClient.Exchange send(String request) throws Exception {
        return RawClient.send(server.port(), request.getBytes(StandardCharsets.ISO_8859_1), CLIENT_TIMEOUT, false);
    }

    @Test
    void aHeadTheEncoderRefusesIsAnswered500AndCloses() throws Exception {
        long before = log.stream().filter(l -> l.contains("invalid response head")).count();
        RawClient.Exchange ex = send("GET /bad-head HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(ex.replies()).extracting(RawClient.Reply::status).containsExactly(500);
        assertThat(ex.replies().get(0).header("Connection")).isEqualTo("close");
        assertThat(new String(ex.raw(), StandardCharsets.ISO_8859_1)).doesNotContain("injected")
                .doesNotContain("never sent");
        assertThat(ex.closed()).as("closed after the 500, within the client's timeout").isTrue();
        assertThat(log.stream().filter(l -> l.contains("invalid response head")).count() - before)
                .as("log lines naming the cause").isEqualTo(1);
        assertServes();
    }

    @Test
    void aStreamedAnswerWithARefusedHeadIsAnswered500AndCloses() throws Exception {
        RawClient.Exchange ex = send("GET /bad-stream HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(ex.replies()).extracting(RawClient.Reply::status).containsExactly(500);
        assertThat(ex.closed()).isTrue();
        assertServes();
    }

    @Test
    void aHandlerThatNeverAnswersIsHeldToTheResponseTimeout() throws Exception {
        long start = System.nanoTime();
        RawClient.Exchange ex = send("GET /silent HTTP/1.1\r\nHost: x\r\n\r\n");
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(ex.replies()).extracting(RawClient.Reply::status).containsExactly(500);
        assertThat(ex.replies().get(0).header("Connection")).isEqualTo("close");
        assertThat(ex.closed()).isTrue();
        assertThat(tookMillis).as("answered after the response timeout").isGreaterThanOrEqualTo(RESPONSE_TIMEOUT);
        assertServes();
    }

    @Test
    void aStreamThatStopsIsClosedAfterTheResponseTimeout() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(CLIENT_TIMEOUT);
            s.getOutputStream().write("GET /stall HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            // readAllBytes returns at EOF; a connection left waiting would throw SocketTimeoutException instead.
            String raw = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(raw).startsWith("HTTP/1.1 200").contains("first\n").doesNotContain("\r\n0\r\n\r\n");
        }
        assertServes();
    }

    /**
     * Over HTTP/2 a head HTTP/1.1 would refuse is refused too (RFC 9113 §8.2.1 forbids NUL, CR and LF in values),
     * though HPACK could carry it: the client gets a 500, not a stream its own decoder rejects as malformed.
     */
    @Test
    void overHttp2ARefusedHeadIsAnswered500() throws Exception {
        try (TestServer h2 = new TestServer(ServerConfig.DEFAULT.withResponseTimeout(RESPONSE_TIMEOUT),
                new FaultyHandler())) {
            h2.onLoop(() -> {
                h2.server.http2(new Http2Options(false, true, org.liso.http2.SessionLimits.DEFAULTS));
                return null;
            });
            for (String path : new String[] {"/bad-head", "/bad-stream"}) {
                Process curl = new ProcessBuilder("curl", "-s", "--http2-prior-knowledge", "-m", "10", "-o",
                        "/dev/null", "-w", "%{http_version} %{http_code}",
                        "http://127.0.0.1:" + h2.port() + path).redirectErrorStream(true).start();
                String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(curl.waitFor()).as(path + ": curl's exit status, output " + out).isZero();
                assertThat(out).as(path).isEqualTo("2 500");
            }
        }
    }

    private static void assertServes() throws Exception {
        RawClient.Exchange ok = send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(ok.replies()).extracting(RawClient.Reply::status).containsExactly(200);
        assertThat(ok.replies().get(0).bodyText()).isEqualTo("fine");
    }
}
