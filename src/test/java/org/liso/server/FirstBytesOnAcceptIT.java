package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.liso.loop.LagHistogram;
import org.liso.server.spi.Body;
import org.liso.server.spi.Response;

/**
 * A connection whose request came with it (the usual case under load: the client writes right behind the handshake,
 * before the loop gets to accept) is read when it is accepted, not after another select: the loop is handed one
 * readiness, the listener's, and the connection is served and closed before its key ever reaches epoll. Before,
 * every connection cost a second readiness (its OP_READ) and the epoll_ctl ADD and DEL around it.
 *
 * <p>The loop is held by a task while the client connects and writes, and the test waits (with a deadline) until the
 * kernel shows the request queued on the server's side of the connection (/proc/net/tcp rx_queue), so the bytes are
 * there at accept whatever the scheduler does.
 */
class FirstBytesOnAcceptIT {
    private static final String OK = "ok\n";

    @Test
    void aRequestThatCameWithTheConnectionIsServedWithoutAReadinessOfItsOwn() throws Exception {
        try (TestServer t = new TestServer(ServerConfig.DEFAULT,
                ex -> ex.respond(Response.of(200, "text/plain", Body.text(OK))))) {
            long before = t.onLoop(() -> readinessCount(t));
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            t.loop.execute(() -> {
                holding.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
            String reply;
            try (Socket s = new Socket("127.0.0.1", t.port())) {
                s.setSoTimeout(10_000);
                try {
                    s.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    awaitQueuedOnServerSide(t.port(), s.getLocalPort());
                } finally {
                    release.countDown();
                }
                reply = readToEof(s.getInputStream());
            }
            assertThat(reply).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\n" + OK);
            long handed = t.onLoop(() -> readinessCount(t)) - before;
            assertThat(handed).as("readiness events the loop was handed (the listener's only)").isEqualTo(1);
        }
    }

    /** Readiness events the loop has dispatched so far: each one is counted once in its lag histogram. */
    private static long readinessCount(TestServer t) {
        long[] counts = new long[LagHistogram.BUCKETS];
        t.loop.lag().copyInto(counts);
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    /** Waits until the server's end of the connection from {@code clientPort} has unread bytes (rx_queue > 0). */
    private static void awaitQueuedOnServerSide(int serverPort, int clientPort) throws Exception {
        String local = String.format(Locale.ROOT, ":%04X", serverPort);
        String remote = String.format(Locale.ROOT, ":%04X", clientPort);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/tcp"));
            for (String line : lines) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 4 && f[1].endsWith(local) && f[2].endsWith(remote)) {
                    String rx = f[4].substring(f[4].indexOf(':') + 1);
                    if (Long.parseLong(rx, 16) > 0) {
                        return;
                    }
                }
            }
            Thread.sleep(2);
        }
        throw new AssertionError("the request never showed up queued on the server's side");
    }

    private static String readToEof(InputStream in) throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) > 0; ) {
            got.write(buf, 0, n);
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }
}
