package org.liso.cgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.RawClient;

/**
 * The request body on its way to a script, through the real server: the body is read whole before the script starts
 * (RFC 3875 §4.1.2: CONTENT_LENGTH is the length after the transfer coding is removed), so a stalled upload holds
 * no script slot; what does not fit in memory goes to a temporary file that never outlives its request.
 */
class CgiBodyIT {

    @TempDir
    Path dir;

    private LisoServe serve(String... flags) throws Exception {
        Path script = CgiScripts.install("content_length.py", dir);
        List<String> args = new ArrayList<>(List.of("--cgi", script.toString()));
        args.addAll(List.of(flags));
        return new LisoServe(dir, args.toArray(String[]::new));
    }

    @Test
    void chunkedBodiesReachAScriptThatReadsExactlyContentLength() throws Exception {
        try (LisoServe server = serve()) {
            byte[] eleven = "hello world".getBytes(StandardCharsets.US_ASCII);
            String raw = "POST /cgi/len HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
            RawClient.Reply small = exchange(server.port, raw.getBytes(StandardCharsets.US_ASCII));
            assertThat(small.status()).isEqualTo(200);
            assertThat(small.bodyText()).isEqualTo(digestLines(eleven));

            byte[] big = new byte[10 << 20];
            new Random(11).nextBytes(big);
            Path upload = Files.write(dir.resolve("upload.bin"), big);
            // curl -T - sends its stdin with chunked coding: it cannot know the length ahead.
            Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "60", "-X", "POST", "-T", "-",
                    server.url("/cgi/len")).redirectInput(upload.toFile()).redirectErrorStream(true).start();
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(curl.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(curl.exitValue()).as(out).isZero();
            assertThat(out).isEqualTo(digestLines(big));
        }
    }

