package org.liso.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;

/**
 * {@code liso serve --fastcgi /app=...} against a small Python FastCGI responder (responder.py): the environment,
 * bodies, connection reuse, FCGI_ABORT_REQUEST, back-pressure and every way an application can fail.
 */
class FastCgiResponderIT {

    @TempDir
    Path dir;

    private LisoProcess serve(Responder app, String... flags) throws Exception {
        // One loop: --fastcgi-conns and the pools are per loop, and these cases count connections and aborts.
        List<String> args = new ArrayList<>(List.of("serve", "--loops", "1", "--http", "127.0.0.1:0", "--no-https",
                "--root", dir.toString(), "--fastcgi", "/app=" + app.address));
        args.addAll(List.of(flags));
        return LisoProcess.start(1, args.toArray(String[]::new));
    }

    private Responder unixResponder() throws IOException {
        return Responder.start(dir, "unix:" + dir.resolve("app.sock"));
    }

    private static String url(LisoProcess liso, String path) {
        return "http://127.0.0.1:" + liso.port(0) + path;
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\": (\"(?:[^\"\\\\]|\\\\.)*\"|\\d+)").matcher(json);
        return m.find() ? m.group(1).replaceAll("^\"|\"$", "") : null;
    }

    @Test
    void theEnvironmentIsCgisWithScriptFilenameAndDocumentRoot() throws Exception {
        try (Responder app = unixResponder(); LisoProcess liso = serve(app)) {
            Curl.Reply r = Curl.run("-H", "X-Thing: 42", url(liso, "/app/env?a=1&b=%20"));
            assertThat(r.status()).isEqualTo(200);
            String root = dir.toAbsolutePath().normalize().toString();
            assertThat(field(r.body(), "SCRIPT_NAME")).isEqualTo("/app");
            assertThat(field(r.body(), "PATH_INFO")).isEqualTo("/env");
            assertThat(field(r.body(), "PATH_TRANSLATED")).isEqualTo(root + "/env");
            assertThat(field(r.body(), "SCRIPT_FILENAME")).isEqualTo(root + "/app");
            assertThat(field(r.body(), "DOCUMENT_ROOT")).isEqualTo(root);
            assertThat(field(r.body(), "QUERY_STRING")).isEqualTo("a=1&b=%20");
            assertThat(field(r.body(), "REQUEST_URI")).isEqualTo("/app/env?a=1&b=%20");
            assertThat(field(r.body(), "GATEWAY_INTERFACE")).isEqualTo("CGI/1.1");
            assertThat(field(r.body(), "REQUEST_METHOD")).isEqualTo("GET");
            assertThat(field(r.body(), "HTTP_X_THING")).isEqualTo("42");
            assertThat(field(r.body(), "SERVER_PORT")).isEqualTo(Integer.toString(liso.port(0)));
            assertThat(field(r.body(), "CONTENT_LENGTH")).isNull();
            assertThat(field(r.body(), "PATH")).isNull();
            // Other paths are still the files'.
            Files.writeString(dir.resolve("plain.txt"), "static\n");
            assertThat(Curl.run(url(liso, "/plain.txt")).body()).isEqualTo("static\n");
            assertThat(Curl.run(url(liso, "/application")).status()).isEqualTo(404);
        }
    }

    @Test
    void aChunkedBodyArrivesWholeWithItsLength() throws Exception {
        byte[] big = new byte[3 << 20];
        new Random(7).nextBytes(big);
        Path upload = Files.write(dir.resolve("upload.bin"), big);
        try (Responder app = unixResponder(); LisoProcess liso = serve(app)) {
            // Chunked: the length is known only once the body is all read.
            Curl.Reply r = Curl.run("-H", "Transfer-Encoding: chunked", "-H", "Content-Type: application/x-test",
                    "--data-binary", "@" + upload, url(liso, "/app/env"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(field(r.body(), "length")).isEqualTo(Integer.toString(big.length));
            assertThat(field(r.body(), "CONTENT_LENGTH")).isEqualTo(Integer.toString(big.length));
            assertThat(field(r.body(), "CONTENT_TYPE")).isEqualTo("application/x-test");
            assertThat(field(r.body(), "sha256")).isEqualTo(sha256(big));
        }
    }

    @Test
    void connectionsAreKeptBetweenRequestsUnlessIdleIsZero() throws Exception {
        try (Responder app = unixResponder(); LisoProcess liso = serve(app, "--fastcgi-idle", "2")) {
            String first = Curl.run(url(liso, "/app/env")).body();
            String second = Curl.run(url(liso, "/app/env")).body();
            assertThat(field(second, "connection")).isEqualTo(field(first, "connection"));
            assertThat(field(second, "served")).isEqualTo("2");
        }
        try (Responder app = Responder.start(dir, "unix:" + dir.resolve("app1.sock")); LisoProcess liso = serve(app)) {
            // The default, --fastcgi-idle auto, keeps them too.
            String first = Curl.run(url(liso, "/app/env")).body();
            String second = Curl.run(url(liso, "/app/env")).body();
            assertThat(field(second, "connection")).isEqualTo(field(first, "connection"));
            assertThat(field(second, "served")).isEqualTo("2");
        }
        try (Responder app = Responder.start(dir, "unix:" + dir.resolve("app2.sock"));
                LisoProcess liso = serve(app, "--fastcgi-idle", "0")) {
            String first = Curl.run(url(liso, "/app/env")).body();
            String second = Curl.run(url(liso, "/app/env")).body();
            assertThat(field(second, "connection")).isNotEqualTo(field(first, "connection"));
            assertThat(field(second, "served")).isEqualTo("1");
            app.awaitEvent(e -> e.equals("closed " + field(first, "connection")));
        }
    }

    @Test
    void aKeptConnectionTheApplicationClosedIsNotUsedAgain() throws Exception {
        Path sock = dir.resolve("restart.sock");
        Responder app = Responder.start(dir, "unix:" + sock);
        try (LisoProcess liso = serve(app, "--fastcgi-idle", "1")) {
            assertThat(Curl.run(url(liso, "/app/env")).status()).isEqualTo(200);
            app.close(); // the kept connection's other end goes away
            Files.delete(sock);
            app = Responder.start(dir, "unix:" + sock);
            Curl.Reply r = Curl.run(url(liso, "/app/env"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(field(r.body(), "served")).isEqualTo("1");
        } finally {
            app.close();
        }
    }

    @Test
    void aTcpApplicationWorksAndAClosedPortIs502() throws Exception {
        try (Responder app = Responder.start(dir, "127.0.0.1:0"); LisoProcess liso = serve(app)) {
            assertThat(Curl.run(url(liso, "/app/env")).status()).isEqualTo(200);
        }
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (LisoProcess liso = LisoProcess.start(1, "serve", "--loops", "1", "--http", "127.0.0.1:0", "--no-https",
                "--root",
                dir.toString(), "--fastcgi", "/app=127.0.0.1:" + closed)) {
            Curl.Reply r = Curl.run(url(liso, "/app/env"));
            assertThat(r.status()).isEqualTo(502);
            assertThat(Curl.run(url(liso, "/app/env")).status()).as("the loop goes on").isEqualTo(502);
        }
    }

    @Test
    void anApplicationsFailuresAreAnswered() throws Exception {
        try (Responder app = unixResponder(); LisoProcess liso = serve(app, "--fastcgi-timeout", "1s")) {
            assertThat(Curl.run(url(liso, "/app/nohead")).status()).isEqualTo(502);
            assertThat(Curl.run(url(liso, "/app/overloaded")).status()).isEqualTo(503);
            assertThat(Curl.run(url(liso, "/app/badversion")).status()).isEqualTo(502);
            assertThat(Curl.run(url(liso, "/app/slow?ms=5000")).status()).isEqualTo(504);
            assertThat(Curl.run(url(liso, "/app/slow?ms=10")).status()).isEqualTo(200);
            assertThat(Curl.run(url(liso, "/app/missing")).status()).isEqualTo(404);
            // A response cut off after its head: the client connection closes short of the Content-Length.
            Curl.Reply cut = Curl.run(url(liso, "/app/close"));
            assertThat(cut.exit()).isEqualTo(18); // CURLE_PARTIAL_FILE
            Curl.Reply logged = Curl.run(url(liso, "/app/stderr"));
            assertThat(logged.body()).isEqualTo("logged\n");
            awaitLog(liso, "responder warning: something to log");
        }
    }

    @Test
    void aClientThatGoesAwayGetsItsRequestAborted() throws Exception {
        try (Responder app = unixResponder(); LisoProcess liso = serve(app, "--fastcgi-idle", "1")) {
            try (Socket s = new Socket("127.0.0.1", liso.port(0))) {
                // A reset, as from a client that died: the server learns of it while the application is silent (a
                // FIN alone is a half-close, after which HTTP/1.1 clients may still read the response).
                s.setSoLinger(true, 0);
                s.getOutputStream().write("GET /app/wait-abort HTTP/1.1\r\nHost: t\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                readUntil(s.getInputStream(), "first part");
            }
            String abort = app.awaitEvent(e -> e.startsWith("abort "));
            // The application answered the abort with END_REQUEST, so its connection was kept and is used again.
            String next = Curl.run(url(liso, "/app/env")).body();
            assertThat("abort " + field(next, "connection")).isEqualTo(abort);
        }
    }

    @Test
    void aClientResetWhileTheApplicationIsSilentGetsItsRequestAborted() throws Exception {
        try (Responder app = unixResponder(); LisoProcess liso = serve(app)) {
            try (Socket s = new Socket("127.0.0.1", liso.port(0))) {
                s.setSoLinger(true, 0);
                s.getOutputStream().write("GET /app/slow?ms=20000 HTTP/1.1\r\nHost: t\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                app.awaitEvent(e -> e.equals("request 1 /slow"));
            } // a reset before any byte of the answer
            assertThat(app.awaitEvent(e -> e.startsWith("abort "))).isEqualTo("abort 1");
        }
    }

    /**
     * A FIN after a complete request is a half-close: the client may still read (RFC 9112 §9.6 has servers close in
     * stages for that reason, and lighttpd and CGI serve such a client), and a FIN cannot be told from a full close
     * without writing, so the call goes on and the answer is sent; only a reset, or a failed write, is a client gone.
     */
    @Test
    void aHalfClosedClientGetsItsAnswerAndItsRequestIsNotAborted() throws Exception {
        try (Responder app = unixResponder(); LisoProcess liso = serve(app, "--fastcgi-idle", "1")) {
            try (Socket s = new Socket("127.0.0.1", liso.port(0))) {
                s.getOutputStream().write("GET /app/slow?ms=1500 HTTP/1.1\r\nHost: t\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                s.shutdownOutput();
                String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                // Whole (Content-Length) or chunked, as the application's records fell into reads.
                assertThat(reply).startsWith("HTTP/1.1 200 ").containsPattern("\r\n\r\n(a\r\n)?slow done\n");
            } // readAllBytes returned: the server closed after the answer, as no request can follow
            String next = Curl.run(url(liso, "/app/env")).body();
            assertThat(field(next, "served")).as("the kept connection served both").isEqualTo("2");
            assertThat(app.events()).noneMatch(e -> e.startsWith("abort "));
        }
    }

    @Test
    void requestsBeyondTheConnectionLimitWaitTheirTurn() throws Exception {
        try (Responder app = unixResponder();
                LisoProcess liso = serve(app, "--fastcgi-conns", "1", "--fastcgi-idle", "1", "--fastcgi-timeout", "3s")) {
            // Three at once over one connection: each waits for the one before; all three reuse connection 1.
            List<Process> clients = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                clients.add(new ProcessBuilder("curl", "-sS", "--max-time", "30", url(liso, "/app/slow?ms=300"))
                        .start());
            }
            for (Process c : clients) {
                assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("slow done\n");
            }
            assertThat(app.events()).filteredOn(e -> e.startsWith("connection ")).containsExactly("connection 1");
            assertThat(app.events()).filteredOn(e -> e.startsWith("request ")).hasSize(3);
        }
        try (Responder app = Responder.start(dir, "unix:" + dir.resolve("one.sock"));
                LisoProcess liso = serve(app, "--fastcgi-conns", "1", "--fastcgi-timeout", "1s")) {
            // The one connection stays busy with a response that keeps moving; a request waiting for it past the
            // timeout is a 504, and the busy one finishes.
            Process trickle = new ProcessBuilder("curl", "-sS", "--max-time", "30", url(liso, "/app/trickle?ms=3000"))
                    .start();
            app.awaitEvent(e -> e.equals("request 1 /trickle"));
            long t0 = System.nanoTime();
            assertThat(Curl.run(url(liso, "/app/env")).status()).isEqualTo(504);
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(900L);
            assertThat(new String(trickle.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo(".".repeat(30));
            assertThat(app.events()).filteredOn(e -> e.startsWith("request ")).containsExactly("request 1 /trickle");
            assertThat(Curl.run(url(liso, "/app/env")).status()).isEqualTo(200);
        }
    }

    @Test
    void aSlowClientHoldsTheApplicationBack() throws Exception {
        long total = 256L << 20;
        try (Responder app = unixResponder(); LisoProcess liso = serve(app)) {
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(64 * 1024); // before connect, so it also bounds the window it announces
                s.connect(new java.net.InetSocketAddress("127.0.0.1", liso.port(0)), 5000);
                s.getOutputStream().write(("GET /app/big?bytes=" + total + " HTTP/1.1\r\nHost: t\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                readUntil(in, "\r\n\r\n");
                // Not reading: the server's queue, the body's queue and the socket buffers fill, then the application
                // blocks. Its progress must stop far short of the whole body.
                long stalled = awaitStall(app);
                assertThat(stalled).isLessThan(total / 4);
                byte[] buf = new byte[1 << 16];
                long got = 0;
                for (int n; got < total && (n = in.read(buf)) > 0; ) {
                    got += n;
                }
                assertThat(got).isEqualTo(total);
            }
        }
    }

    /** Waits until the responder's "sent N" lines stop growing for a while, and returns the last N. */
    private static long awaitStall(Responder app) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long last = -1;
        long since = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long sent = app.events().stream().filter(e -> e.startsWith("sent ")).mapToLong(e -> Long.parseLong(
                    e.substring(5))).max().orElse(0);
            if (sent != last) {
                last = sent;
                since = System.nanoTime();
            } else if (sent > 0 && System.nanoTime() - since > TimeUnit.SECONDS.toNanos(2)) {
                return sent;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the application never stalled; sent " + last);
    }

    private static void readUntil(InputStream in, String marker) throws IOException {
        StringBuilder seen = new StringBuilder();
        for (int b; (b = in.read()) >= 0; ) {
            seen.append((char) b);
            if (seen.indexOf(marker) >= 0) {
                return;
            }
        }
        throw new IOException("connection ended before " + marker + ": " + seen);
    }

    private static void awaitLog(LisoProcess liso, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!liso.stderr().contains(text)) {
            assertThat(System.nanoTime()).as("log line with " + text + " in " + liso.stderr()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
