package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.liso.testing.RawClient;

/** The connection state machine over real loopback sockets with a test handler. */
class HttpConnectionIT {
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(ServerConfig.DEFAULT.withTimeouts(2000, 5000, 2000, 5000), new EchoHandler());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static RawClient.Exchange send(String request) throws Exception {
        return RawClient.send(server.port(), request.getBytes(StandardCharsets.ISO_8859_1), 700, false);
    }

    @Test
    void fivePipelinedRequestsAreAnsweredInOrderAndTheLastClosesTheConnection() throws Exception {
        StringBuilder req = new StringBuilder();
        String[] paths = {"/", "/later", "/stream?n=3", "/missing", "/"};
        for (int i = 0; i < paths.length; i++) {
            req.append("GET ").append(paths[i]).append(" HTTP/1.1\r\nHost: x\r\n");
            if (i == paths.length - 1) {
                req.append("Connection: close\r\n");
            }
            req.append("\r\n");
        }
        RawClient.Exchange ex = send(req.toString());
        List<RawClient.Reply> r = ex.replies();
        assertThat(r).extracting(RawClient.Reply::status).containsExactly(200, 200, 200, 404, 200);
        assertThat(r.get(0).bodyText()).isEqualTo("hello");
        assertThat(r.get(1).bodyText()).isEqualTo("later");
        assertThat(r.get(2).bodyText()).isEqualTo("chunk0\nchunk1\nchunk2\n");
        assertThat(r.get(2).header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(r.get(4).header("Connection")).isEqualTo("close");
        assertThat(ex.closed()).isTrue();
    }

    @Test
    void aHundredKilobyteMethodIs501NotA414AndNamesNoAllow() throws Exception {
        // RFC 9112 §3: a method longer than any implemented SHOULD be 501; it is seen after 33 octets.
        RawClient.Exchange ex = send("M".repeat(100 * 1024) + " / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(ex.replies()).extracting(RawClient.Reply::status).containsExactly(501);
        assertThat(ex.replies().get(0).header("Allow")).isNull();
        assertThat(ex.closed()).isTrue();
    }

    @Test
    void postBodiesAreFramedExactlyWithLengthAndChunked() throws Exception {
        RawClient.Exchange ex = send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                + "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
                + "POST /static HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nxyz"
                + "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(ex.replies()).extracting(RawClient.Reply::status).containsExactly(200, 200, 405, 200);
        assertThat(ex.replies().get(0).bodyText()).isEqualTo("hello");
        assertThat(ex.replies().get(2).header("Allow")).isEqualTo("GET, HEAD");
        assertThat(ex.closed()).isFalse();
    }

    @Test
    void serverLevelErrors() throws Exception {
        assertThat(send("PUT / HTTP/1.1\r\nHost: x\r\n\r\n").replies().get(0).status()).isEqualTo(501);
        assertThat(send("POST / HTTP/1.1\r\nHost: x\r\n\r\n").replies().get(0).status()).isEqualTo(411);
        RawClient.Exchange big = send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999999\r\n\r\n");
        assertThat(big.replies().get(0).status()).isEqualTo(413);
        assertThat(big.closed()).isTrue();
    }

    @Test
    void headGivesTheHeadOfGetWithoutBody() throws Exception {
        RawClient.Exchange ex = RawClient.send(server.port(),
                "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 500, true);
        assertThat(ex.replies()).hasSize(1);
        assertThat(ex.replies().get(0).header("Content-Length")).isEqualTo("5");
        assertThat(ex.raw()).hasSize(ex.replies().get(0).head().length() + 4);
    }

    @Test
    void http10ClosesUnlessKeepAliveAsked() throws Exception {
        RawClient.Exchange plain = send("GET / HTTP/1.0\r\n\r\n");
        assertThat(plain.closed()).isTrue();
        RawClient.Exchange ka = send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        assertThat(ka.closed()).isFalse();
        assertThat(ka.replies().get(0).header("Connection")).isEqualTo("keep-alive");
    }
}
