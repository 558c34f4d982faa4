package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;

/** A client that pipelines thousands of large-file requests and never reads cannot make the server hold thousands of files. */
class PipelineBoundsIT {
    @TempDir
    Path root;

    private static int openFds(long pid) {
        String[] fds = new File("/proc/" + pid + "/fd").list();
        return fds == null ? -1 : fds.length;
    }

    @Test
    void pipelinedLargeFilesHoldOnlyAFewDescriptors() throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(root.resolve("big.bin").toFile(), "rw")) {
            f.setLength(8L << 20); // sparse, above the small-file cache: sent as a file region
        }
        Files.writeString(root.resolve("index.html"), "ok\n");
        try (LisoProcess liso = LisoProcess.start(1, "serve", "--root", root.toString(), "--http", "127.0.0.1:0",
                "-q")) {
            int before = openFds(liso.pid());
            try (SocketChannel s = SocketChannel.open()) {
                s.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
                s.connect(new InetSocketAddress("127.0.0.1", liso.port(0)));
                s.configureBlocking(false);
                int most = pipelineUntilTheServerStopsReading(s, liso.pid());
                assertThat(most - before).as("files held open for one unread pipeline").isLessThan(16);
                // Meanwhile another client is served.
                try (Socket other = new Socket("127.0.0.1", liso.port(0))) {
                    other.setSoTimeout(10_000);
                    other.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    assertThat(new String(other.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                            .startsWith("HTTP/1.1 200").endsWith("ok\n");
                }
            }
        }
    }

    /**
     * Writes pipelined requests without reading until the kernel takes no more (a non-blocking write accepts nothing:
     * the server's receive buffer is full because the server stopped reading), sampling the server's descriptors all
     * along; returns the most seen. By then the server has read all it will read of the pipeline, and a server that
     * opened a file per request read would hold hundreds. A server that never stops reading fails here.
     */
    private static int pipelineUntilTheServerStopsReading(SocketChannel s, long pid) throws Exception {
        byte[] one = "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer many = ByteBuffer.allocate(one.length * 256);
        while (many.remaining() >= one.length) {
            many.put(one);
        }
        many.flip();
        long written = 0;
        int most = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && written < (64L << 20)) {
            if (!many.hasRemaining()) {
                many.rewind();
            }
            int n = s.write(many);
            written += n;
            most = Math.max(most, openFds(pid));
            if (n == 0) {
                // Kernel buffers hold far more than 1000 requests (35 KB): back-pressure sooner is no pipeline test.
                assertThat(written / one.length).as("requests pipelined before back-pressure").isGreaterThan(1000);
                System.out.println("PipelineBoundsIT: back-pressure after " + written / one.length + " requests; at most "
                        + most + " descriptors");
                return most;
            }
        }
        throw new AssertionError("the server kept reading an unanswered pipeline: " + written / one.length
                + " requests written without back-pressure");
    }
}
