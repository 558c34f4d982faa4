package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;
import org.liso.testing.RawClient;

/**
 * --body-timeout is the longest pause while a body arrives (its help text), not a deadline for the whole body: a
 * body that keeps coming, each pause well inside the timeout, must be received in full however long it takes; a
 * pause longer than the timeout ends in 408. (Before the fix, bytes received did not count as progress, so any
 * body taking longer than the timeout in total got a 408.)
 */
class BodyTimeoutIT {
    @TempDir
    Path root;

    @Test
    void aSteadyBodyLongerThanTheTimeoutIsReceivedAndAPauseIsNot() throws Exception {
        Files.writeString(root.resolve("index.html"), "body\n");
        try (LisoProcess liso = LisoProcess.start(1, "serve", "--root", root.toString(), "--http", "127.0.0.1:0",
                "--body-timeout", "1.5", "-q")) {
            // 12 bytes, one every 250 ms: 3 s in all, twice the timeout, never a pause near it.
            assertThat(post(liso.port(0), 12, 250)).startsWith("HTTP/1.1 405 ");
            // A pause after the first byte that never ends: the server's answer comes on its own, from the timeout.
            assertThat(post(liso.port(0), 2, -1)).startsWith("HTTP/1.1 408 ");
        }
    }

    /**
     * POSTs a body of {@code length} bytes, one byte every {@code pauseMillis} (the client's own pace, the behaviour
     * under test), or with {@code pauseMillis} -1 only the first byte; returns what the server sent.
     */
    private static String post(int port, int length, long pauseMillis) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            for (int i = 0; i < length; i++) {
                out.write('x');
                out.flush();
                if (pauseMillis < 0) {
                    break;
                }
                Thread.sleep(pauseMillis);
                if (in.available() > 0) {
                    break; // the server answered early (408)
                }
            }
            s.setSoTimeout(10_000);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            while (RawClient.complete(got.toByteArray(), false) < 1) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                got.write(buf, 0, n);
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
