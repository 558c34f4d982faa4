package org.liso.cgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.RawClient;
import org.liso.testing.RawConnection;

/**
 * CGI exchanges whose exact bytes matter, through the real server with a raw client: HEAD gets a head and no body
 * (RFC 9110 §9.3.2) whatever the script writes, and the connection stays usable; {@code Expect: 100-continue} gets
 * {@code HTTP/1.1 100 Continue} before the client sends the body (RFC 9110 §10.1.1).
 */
class CgiRawIT {
    @TempDir
    static Path dir;
    static LisoServe server;

    @BeforeAll
    static void start() throws Exception {
        Path script = CgiScripts.install("cases.sh", dir);
        server = new LisoServe(dir, "--cgi", script.toString(), "--cgi-timeout", "5");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /**
     * After each HEAD the same connection is asked a GET: had the server sent the script's body after the HEAD's head,
     * the GET's response would not start with a status line and the read would fail.
     */
    @Test
    void headOnCgiPathsSendsTheHeadOnlyAndKeepsTheConnection() throws Exception {
        try (RawConnection c = RawConnection.open(server.port)) {
            for (String path : new String[] {"/cgi/env", "/cgi/nph", "/cgi/status", "/cgi/endless"}) {
                RawClient.Reply head = c.send("HEAD " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").readHead();
                assertThat(head.status()).as(path).isEqualTo(path.equals("/cgi/status") ? 418 : 200);
                assertThat(head.header("Connection")).as(path).isNull();
                RawClient.Reply get = c.send("GET /cgi/status HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertThat(get.status()).as("GET after HEAD %s", path).isEqualTo(418);
                assertThat(get.bodyText()).isEqualTo("short and stout\n");
            }
            RawClient.Reply nph = c.send("HEAD /cgi/nph HTTP/1.1\r\nHost: x\r\n\r\n").readHead();
            assertThat(nph.header("X-Nph")).isEqualTo("yes");
        }
        assertThat(server.awaitNoChildren()).as("scripts left running").isZero();
    }

    @Test
    void expectContinueGetsTheInterimResponseBeforeTheBodyIsSent() throws Exception {
        try (RawConnection c = RawConnection.open(server.port)) {
            c.send("POST /cgi/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n");
            RawClient.Reply interim = c.next(false);
            assertThat(interim.status()).isEqualTo(100);
            assertThat(interim.head()).startsWith("HTTP/1.1 100 Continue");
            RawClient.Reply done = c.send("hello world").read();
            assertThat(done.status()).isEqualTo(200);
            assertThat(done.bodyText()).isEqualTo("hello world");
            // Without the expectation no interim response comes: the next response read is the final one.
            c.send("POST /cgi/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok");
            RawClient.Reply plain = c.next(false);
            assertThat(plain.status()).isEqualTo(200);
            assertThat(plain.bodyText()).isEqualTo("ok");
        }
    }
}
