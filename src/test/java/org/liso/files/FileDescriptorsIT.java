package org.liso.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;

/**
 * A real server under {@code ulimit -n 128} whose descriptors are all taken by idle connections: a request on a
 * connection accepted before cannot open its file. The answer is 503 (not 404), and the operator hears of it in
 * the error log once per interval, not once per request.
 */
class FileDescriptorsIT {
    @TempDir
    Path root;

    @Test
    void outOfDescriptorsWhileOpeningAFileIs503AndOneLogLine() throws Exception {
        // Larger than the small-file cache takes: every GET opens the file.
        Files.write(root.resolve("big.bin"), new byte[4 << 20]);
        Files.writeString(root.resolve("small.txt"), "ok\n");
        String sh = "ulimit -n 128; exec '" + LisoProcess.java() + "' -Xmx128m -XX:+UseSerialGC -jar '"
                + LisoProcess.jar() + "' serve --root '" + root + "' --http 127.0.0.1:0 --no-https"
                + " --header-timeout 60 --idle-timeout 60";
        try (LisoProcess liso = LisoProcess.startCommand(1, List.of("bash", "-c", sh))) {
            int port = liso.port(0);
            try (Socket early = new Socket("127.0.0.1", port)) {
                early.setSoTimeout(10_000);
                OutputStream out = early.getOutputStream();
                InputStream in = early.getInputStream();
                out.write(request("/small.txt"));
                assertThat(statusLine(in)).isEqualTo("HTTP/1.1 200 OK");
                skipBody(in, contentLength);
                List<SocketChannel> idle = new ArrayList<>();
                try {
                    long deadline = System.nanoTime() + 20_000_000_000L;
                    String status = "";
                    int answers = 0;
                    // Take descriptors until the server has none left to open the file with.
                    while (!status.startsWith("HTTP/1.1 503") && System.nanoTime() < deadline) {
                        for (int i = 0; i < 16; i++) {
                            idle.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", port)));
                        }
                        out.write(request("/big.bin"));
                        status = statusLine(in);
                        answers++;
                        skipBody(in, contentLength);
                    }
                    assertThat(status).as("after %d idle connections", idle.size()).startsWith("HTTP/1.1 503");
                    for (int i = 0; i < 20; i++) {
                        out.write(request("/big.bin"));
                        assertThat(statusLine(in)).startsWith("HTTP/1.1 503");
                        skipBody(in, contentLength);
                    }
                    System.out.println("FileDescriptorsIT: 503 after " + idle.size() + " idle connections, "
                            + answers + " tries");
                } finally {
                    for (SocketChannel c : idle) {
                        c.close();
                    }
                }
                long deadline = System.nanoTime() + 10_000_000_000L;
                List<String> lines = lines(liso);
                while (lines.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                    lines = lines(liso);
                }
                assertThat(lines).as("21 answers 503 within one interval: one line").hasSize(1);
                assertThat(lines.get(0)).contains("WARN files").contains("big.bin");
            }
        }
    }

    private static List<String> lines(LisoProcess liso) throws Exception {
        return liso.stderr().lines().filter(l -> l.contains("no descriptor left to open a file")).toList();
    }

    private int contentLength;

    private static byte[] request(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads the head; remembers its Content-Length; returns the status line. */
    private String statusLine(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new AssertionError("connection closed after: " + head);
            }
            head.append((char) c);
        }
        contentLength = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                contentLength = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head.substring(0, head.indexOf("\r\n"));
    }

    private static void skipBody(InputStream in, int n) throws Exception {
        byte[] buf = new byte[64 * 1024];
        while (n > 0) {
            int r = in.read(buf, 0, Math.min(buf.length, n));
            if (r < 0) {
                throw new AssertionError("body cut short");
            }
            n -= r;
        }
    }
}
