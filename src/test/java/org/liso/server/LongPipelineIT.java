package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;
import org.liso.transport.tls.KeyMaterial;

/**
 * One connection pipelines a thousand GETs and gets a thousand answers, in order and byte-exact. The connection's
 * work per readiness event is bounded; when the bound is reached with requests still buffered, nothing but the
 * connection itself can start the next round (the client has sent everything, so no readiness will come).
 */
class LongPipelineIT {
    private static final int REQUESTS = 1000;
    private static final long DEADLINE_MILLIS = 90_000;
    private static final byte[] HEAD_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path dir;

    private static LisoProcess liso;
    private static byte[] small;
    private static byte[] large;

    @BeforeAll
    static void start() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        small = new byte[20 * 1024];
        large = new byte[100 * 1024];
        new Random(1).nextBytes(small);
        new Random(2).nextBytes(large);
        Files.write(root.resolve("small.bin"), small);
        Files.write(root.resolve("large.bin"), large);
        KeyMaterial.selfSigned().writePem(dir);
        // A short header timeout makes a stalled pipeline fail fast: the stall ends in a 408, not in our deadline.
        liso = LisoProcess.start(2, "serve", "--root", root.toString(), "--http", "127.0.0.1:0", "--https",
                "127.0.0.1:0", "--key", dir.resolve("key.pem").toString(), "--cert",
                dir.resolve("cert.pem").toString(), "--header-timeout", "4", "-q");
    }

    @AfterAll
    static void stop() throws Exception {
        liso.close();
    }

    @Test
    void aThousandPipelinedGetsAreAllAnsweredInOrder() throws Exception {
        try (Socket s = new Socket("127.0.0.1", liso.port(0))) {
            pipeline(s);
        }
    }

    @Test
    void aThousandPipelinedGetsOverTlsAreAllAnsweredInOrder() throws Exception {
        try (Socket raw = new Socket("127.0.0.1", liso.port(1));
                SSLSocket s = (SSLSocket) HttpsIT.trusting(dir.resolve("cert.pem")).getSocketFactory()
                        .createSocket(raw, "localhost", liso.port(1), true)) {
            s.startHandshake();
            pipeline(s);
        }
    }

    private static void pipeline(Socket s) throws Exception {
        s.setSoTimeout(30_000);
        boolean[] isLarge = new boolean[REQUESTS];
        Random pick = new Random(3);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < REQUESTS; i++) {
            isLarge[i] = pick.nextBoolean();
            all.writeBytes(("GET /" + (isLarge[i] ? "large" : "small") + ".bin HTTP/1.1\r\nHost: x\r\n"
                    + (i == REQUESTS - 1 ? "Connection: close\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        OutputStream out = s.getOutputStream();
        // Written from another thread: the server stops reading while its output is queued, so a writer that waited
        // for all its bytes to go before reading would deadlock with it.
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                out.write(all.toByteArray());
                out.flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // Read as fast as the server sends, parse afterwards: a client that keeps up lets every flush empty the
        // server's queue, which is when a connection that gave up its turn had nobody left to wake it.
        byte[] raw = readUntilEof(s.getInputStream());
        int at = 0;
        for (int i = 0; i < REQUESTS; i++) {
            int end = indexOf(raw, HEAD_END, at);
            String head = end < 0 ? "(no complete head; " + (raw.length - at) + " bytes left)"
                    : new String(raw, at, end + 4 - at, StandardCharsets.US_ASCII);
            assertThat(head).as("response %d of %d", i + 1, REQUESTS).startsWith("HTTP/1.1 200 ");
            byte[] want = isLarge[i] ? large : small;
            assertThat(contentLength(head)).as("Content-Length of response %d", i + 1).isEqualTo(want.length);
            at = end + 4;
            assertThat(raw.length - at).as("bytes left for body %d", i + 1).isGreaterThanOrEqualTo(want.length);
            assertThat(Arrays.equals(raw, at, at + want.length, want, 0, want.length))
                    .as("body of response %d is byte-exact", i + 1).isTrue();
            at += want.length;
        }
        assertThat(raw.length - at).as("bytes after the last response").isZero();
        writer.get(10, TimeUnit.SECONDS);
    }

    private static byte[] readUntilEof(InputStream in) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MILLIS);
        byte[] buf = new byte[REQUESTS * 64 * 1024];
        int n = 0;
        for (int r; (r = in.read(buf, n, Math.min(buf.length - n, 1 << 20))) > 0; n += r) {
            assertThat(System.nanoTime()).as("deadline, after %d bytes", n).isLessThan(deadline);
            if (n + r == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
        }
        return Arrays.copyOf(buf, n);
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                return Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        return -1;
    }
}
