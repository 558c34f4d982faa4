package org.liso.cgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;

/**
 * {@code liso serve --compress-cgi} with a real script ending in every way a script can end (gzip_endings.py): the
 * gzip member the client gets is always whole, its last deflate block, CRC-32 and ISIZE included (RFC 1952 §2.3),
 * and its body framing complete (the terminating chunk, RFC 9112 §7.1; END_STREAM, RFC 9113 §8.1).
 */
class CgiGzipEndingsIT {
    /** Announced listeners: plain HTTP (with h2c), HTTPS, admin. */
    private static final int HTTP = 0;
    private static final int ADMIN = 2;

    @TempDir
    static Path dir;
    static LisoProcess liso;
    /** The script's body.txt: base64 of random octets, text that gzip shrinks only to about 3/4. */
    static byte[] body;

    @BeforeAll
    static void serve() throws Exception {
        Random random = new Random(1952);
        byte[] octets = new byte[750_000];
        random.nextBytes(octets);
        body = Base64.getMimeEncoder().encode(octets);
        Files.write(dir.resolve("body.txt"), body);
        Path script = CgiScripts.install("gzip_endings.py", dir);
        Path root = Files.createDirectories(dir.resolve("www"));
        liso = LisoProcess.start(3, "serve", "--loops", "1", "--root", root.toString(), "--http", "127.0.0.1:0",
                "--https", "127.0.0.1:0", "--h2c", "--admin", "127.0.0.1:0", "--cgi", script.toString(),
                "--compress-cgi", "--cgi-timeout", "2s", "-q");
    }

    @AfterAll
    static void stop() throws Exception {
        if (liso != null) {
            liso.close();
        }
    }

    /**
     * The end of the member is a chunk of its own, made once stdout ended. Here the client's stream window is 0, so
     * the server's queue towards it fills (8 chunks, one per pipe read) just as the script's output ends: the gzip
     * trailer then met a full queue. It was held for the queue's room and the paused reader of a pipe already closed
     * (a cancelled key) failed, so the body never ended: no END_STREAM, the client waited for the response timeout.
     */
    @Test
    void theMemberEndsWhenTheQueueIsFullAsTheScriptEnds() throws Exception {
        int n = 8 * 2000;
        try (H2WindowClient c = H2WindowClient.get(liso.port(HTTP), "/cgi/?drained-" + n)) {
            assertThat(c.awaitHeaders(deadline(10))).as("response HEADERS, %s", c.failure()).isTrue();
            awaitNoScriptRunning();
            c.openWindow();
            assertThat(c.awaitEnd(deadline(10))).as("END_STREAM (%s), %d octets", c.failure(), c.data().length)
                    .isTrue();
            assertThat(gunzip(c.data())).isEqualTo(prefix(n));
        }
    }

    /** Polls the admin metrics until no script runs: stdout's end and the exit have been seen by the server. */
    static void awaitNoScriptRunning() throws Exception {
        long deadline = deadline(15);
        String m;
        do {
            m = metrics();
            if (m.contains("\nliso_cgi_running 0\n")) {
                return;
            }
            Thread.sleep(20); // a poll interval, inside the deadline
        } while (System.nanoTime() < deadline);
        assertThat(m).contains("\nliso_cgi_running 0\n");
    }

    static String metrics() throws IOException {
        try (Socket s = new Socket("127.0.0.1", liso.port(ADMIN))) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** GZIPInputStream fails on a member without its last block or trailer (an EOFException), as python3's does. */
    static byte[] gunzip(byte[] member) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(member))) {
            return in.readAllBytes();
        }
    }

    static byte[] prefix(int n) {
        return java.util.Arrays.copyOf(body, n);
    }

    static long deadline(int seconds) {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    }
}
