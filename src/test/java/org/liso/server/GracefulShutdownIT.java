package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.KernelBuffers;
import org.liso.testing.LisoProcess;

/**
 * SIGTERM while a large response is on its way: the server stops accepting, finishes the response it is sending
 * (within its grace period), closes that connection and exits with status 0. The client gets every byte of the file.
 * The response was handed over whole before the signal (a file region), so the connection was already waiting for
 * its next request with the body still queued.
 */
class GracefulShutdownIT {
    /** More than the server's send buffer may take (up to tcp_wmem's maximum): most of it waits in the server. */
    private static final int SIZE = (int) Math.max(24 << 20, KernelBuffers.maxTcpSend() + (16L << 20));

    @TempDir
    Path root;

    @Test
    void sigtermLetsAResponseInFlightFinishThenExits() throws Exception {
        byte[] file = new byte[SIZE];
        new Random(17).nextBytes(file);
        Files.write(root.resolve("big.bin"), file);
        try (LisoProcess liso = LisoProcess.start(1, "serve", "--root", root.toString(), "--http", "127.0.0.1:0",
                "--shutdown-grace", "30", "-q"); Socket s = new Socket()) {
            s.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024); // keeps most of the file in the server
            s.connect(new InetSocketAddress("127.0.0.1", liso.port(0)), 5000);
            s.setSoTimeout(15_000);
            s.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("Content-Length: " + SIZE);
            byte[] body = new byte[SIZE];
            int got = in.readNBytes(body, 0, 64 * 1024);
            assertThat(got).isEqualTo(64 * 1024);

            liso.process().destroy(); // SIGTERM, with most of the body not yet sent
            awaitRefused(liso.port(0));

            got += in.readNBytes(body, got, SIZE - got);
            assertThat(got).as("body bytes received after SIGTERM").isEqualTo(SIZE);
            assertThat(body).as("the body is the file").isEqualTo(file);
            // The connection is done once its response has left, not when the idle timeout (15 s) or the grace period
            // (30 s here, so a loaded machine has room) runs out.
            s.setSoTimeout(10_000);
            assertThat(in.read()).as("the server closes once the response is sent").isEqualTo(-1);
            assertThat(liso.process().waitFor(10, TimeUnit.SECONDS)).as("liso exits once nothing is in flight")
                    .isTrue();
            assertThat(liso.process().exitValue()).isZero();
        }
    }

    /** Polls until the listener is gone (the first thing a graceful shutdown does), while the response is held. */
    private static void awaitRefused(int port) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            } catch (ConnectException refused) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the listener still accepts 5 s after SIGTERM");
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed inside the head: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