    @Test
    void stalledUploadsHoldNoScriptSlot() throws Exception {
        try (LisoServe server = serve()) {
            List<Socket> stalled = new ArrayList<>();
            try {
                List<Socket> expecting = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    Socket s = new Socket("127.0.0.1", server.port);
                    s.setSoTimeout(20_000);
                    // Every other one asks for 100 Continue: the interim answer tells that the server has taken
                    // that head. None of them sends its body.
                    boolean expect = i % 2 == 1;
                    s.getOutputStream().write(("POST /cgi/len HTTP/1.1\r\nHost: t\r\nContent-Length: 8192\r\n"
                            + (expect ? "Expect: 100-continue\r\n" : "") + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    stalled.add(s);
                    if (expect) {
                        expecting.add(s);
                    }
                }
                TreeMap<String, Integer> firstLines = new TreeMap<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                for (Socket s : expecting) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    s.setSoTimeout((int) Math.max(1, left));
                    String line;
                    try {
                        line = firstLine(s.getInputStream());
                    } catch (SocketTimeoutException none) {
                        line = "no answer in 20 s";
                    }
                    firstLines.merge(line, 1, Integer::sum);
                }
                byte[] form = "a=1&b=2".getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < 10; i++) {
                    String chunked = "POST /cgi/len HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
                            + "Connection: close\r\n\r\n7\r\na=1&b=2\r\n0\r\n\r\n";
                    RawClient.Reply r = exchange(server.port, chunked.getBytes(StandardCharsets.US_ASCII));
                    assertThat(r.status()).as("normal CGI request %d beside 200 stalled uploads", i).isEqualTo(200);
                    assertThat(r.bodyText()).isEqualTo(digestLines(form));
                    String get = "GET /cgi/len HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
                    assertThat(exchange(server.port, get.getBytes(StandardCharsets.US_ASCII)).status())
                            .isEqualTo(200);
                }
                assertThat(firstLines).containsExactly(java.util.Map.entry("HTTP/1.1 100 Continue", 100));
            } finally {
                for (Socket s : stalled) {
                    s.close();
                }
            }
            assertThat(server.awaitNoChildren()).isZero();
        }
    }

    @Test
    void aBodyBeyondMemoryGoesToAnUnlinkedFileThatEndsWithItsRequest() throws Exception {
        Path spool = Files.createDirectories(dir.resolve("spool"));
        // The body timeout ends the stalled case below; the others pause mid-body while the test looks at /proc,
        // which on a loaded machine can take a good part of a second: 3 s leaves them room.
        try (LisoServe server = serve("--cgi-body-dir", spool.toString(), "--cgi-body-memory", "4096",
                "--body-timeout", "3", "--max-body", "1048576")) {
            long pid = server.process.pid();
            byte[] body = new byte[300 * 1024];
            new Random(3).nextBytes(body);
            String head = "POST /cgi/len HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";

            // Completed: the file exists (as an open descriptor) only while the body is being read.
            try (Socket s = new Socket("127.0.0.1", server.port)) {
                s.setSoTimeout(20_000);
                OutputStream out = s.getOutputStream();
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                writeChunk(out, body, 0, body.length / 2);
                assertThat(awaitSpoolFds(pid, spool, 1)).as("descriptors open on a spool file").isEqualTo(1);
                // The server unlinks the file right after opening it: the descriptor may be seen a moment first.
                assertThat(awaitNoNames(spool)).as("the spool file has no name").isEmpty();
                assertThat(awaitSpoolFds(pid, spool, 1)).as("still open while the body is read").isEqualTo(1);
                writeChunk(out, body, body.length / 2, body.length - body.length / 2);
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                RawClient.Reply r = readReply(s.getInputStream());
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo(digestLines(body));
            }
            assertThat(awaitSpoolFds(pid, spool, 0)).as("spool file closed after the response").isZero();

            // The client leaves mid-body.
            try (Socket s = new Socket("127.0.0.1", server.port)) {
                OutputStream out = s.getOutputStream();
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                writeChunk(out, body, 0, body.length / 2);
                assertThat(awaitSpoolFds(pid, spool, 1)).isEqualTo(1);
            }
            assertThat(awaitSpoolFds(pid, spool, 0)).as("spool file closed after the client left").isZero();

            // The body stalls past --body-timeout: 408, and the file goes.
            try (Socket s = new Socket("127.0.0.1", server.port)) {
                s.setSoTimeout(20_000);
                OutputStream out = s.getOutputStream();
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                writeChunk(out, body, 0, body.length / 2);
                assertThat(awaitSpoolFds(pid, spool, 1)).isEqualTo(1);
                assertThat(readReply(s.getInputStream()).status()).isEqualTo(408);
            }
            assertThat(awaitSpoolFds(pid, spool, 0)).as("spool file closed after the timeout").isZero();

            // Beyond --max-body: 413, and the file goes.
            try (Socket s = new Socket("127.0.0.1", server.port)) {
                s.setSoTimeout(20_000);
                OutputStream out = s.getOutputStream();
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                byte[] more = new byte[1 << 20];
                writeChunk(out, more, 0, more.length);
                try {
                    writeChunk(out, more, 0, more.length);
                } catch (SocketException closedByServer) {
                    // the server answered and stopped reading: the answer is still to be read
                }
                assertThat(readReply(s.getInputStream()).status()).isEqualTo(413);
            }
            assertThat(awaitSpoolFds(pid, spool, 0)).as("spool file closed after the 413").isZero();
            assertThat(server.awaitNoChildren()).isZero();
            try (Stream<Path> names = Files.list(spool)) {
                assertThat(names).isEmpty();
            }
        }
    }

    @Test
    void http10ExpectContinueGetsNoInterimResponse() throws Exception {
        try (LisoServe server = serve()) {
            String body = "hello";
            for (String version : List.of("HTTP/1.0", "HTTP/1.1")) {
                String raw = "POST /cgi/len " + version + "\r\nHost: t\r\nContent-Length: 5\r\n"
                        + "Expect: 100-continue\r\nConnection: close\r\n\r\n" + body;
                String got = new String(rawExchange(server.port, raw.getBytes(StandardCharsets.US_ASCII)),
                        StandardCharsets.ISO_8859_1);
                if (version.equals("HTTP/1.0")) {
                    // RFC 9110 §15.2: no 1xx to an HTTP/1.0 client; §10.1.1: it ignores 100-continue.
                    assertThat(got).startsWith("HTTP/1.1 200 ").doesNotContain("100 Continue");
                } else {
                    assertThat(got).startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 ");
                }
                assertThat(got).endsWith(digestLines(body.getBytes(StandardCharsets.US_ASCII)));
            }
        }
    }

    @Test
    void streamBodyFlagStartsTheScriptBeforeALengthBodyButStillBuffersChunked() throws Exception {
        try (LisoServe server = serve("--cgi-stream-body")) {
            try (Socket s = new Socket("127.0.0.1", server.port)) {
                s.setSoTimeout(20_000);
                OutputStream out = s.getOutputStream();
                out.write(("POST /cgi/head-first HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\nConnection: close\r\n"
                        + "\r\nhello").getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                // The script answers before the second half of its body has been sent: it was streamed to.
                assertThat(firstLine(in)).isEqualTo("HTTP/1.1 200 OK");
                out.write("world".getBytes(StandardCharsets.US_ASCII));
                String rest = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(rest).contains("read=10\n");
            }
            String chunked = "POST /cgi/len HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n"
                    + "\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
            RawClient.Reply r = exchange(server.port, chunked.getBytes(StandardCharsets.US_ASCII));
            assertThat(r.bodyText()).isEqualTo(digestLines("hello world".getBytes(StandardCharsets.US_ASCII)));
        }
    }

    // ---- helpers ----

    /** What the script prints for a body it read in full, through the CONTENT_LENGTH the server set. */
    private static String digestLines(byte[] body) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        return "CONTENT_LENGTH=" + body.length + "\nread=" + body.length + "\nsha256=" + sha
                + "\nHTTP_TRANSFER_ENCODING=unset\n";
    }

    private static void writeChunk(OutputStream out, byte[] b, int off, int len) throws IOException {
        out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(b, off, len);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static RawClient.Reply exchange(int port, byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request);
            return readReply(s.getInputStream());
        }
    }

    private static byte[] rawExchange(int port, byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request);
            return s.getInputStream().readAllBytes();
        }
    }

    /** Reads until one complete final response has arrived (100 Continue is skipped). */
    private static RawClient.Reply readReply(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        while (RawClient.complete(got.toByteArray(), false) < 1) {
            int n;
            try {
                n = in.read(buf);
            } catch (SocketException reset) {
                break;
            }
            if (n < 0) {
                break;
            }
            got.write(buf, 0, n);
        }
        List<RawClient.Reply> replies = RawClient.parse(got.toByteArray(), false);
        assertThat(replies).as("a response in %s", got.toString(StandardCharsets.ISO_8859_1)).isNotEmpty();
        return replies.get(0);
    }

    /** The status line of the first response (interim or final) on {@code in}. */
    private static String firstLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
            line.append((char) c);
        }
        return line.toString().trim();
    }

    /** Polls (bounded) until the server holds {@code want} descriptors on files of {@code spool}; returns the count. */
    private static long awaitSpoolFds(long pid, Path spool, long want) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long n = spoolFds(pid, spool);
        while (n != want && System.nanoTime() < deadline) {
            Thread.sleep(20); // the poll interval of this deadline-bounded wait
            n = spoolFds(pid, spool);
        }
        return n;
    }

    private static long spoolFds(long pid, Path spool) throws IOException {
        String prefix = spool.toRealPath() + "/";
        long n = 0;
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith(prefix)) {
                        n++;
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away between listing and reading it
                }
            }
        }
        return n;
    }

    /** The names left in {@code dir}, polled until there are none or 5 s have passed. */
    private static List<Path> awaitNoNames(Path dir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (;;) {
            List<Path> names;
            try (Stream<Path> list = Files.list(dir)) {
                names = list.toList();
            }
            if (names.isEmpty() || System.nanoTime() > deadline) {
                return names;
            }
            Thread.sleep(5); // the poll interval of this deadline-bounded wait
        }
    }
}
