package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;
import org.liso.testing.RawClient;

/**
 * Clients that are slow or stop: {@code liso serve} as a real process, one with its default timeouts and one with
 * one-second header, idle and body timeouts. Waits are bounded; no test asserts how long anything took.
 */
class SlowClientIT {
    private static final long BIG = 100L << 20;
    private static final String HELLO = "hello, slow world\n";

    @TempDir
    static Path tmp;

    private static LisoProcess patient;
    private static LisoProcess strict;

    @BeforeAll
    static void start() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(root.resolve("hello.txt"), HELLO);
        try (RandomAccessFile f = new RandomAccessFile(root.resolve("big.bin").toFile(), "rw")) {
            f.setLength(BIG); // sparse: 100 MiB to send, nothing on disk
        }
        patient = LisoProcess.start(1, "serve", "--root", root.toString(), "--http", "127.0.0.1:0", "-q");
        strict = LisoProcess.start(1, "serve", "--root", root.toString(), "--http", "127.0.0.1:0", "-q",
                "--header-timeout", "1", "--idle-timeout", "1", "--body-timeout", "1");
    }

    @AfterAll
    static void stop() throws Exception {
        if (patient != null) {
            patient.close();
        }
        if (strict != null) {
            strict.close();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads until the server closes (or resets), at most {@code seconds}; whether it closed is in the result. */
    private static RawClient.Exchange readToEnd(Socket s, int seconds) throws IOException {
        s.setSoTimeout(seconds * 1000);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        boolean closed;
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                got.write(buf, 0, n);
            }
            closed = true;
        } catch (SocketTimeoutException stillOpen) {
            closed = false;
        } catch (SocketException reset) {
            closed = true;
        }
        byte[] raw = got.toByteArray();
        return new RawClient.Exchange(RawClient.parse(raw, false), closed, raw);
    }

    private static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    private static RawClient.Reply get(LisoProcess server, String path) throws IOException {
        RawClient.Exchange ex = RawClient.send(server.port(0),
                ascii("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 10_000, false);
        assertThat(ex.replies()).hasSize(1);
        return ex.replies().get(0);
    }

    @Test
    void aHeadSentOneByteAtATimeIsAnswered() throws Exception {
        byte[] request = ascii("GET /hello.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow\r\n"
                + "Connection: close\r\n\r\n");
        try (Socket s = new Socket("127.0.0.1", patient.port(0))) {
            s.setTcpNoDelay(true);
            for (byte b : request) {
                s.getOutputStream().write(b);
                s.getOutputStream().flush();
                Thread.sleep(5); // the client's own pace, one byte per segment: the behaviour under test
            }
            RawClient.Exchange ex = readToEnd(s, 10);
            assertThat(ex.replies()).extracting(RawClient.Reply::status).containsExactly(200);
            assertThat(ex.replies().get(0).bodyText()).isEqualTo(HELLO);
            assertThat(ex.closed()).isTrue();
        }
    }

    @Test
    void aClientThatStopsMidHeadGets408AndTheConnectionCloses() throws Exception {
        try (Socket s = new Socket("127.0.0.1", strict.port(0))) {
            s.getOutputStream().write(ascii("GET /hello.txt HTTP/1.1\r\nHost: x\r\n"));
            RawClient.Exchange ex = readToEnd(s, 10);
            assertThat(ex.replies()).as(new String(ex.raw(), StandardCharsets.ISO_8859_1))
                    .extracting(RawClient.Reply::status).containsExactly(408);
            assertThat(ex.replies().get(0).header("Connection")).isEqualTo("close");
            assertThat(ex.closed()).isTrue();
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedWithoutAnotherResponse() throws Exception {
        try (Socket s = new Socket("127.0.0.1", strict.port(0))) {
            s.getOutputStream().write(ascii("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n"));
            RawClient.Exchange ex = readToEnd(s, 10);
            assertThat(ex.replies()).extracting(RawClient.Reply::status).containsExactly(200);
            assertThat(ex.replies().get(0).header("Connection")).isNull();
            assertThat(ex.replies().get(0).bodyText()).isEqualTo(HELLO);
            assertThat(ex.closed()).as("closed after the idle timeout").isTrue();
        }
    }

    @Test
    void aBodyThatStopsArrivingGets408() throws Exception {
        try (Socket s = new Socket("127.0.0.1", strict.port(0))) {
            s.getOutputStream().write(ascii("POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n"
                    + "only ten.."));
            RawClient.Exchange ex = readToEnd(s, 10);
            assertThat(ex.replies()).extracting(RawClient.Reply::status).containsExactly(408);
            assertThat(ex.closed()).isTrue();
        }
    }

    @Test
    void aChunkedBodyThatStopsArrivingGets408() throws Exception {
        try (Socket s = new Socket("127.0.0.1", strict.port(0))) {
            s.getOutputStream().write(ascii("POST /hello.txt HTTP/1.1\r\nHost: x\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n10\r\nonly"));
            RawClient.Exchange ex = readToEnd(s, 10);
            assertThat(ex.replies()).extracting(RawClient.Reply::status).containsExactly(408);
            assertThat(ex.closed()).isTrue();
        }
    }

    /** A client that arrives after the server sat quiet for longer than its header timeout is served like any. */
    @Test
    void theFirstClientAfterAQuietSpellIsServed() throws Exception {
        Thread.sleep(1_500); // the quiet spell itself, longer than the 1 s timeouts: the behaviour under test
        assertThat(get(strict, "/hello.txt").status()).isEqualTo(200);
    }

    @Test
    void clientsThatNeverReadALargeResponseDoNotMakeTheServerGrow() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                Socket s = new Socket();
                s.setReceiveBufferSize(4096);
                s.connect(new java.net.InetSocketAddress("127.0.0.1", patient.port(0)));
                s.getOutputStream().write(ascii("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n"));
                stalled.add(s);
            }
            // Meanwhile others are served, again and again, while the stalled responses sit in the send queues.
            for (int i = 0; i < 20; i++) {
                RawClient.Reply r = get(patient, "/hello.txt");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo(HELLO);
            }
            assertThat(rssKib(patient.pid())).as("server RSS in KiB").isLessThan(300 * 1024);
            // The stalled clients still get the start of their response once they read.
            Socket first = stalled.get(0);
            first.setSoTimeout(10_000);
            byte[] head = first.getInputStream().readNBytes(15);
            assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200 OK");
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
        assertThat(get(patient, "/hello.txt").status()).isEqualTo(200);
    }
}
