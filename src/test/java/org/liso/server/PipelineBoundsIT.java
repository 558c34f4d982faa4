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
import org.liso.testing.KernelBuffers;
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
                s.setOption(StandardSocketOptions.SO_SNDBUF, 64 << 10);
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
     * Writes pipelined requests without reading until the kernel takes no more, sampling the server's descriptors all
     * along; returns the most seen. The client's send buffer is pinned small, so what it wrote beyond that sits in
     * the server's receive buffer or was read by the server: a write accepts nothing for good only once the server
     * stopped reading. By then the server has read all it will read of the pipeline, and a server that opened a file
     * per request read would hold hundreds. A server that never stops reading fails here: it takes more than all
     * the kernel buffers on the way can hold.
     */
    private static int pipelineUntilTheServerStopsReading(SocketChannel s, long pid) throws Exception {
        byte[] one = "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer many = ByteBuffer.allocate(one.length * 256);
        while (many.remaining() >= one.length) {
            many.put(one);
        }
        many.flip();
        long room = KernelBuffers.maxInFlight() + (8L << 20);
        long written = 0;
        int most = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long stuckSince = 0;
        while (System.nanoTime() < deadline && written < room) {
            if (!many.hasRemaining()) {
                many.rewind();
            }
            int n = s.write(many);
            written += n;
            most = Math.max(most, openFds(pid));
            if (n > 0) {
                stuckSince = 0;
            } else if (stuckSince == 0) {
                stuckSince = System.nanoTime();
            } else if (System.nanoTime() - stuckSince > TimeUnit.SECONDS.toNanos(1)) {
                // Nothing taken for a second, polled: not a server slow to read, one that stopped.
                // Kernel buffers hold far more than 1000 requests (35 KB): back-pressure sooner is no pipeline test.
                assertThat(written / one.length).as("requests pipelined before back-pressure").isGreaterThan(1000);
                System.out.println("PipelineBoundsIT: back-pressure after " + written / one.length + " requests; at most "
                        + most + " descriptors");
                return most;
            } else {
                Thread.sleep(20); // the poll interval of this wait
            }
        }
        throw new AssertionError("the server kept reading an unanswered pipeline: " + written / one.length
                + " requests written without back-pressure");
    }
}
