package org.liso.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.ThrottledWarning;
import org.liso.testing.Await;
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
                long firstRefusal = 0;
                long lastRefusal = 0;
                int refused = 0;
                int served = 0;
                try {
                    long deadline = System.nanoTime() + 30_000_000_000L;
                    String status = "";
                    Map<String, String> atRefusal = null;
                    // Take descriptors until the server has none left to open the file with, and take more whenever
                    // one comes free again: descriptors come and go on their own in a JVM out of them (the listener
                    // retries accept every 200 ms, the JDK opens and closes its own), so one may be free for a
                    // request now and then. Every answer must be the file or 503, never anything else.
                    while (refused < 21 && System.nanoTime() < deadline) {
                        if (!status.startsWith("HTTP/1.1 503")) {
                            for (int i = 0; i < 16; i++) {
                                idle.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", port)));
                            }
                        }
                        out.write(request("/big.bin"));
                        status = statusLine(in);
                        if (status.startsWith("HTTP/1.1 503")) {
                            lastRefusal = System.nanoTime();
                            if (refused++ == 0) {
                                firstRefusal = lastRefusal;
                                atRefusal = fdLinks(liso.pid());
                            }
                        } else {
                            assertThat(status).as("answer to a file request after %d idle connections", idle.size())
                                    .isEqualTo("HTTP/1.1 200 OK");
                            assertThat(contentLength).as("the whole file").isEqualTo(4 << 20);
                            served++;
                            if (atRefusal != null) {
                                sayWhatCameFree(atRefusal, fdLinks(liso.pid()), refused);
                            }
                        }
                        skipBody(in, contentLength);
                    }
                    assertThat(refused).as("answers 503 of %d (%d served) after %d idle connections", refused + served,
                            served, idle.size()).isEqualTo(21);
                    System.out.println("FileDescriptorsIT: 21 answers 503 and " + served + " served, "
                            + idle.size() + " idle connections");
                } finally {
                    for (SocketChannel c : idle) {
                        c.close();
                    }
                }
                List<String> lines = Await.until("the log line", 10_000, () -> lines(liso), l -> !l.isEmpty());
                // At most one line per interval (10 s), plus one: not one per answer.
                long intervals = (lastRefusal - firstRefusal) / 1_000_000L / ThrottledWarning.INTERVAL_MILLIS;
                assertThat(lines).as("lines for 21 answers 503 in %d ms", (lastRefusal - firstRefusal) / 1_000_000L)
                        .isNotEmpty().hasSizeLessThanOrEqualTo((int) intervals + 1);
                assertThat(lines.get(0)).contains("WARN files").contains("big.bin");
            }
        }
    }

    /** The server's descriptors: number to what it names (/proc/PID/fd). */
    private static Map<String, String> fdLinks(long pid) throws IOException {
        Map<String, String> links = new TreeMap<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    links.put(fd.getFileName().toString(), Files.readSymbolicLink(fd).toString());
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away between listing and reading it
                }
            }
        }
        return links;
    }

    /** Says in the test's output which descriptors came and went while the server was out of them. */
    private static void sayWhatCameFree(Map<String, String> then, Map<String, String> now, int refused) {
        Map<String, String> closed = new TreeMap<>(then);
        closed.keySet().removeAll(now.keySet());
        Map<String, String> opened = new TreeMap<>(now);
        opened.keySet().removeAll(then.keySet());
        System.out.println("FileDescriptorsIT: served after " + refused + " answers 503; since the first, closed "
                + closed + ", opened " + opened);
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
