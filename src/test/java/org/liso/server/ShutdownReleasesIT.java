package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.server.spi.Body;
import org.liso.server.spi.Response;

/**
 * When a graceful shutdown's grace period ends with connections still busy, the loop closes them as connections,
 * not just as channels: the file a response was sending from is closed and the handler's abort action (which kills
 * a CGI process tree) runs.
 */
class ShutdownReleasesIT {
    @TempDir
    Path dir;

    private static SocketChannel request(TestServer s, String path) throws Exception {
        SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", s.port()));
        c.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
        return c;
    }

    @Test
    void theGraceEndingClosesFilesAndRunsAbortActions() throws Exception {
        Path big = dir.resolve("big.bin");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(256L << 20); // sparse: far more than the socket buffers take, so the response stays queued
        }
        AtomicReference<FileChannel> sent = new AtomicReference<>();
        CountDownLatch handled = new CountDownLatch(2);
        CountDownLatch aborted = new CountDownLatch(1);
        try (TestServer s = new TestServer(ServerConfig.DEFAULT, ex -> {
            if (ex.request().target().equals("/file")) {
                try {
                    FileChannel ch = FileChannel.open(big, StandardOpenOption.READ);
                    sent.set(ch);
                    ex.respond(Response.of(200, "application/octet-stream", Body.file(ch, 0, ch.size())));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            } else {
                ex.onAbort(aborted::countDown); // a handler that never answers, like a hung CGI script
            }
            handled.countDown();
        });
                SocketChannel reader = request(s, "/file");
                SocketChannel waiter = request(s, "/hang")) {
            assertThat(handled.await(10, TimeUnit.SECONDS)).isTrue();
            s.loop.shutdown(200);
            assertThat(s.loop.awaitStop(10_000)).as("loop stopped after the grace").isTrue();
            assertThat(sent.get().isOpen()).as("the file being sent is closed").isFalse();
            assertThat(aborted.await(1, TimeUnit.SECONDS)).as("the abort action ran").isTrue();
        }
    }
}
