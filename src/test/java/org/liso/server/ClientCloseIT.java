package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.liso.server.spi.Body;
import org.liso.server.spi.Response;

/**
 * A client that says {@code Connection: close} sends nothing after that request (RFC 9112 §9.6), so once its
 * response is out there is nothing to drain: the server closes at once, without waiting for the client's FIN, and
 * the connection's slot is free while the client still holds its end. Lingering stays for what may still send: a
 * client that pipelined bytes after its last request is not cut off by a reset.
 */
class ClientCloseIT {
    private static final String OK = "ok\n";

    private static TestServer server() throws Exception {
        return new TestServer(ServerConfig.DEFAULT, ex -> ex.respond(Response.of(200, "text/plain", Body.text(OK))));
    }

    @Test
    void aClientThatSaidCloseHoldsNoSlotOnceAnswered() throws Exception {
        try (TestServer t = server(); Socket s = new Socket("127.0.0.1", t.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readToEof(s.getInputStream())).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\n" + OK);
            // The client keeps its end open (no FIN): a lingering server would hold the connection for 2 s.
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
            int open = t.server.openConnections();
            while (open > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
                open = t.server.openConnections();
            }
            assertThat(open).as("connections still open while the client holds its end").isZero();
        }
    }

    @Test
    void anHttp10ClientWithoutKeepAliveIsClosedAtOnceToo() throws Exception {
        try (TestServer t = server(); Socket s = new Socket("127.0.0.1", t.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readToEof(s.getInputStream())).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\n" + OK);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
            while (t.server.openConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(t.server.openConnections()).isZero();
        }
    }

    @Test
    void bytesPipelinedAfterTheLastRequestStillGetALingeringClose() throws Exception {
        try (TestServer t = server(); Socket s = new Socket("127.0.0.1", t.port())) {
            s.setSoTimeout(10_000);
            // One write: the request that says close and, against §9.6, more after it. Closing with those bytes
            // unread would reset the connection, and the client could lose the response.
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                    + "GET /again HTTP/1.1\r\nHost: t\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String reply = readToEof(s.getInputStream());
            assertThat(reply).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\n" + OK);
            assertThat(reply.split("HTTP/1.1 ", -1)).as("one response").hasSize(2);
        }
    }

    /** Everything up to the server's FIN; a reset fails the test. */
    private static String readToEof(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) > 0; ) {
            got.write(buf, 0, n);
        }
        return got.toString(StandardCharsets.US_ASCII);
    }
}
