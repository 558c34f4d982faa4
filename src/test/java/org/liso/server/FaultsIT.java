package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.Await;
import org.liso.testing.KeepAliveLoad;
import org.liso.testing.KernelBuffers;
import org.liso.testing.LisoProcess;
import org.liso.testing.ProcStats;
import org.liso.testing.ServerWarmup;

/**
 * Faults around a running server: clients that reset mid-request and mid-response, a large file truncated or
 * deleted while a slow client reads it, and an access log that cannot be written. After each, the server serves new
 * requests and holds no more descriptors or threads than before.
 */
class FaultsIT {
    private static final int BIG = 64 << 20;

    @TempDir
    static Path root;
    private static LisoProcess liso;
    private static List<KeepAliveLoad.Target> files;
    private static ProcStats baseline;

    @BeforeAll
    static void start() throws Exception {
        byte[] small = new byte[2048];
        new Random(1).nextBytes(small);
        Files.write(root.resolve("small.bin"), small);
        files = List.of(new KeepAliveLoad.Target("/small.bin", small));
        liso = LisoProcess.start(1, "serve", "--root", root.toString(), "--http", "127.0.0.1:0",
                "--header-timeout", "3", "--send-timeout", "5", "--access-log", "/dev/full", "-q");
        ServerWarmup.run(liso.port(0), files);
        writeBig("warm.bin");
        readAll("/warm.bin", Long.MAX_VALUE);
        baseline = ProcStats.of(liso.pid());
    }

    @AfterAll
    static void stop() throws Exception {
        liso.close();
    }

    /** byte i of every big file: position-dependent, so a shifted or padded body cannot pass for the file */
    private static byte pattern(long i) {
        return (byte) (i ^ (i >>> 8) ^ (i >>> 17));
    }

    private static Path writeBig(String name) throws IOException {
        return writeBig(name, BIG);
    }

    private static Path writeBig(String name, long size) throws IOException {
        Path p = root.resolve(name);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.allocate(1 << 20);
            for (long off = 0; off < size; off += b.capacity()) {
                b.clear();
                for (int i = 0; i < b.capacity() && off + i < size; i++) {
                    b.put(pattern(off + i));
                }
                b.flip();
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
        }
        return p;
    }

    /** What a client read of a big file: the declared length, the body bytes that came, whether they were right. */
    record Read(long contentLength, long bodyBytes, boolean prefixRight, boolean closed) {
    }

