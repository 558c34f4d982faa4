package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;

/**
 * The access log's byte count is what was sent, not what was announced: a download the client cuts off after a few
 * MB is logged with the bytes the server handed to its socket by then, a whole response with exactly its size, HEAD
 * with none. Real server process, real sockets, the access log file as an operator reads it.
 */
class AccessLogBytesIT {
    private static final long BIG = 256L << 20;
    private static final int READ_BEFORE_RESET = 4 << 20;
    /** --sndbuf for the server and SO_RCVBUF for the client; Linux doubles both for its bookkeeping. */
    private static final int BUFFER = 65536;

    @TempDir
    Path dir;

    @Test
    void bytesSentAreLoggedForCutDownloadsWholeResponsesAndHead() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        byte[] small = "twelve bytes".getBytes(StandardCharsets.US_ASCII);
        Files.write(root.resolve("small.txt"), small);
        byte[] mid = new byte[1 << 20]; // above the small-file cache's 256 KiB: sent as a file region
        new java.util.Random(3).nextBytes(mid);
        Files.write(root.resolve("mid.bin"), mid);
        try (RandomAccessFile f = new RandomAccessFile(root.resolve("big.bin").toFile(), "rw")) {
            f.setLength(BIG); // sparse: 256 MB to send, nothing to write
        }
        Path log = dir.resolve("access.log");
        try (LisoProcess liso = LisoProcess.start(1, "serve", "--root", root.toString(), "--http", "127.0.0.1:0",
                "--access-log", log.toString(), "--sndbuf", Integer.toString(BUFFER), "-q")) {
            int port = liso.port(0);
            long bodyRead;
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(BUFFER); // before connect: the window is negotiated with it
                s.connect(new InetSocketAddress("127.0.0.1", port));
                s.setSoTimeout(10_000);
                s.getOutputStream().write(("GET /small.txt HTTP/1.1\r\nHost: a\r\n\r\n"
                        + "GET /mid.bin HTTP/1.1\r\nHost: a\r\n\r\n"
                        + "HEAD /big.bin HTTP/1.1\r\nHost: a\r\n\r\n"
                        + "GET /big.bin HTTP/1.1\r\nHost: a\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                assertThat(skipHead(in)).startsWith("HTTP/1.1 200");
                assertThat(in.readNBytes(small.length)).isEqualTo(small);
                assertThat(skipHead(in)).startsWith("HTTP/1.1 200");
                assertThat(in.readNBytes(mid.length)).isEqualTo(mid);
                assertThat(skipHead(in)).startsWith("HTTP/1.1 200").contains("Content-Length: " + BIG);
                assertThat(skipHead(in)).startsWith("HTTP/1.1 200").contains("Content-Length: " + BIG);
                bodyRead = in.readNBytes(READ_BEFORE_RESET).length;
                assertThat(bodyRead).isEqualTo(READ_BEFORE_RESET);
                s.setSoLinger(true, 0); // close with RST, as a browser's cancelled download or a killed curl
            }
            List<Matcher> lines = awaitLines(log, 4);
            assertThat(lines.get(0).group(1)).isEqualTo("GET /small.txt HTTP/1.1");
            assertThat(lines.get(0).group(3)).as("a whole response: exactly its size").isEqualTo("12");
            lines = lines.subList(1, lines.size());
            assertThat(lines.get(0).group(1)).isEqualTo("GET /mid.bin HTTP/1.1");
            assertThat(lines.get(0).group(3)).as("a whole file region: exactly its size").isEqualTo("1048576");
            assertThat(lines.get(1).group(1)).isEqualTo("HEAD /big.bin HTTP/1.1");
            assertThat(lines.get(1).group(3)).as("HEAD sends no body (CLF writes 0 as -)").isEqualTo("-");
            assertThat(lines.get(2).group(1)).isEqualTo("GET /big.bin HTTP/1.1");
            assertThat(lines.get(2).group(2)).isEqualTo("200");
            long logged = Long.parseLong(lines.get(2).group(3));
            // What the server handed to its socket is what the client read plus what was still in the kernel when
            // the RST came: at most the server's send buffer and the client's receive buffer (each 2 x BUFFER on
            // Linux), plus one segment of overshoot (the kernel checks the send buffer before it adds a chunk).
            long slack = 2L * BUFFER + 2L * BUFFER + 65536;
            System.out.printf("AccessLogBytesIT: read %d, logged %d, in the kernel %d (bound %d), file %d%n",
                    bodyRead, logged, logged - bodyRead, slack, BIG);
            assertThat(logged).as("never less than the client got").isGreaterThanOrEqualTo(bodyRead);
            assertThat(logged - bodyRead).as("bytes beyond what the client read").isLessThanOrEqualTo(slack);
            assertThat(logged).as("far below the Content-Length").isLessThan(BIG / 16);
        }
    }

    private static final Pattern LINE = Pattern.compile("^\\S+ - - \\[[^]]+] \"([^\"]*)\" (\\d{3}) (\\d+|-) .*$");

    /** Polls the access log (flushed every 250 ms) until it holds {@code n} lines, within a deadline. */
    private static List<Matcher> awaitLines(Path log, int n) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        List<String> lines = List.of();
        while (System.nanoTime() < deadline) {
            lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            if (lines.size() >= n) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(lines).as("access log lines").hasSizeGreaterThanOrEqualTo(n);
        return lines.stream().map(l -> {
            Matcher m = LINE.matcher(l);
            assertThat(m.matches()).as(l).isTrue();
            return m;
        }).toList();
    }

    private static String skipHead(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            assertThat(c).as("head cut short: %s", head).isNotNegative();
            head.append((char) c);
        }
        return head.toString();
    }
}
