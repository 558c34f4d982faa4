package org.liso.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;

/**
 * SIGTERM with {@code --drain-delay}: /healthz answers 503 at once, the public listener still serves new clients for
 * the delay (a balancer's next check takes the server out first) with {@code Connection: close}, then the graceful
 * shutdown closes it and the server exits 0. A second SIGTERM does not wait for the rest of the delay.
 */
class DrainIT {
    private static final long DELAY_MILLIS = 5_000;

    @TempDir
    Path root;

    @Test
    void healthTurns503FirstListenersServeThroughTheDelayThenClose() throws Exception {
        Files.writeString(root.resolve("index.html"), "hi\n");
        try (LisoProcess liso = LisoProcess.start(2, "serve", "--root", root.toString(), "--http", "127.0.0.1:0",
                "--admin", "127.0.0.1:0", "--drain-delay", DELAY_MILLIS + "ms", "-q")) {
            InetSocketAddress http = AdminIT.address(liso, 0);
            InetSocketAddress admin = AdminIT.address(liso, 1);
            assertThat(MultiLoopMetricsIT.get(admin, "/healthz")).startsWith("HTTP/1.1 200");

            long signalled = System.nanoTime();
            liso.process().destroy(); // SIGTERM
            String health = awaitStatus(admin, "/healthz", "HTTP/1.1 503");
            assertThat(health).endsWith("\r\n\r\ndraining\n");
            long draining = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
            // A new client during the delay is still served, on a listener that is still open; a keep-alive
            // request is told the connection closes, and it does.
            assertThat(AdminIT.raw(http, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 200")
                    .containsIgnoringCase("\r\nConnection: close\r\n");
            long served = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
            assertThat(served).as("the new client came within the drain delay").isLessThan(DELAY_MILLIS);
            assertThat(MultiLoopMetricsIT.body(MultiLoopMetricsIT.get(admin, "/metrics")))
                    .contains("liso_draining 1\n");

            long refused = awaitRefused(http);
            long closedAfter = TimeUnit.NANOSECONDS.toMillis(refused - signalled);
            System.out.printf("DrainIT: 503 after %d ms, listener closed after %d ms (delay %d ms)%n", draining,
                    closedAfter, DELAY_MILLIS);
            assertThat(closedAfter).as("the listener stays open for the delay").isGreaterThanOrEqualTo(DELAY_MILLIS);
            assertThat(liso.process().waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(liso.process().exitValue()).isZero();
        }
    }

    @Test
    void aSecondSignalCutsTheDelayShort() throws Exception {
        Files.writeString(root.resolve("index.html"), "hi\n");
        try (LisoProcess liso = LisoProcess.start(2, "serve", "--root", root.toString(), "--http", "127.0.0.1:0",
                "--admin", "127.0.0.1:0", "--drain-delay", "10m", "-q")) {
            InetSocketAddress admin = AdminIT.address(liso, 1);
            liso.process().destroy();
            awaitStatus(admin, "/healthz", "HTTP/1.1 503");
            liso.process().destroy();
            assertThat(liso.process().waitFor(15, TimeUnit.SECONDS)).as("exited long before the 10 minutes").isTrue();
            assertThat(liso.process().exitValue()).isZero();
        }
    }

    private static String awaitStatus(InetSocketAddress to, String path, String status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String r;
        do {
            r = MultiLoopMetricsIT.get(to, path);
            if (r.startsWith(status)) {
                return r;
            }
            Thread.sleep(20); // a poll interval, inside the deadline
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no " + status + " from " + path + " in time; last: " + r);
    }

    /** Polls until a connect is refused; returns the nanoTime it was. */
    private static long awaitRefused(InetSocketAddress to) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(to, 1000);
            } catch (ConnectException refused) {
                return System.nanoTime();
            } catch (IOException other) {
                // a reset while the listener closes: try again
            }
            Thread.sleep(20); // a poll interval, inside the deadline
        }
        throw new AssertionError("the listener was still open 30 s after SIGTERM");
    }
}
