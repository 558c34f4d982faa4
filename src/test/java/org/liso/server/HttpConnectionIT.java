package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.liso.testing.RawClient;
import org.liso.testing.RawConnection;

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

    private static RawConnection connect() throws Exception {
        return RawConnection.open(server.port());
    }

    /** The connection is still usable: one more request on it is answered. */
    private static void stillServes(RawConnection c) throws Exception {
        c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(c.read().bodyText()).isEqualTo("hello");
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
        try (RawConnection c = connect()) {
            c.send(req.toString());
            List<RawClient.Reply> r = new ArrayList<>();
            for (int i = 0; i < paths.length; i++) {
                r.add(c.read());
            }
            assertThat(r).extracting(RawClient.Reply::status).containsExactly(200, 200, 200, 404, 200);
            assertThat(r.get(0).bodyText()).isEqualTo("hello");
            assertThat(r.get(1).bodyText()).isEqualTo("later");
            assertThat(r.get(2).bodyText()).isEqualTo("chunk0\nchunk1\nchunk2\n");
            assertThat(r.get(2).header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(r.get(4).header("Connection")).isEqualTo("close");
            c.awaitClose();
        }
    }

    @Test
    void aHundredKilobyteMethodIs501NotA414AndNamesNoAllow() throws Exception {
        // RFC 9112 §3: a method longer than any implemented SHOULD be 501; it is seen after 33 octets.
        try (RawConnection c = connect()) {
            c.send("M".repeat(100 * 1024) + " / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Reply reply = c.read();
            assertThat(reply.status()).isEqualTo(501);
            assertThat(reply.header("Allow")).isNull();
            c.awaitClose();
        }
    }

    @Test
    void postBodiesAreFramedExactlyWithLengthAndChunked() throws Exception {
        try (RawConnection c = connect()) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
                    + "POST /static HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nxyz"
                    + "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            List<RawClient.Reply> r = List.of(c.read(), c.read(), c.read(), c.read());
            assertThat(r).extracting(RawClient.Reply::status).containsExactly(200, 200, 405, 200);
            assertThat(r.get(0).bodyText()).isEqualTo("hello");
            assertThat(r.get(1).bodyText()).isEqualTo("abcde");
            assertThat(r.get(2).header("Allow")).isEqualTo("GET, HEAD");
            stillServes(c);
        }
    }

    @Test
    void serverLevelErrors() throws Exception {
        try (RawConnection c = connect()) {
            assertThat(c.send("PUT / HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(501);
        }
        try (RawConnection c = connect()) {
            assertThat(c.send("POST / HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(411);
        }
        try (RawConnection c = connect()) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999999\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(413);
            c.awaitClose();
        }
    }

    @Test
    void headGivesTheHeadOfGetWithoutBody() throws Exception {
        try (RawConnection c = connect()) {
            // The GET behind the HEAD must start right after the HEAD's head: a body sent after it would be read as
            // the second status line and fail the read.
            c.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Reply head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo("5");
            RawClient.Reply get = c.read();
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.bodyText()).isEqualTo("hello");
        }
    }

    @Test
    void http10ClosesUnlessKeepAliveAsked() throws Exception {
        try (RawConnection c = connect()) {
            assertThat(c.send("GET / HTTP/1.0\r\n\r\n").read().status()).isEqualTo(200);
            c.awaitClose();
        }
        try (RawConnection c = connect()) {
            RawClient.Reply ka = c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertThat(ka.header("Connection")).isEqualTo("keep-alive");
            stillServes(c);
        }
    }

    /** RFC 9110 §10.1.1: the interim response comes before the client sends its body; none when nobody reads it. */
    @Test
    void expectContinueIsAnsweredBeforeTheBodyAndOnlyWhenTheBodyIsWanted() throws Exception {
        try (RawConnection c = connect()) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            RawClient.Reply interim = c.next(false);
            assertThat(interim.head()).isEqualTo("HTTP/1.1 100 Continue");
            RawClient.Reply echo = c.send("hello").next(false);
            assertThat(echo.status()).isEqualTo(200);
            assertThat(echo.bodyText()).isEqualTo("hello");
            stillServes(c);
        }
        try (RawConnection c = connect()) {
            c.send("POST /static HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
            assertThat(c.next(false).status()).as("the final answer, no 100 first").isEqualTo(405);
            c.send("xyz"); // the client sends its body after all (RFC 9110 §10.1.1): skipped, the connection goes on
            stillServes(c);
        }
    }
}
