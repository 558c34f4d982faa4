package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
            byte[] one = "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            try (Socket s = new Socket("127.0.0.1", liso.port(0))) {
                s.setReceiveBufferSize(4096);
                OutputStream out = s.getOutputStream();
                Thread writer = new Thread(() -> {
                    try {
                        for (int i = 0; i < 3000; i++) {
                            out.write(one);
                        }
                    } catch (java.io.IOException stopped) {
                        // the server stops reading once its bounds are reached: the write blocks until close
                    }
                });
                writer.setDaemon(true);
                writer.start();
                Thread.sleep(3000);
                int during = openFds(liso.pid());
                assertThat(during - before).as("files held open for one unread pipeline").isLessThan(16);
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
}