    /** GETs {@code path} on a slow-reading socket; calls {@code midway} once {@code after} body bytes arrived. */
    private static Read readAll(String path, long after, Runnable... midway) throws IOException {
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(64 * 1024);
            s.connect(new java.net.InetSocketAddress("127.0.0.1", liso.port(0)));
            s.setSoTimeout(20_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                head.write(in.read());
            }
            String h = head.toString(StandardCharsets.ISO_8859_1);
            long length = Long.parseLong(h.replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
            byte[] buf = new byte[65536];
            long got = 0;
            boolean right = true;
            boolean closed = false;
            boolean fired = false;
            while (got < length) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketException reset) {
                    closed = true;
                    break;
                }
                if (n < 0) {
                    closed = true;
                    break;
                }
                for (int i = 0; i < n; i++) {
                    right &= buf[i] == pattern(got + i);
                }
                got += n;
                if (!fired && got >= after) {
                    fired = true;
                    for (Runnable r : midway) {
                        r.run();
                    }
                }
            }
            return new Read(length, got, right, closed);
        }
    }

    private static void assertServesAndHoldsNothing() throws Exception {
        KeepAliveLoad.Result r = KeepAliveLoad.run(liso.port(0), 10, files, 20, 20_000, 30_000);
        assertThat(r.problems()).isEmpty();
        assertThat(r.ok()).isEqualTo(200);
        ProcStats now = ProcStats.settle(liso.pid(), baseline, 15_000);
        assertThat(now.fds()).as("server fds, baseline " + baseline).isLessThanOrEqualTo(baseline.fds());
        assertThat(now.threads()).as("server threads, baseline " + baseline).isLessThanOrEqualTo(baseline.threads());
    }

    @Test
    void resetsMidRequestAndMidResponse() throws Exception {
        writeBig("reset.bin");
        for (int i = 0; i < 40; i++) {
            try (Socket s = new Socket("127.0.0.1", liso.port(0))) {
                OutputStream out = s.getOutputStream();
                if (i % 2 == 0) {
                    out.write("GET /small.bin HTTP/1.1\r\nHost: a\r\nX-Half: ".getBytes(StandardCharsets.US_ASCII));
                } else {
                    out.write("GET /reset.bin HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getInputStream().readNBytes(100_000);
                }
                s.setSoLinger(true, 0); // close with RST
            }
        }
        assertServesAndHoldsNothing();
    }

    @Test
    void aFileTruncatedWhileSentEndsTheConnectionShort() throws Exception {
        Path big = writeBig("truncate.bin");
        Read r = readAll("/truncate.bin", 1 << 20, () -> {
            try (FileChannel ch = FileChannel.open(big, StandardOpenOption.WRITE)) {
                ch.truncate(2 << 20);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        System.out.println("FaultsIT: truncated while sent: " + r);
        assertThat(r.contentLength()).isEqualTo(BIG);
        assertThat(r.closed()).as("connection closed").isTrue();
        assertThat(r.bodyBytes()).as("bytes received").isLessThan(BIG);
        assertThat(r.prefixRight()).as("every byte that came is the file's").isTrue();
        assertServesAndHoldsNothing();
    }

    @Test
    void aFileDeletedWhileSentIsSentWholeFromTheOpenDescriptor() throws Exception {
        Path big = writeBig("delete.bin");
        Read r = readAll("/delete.bin", 1 << 20, () -> {
            try {
                Files.delete(big);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        System.out.println("FaultsIT: deleted while sent: " + r);
        // Unlinking leaves the inode to the open descriptor (POSIX): the response stays the file, whole and right.
        assertThat(r.bodyBytes()).isEqualTo(BIG);
        assertThat(r.prefixRight()).isTrue();
        assertServesAndHoldsNothing();
    }

    @Test
    void anUnwritableAccessLogIsReportedOnceAndServingGoesOn() throws Exception {
        KeepAliveLoad.Result r = KeepAliveLoad.run(liso.port(0), 10, files, 50, 20_000, 30_000);
        assertThat(r.problems()).isEmpty();
        assertThat(r.ok()).isEqualTo(500);
        // The writer thread meets /dev/full at its first flush, some time after the responses went out.
        Await.until("the error log line about the access log", 10_000, () -> accessLogErrors() > 0);
        assertServesAndHoldsNothing();
        // Hundreds of writes and flushes failed since: still the one line.
        assertThat(accessLogErrors()).as("error log lines about the access log").isEqualTo(1);
    }

    private static long accessLogErrors() throws IOException {
        return liso.stderr().lines().filter(l -> l.contains("cannot write the access log")).count();
    }

    @Test
    void aClientThatStopsReadingIsDroppedAfterTheSendTimeout() throws Exception {
        // More than the server's send buffer can take (it may grow to tcp_wmem's maximum; the client's receive
        // buffer is pinned): the server is left holding the response with no progress, the case --send-timeout ends.
        long size = Math.max(BIG, KernelBuffers.maxTcpSend() + (8L << 20));
        writeBig("stall.bin", size);
        ProcStats before = ProcStats.of(liso.pid());
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(16 * 1024);
            s.connect(new java.net.InetSocketAddress("127.0.0.1", liso.port(0)));
            long asked = System.nanoTime();
            s.getOutputStream().write("GET /stall.bin HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            // Never read. The server holds the connection and the file, then lets both go on --send-timeout 5 alone:
            // polled on the server's descriptors, as reading would be progress.
            Await.until("the server to hold the connection and the file", 10_000, () -> ProcStats.of(liso.pid()),
                    now -> now.fds() >= before.fds() + 2);
            Await.until("the server to drop the stalled connection (--send-timeout 5)", 30_000,
                    () -> ProcStats.of(liso.pid()), now -> now.fds() <= before.fds());
            long heldMillis = (System.nanoTime() - asked) / 1_000_000;
            assertThat(heldMillis).as("time the server kept the stalled connection").isGreaterThanOrEqualTo(4_000);
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            long got = 0;
            try {
                byte[] buf = new byte[65536];
                for (int n; (n = in.read(buf)) > 0;) {
                    got += n;
                }
            } catch (SocketException reset) {
                // closed with data unread: a reset is a close too
            } catch (SocketTimeoutException stillOpen) {
                throw new AssertionError("connection still open after the send timeout (" + got + " bytes)");
            }
            assertThat(got).as("bytes before the server gave up").isLessThan(size);
        }
        assertServesAndHoldsNothing();
    }
}
