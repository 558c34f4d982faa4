package org.liso.http2;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;

/**
 * Real HTTP/2 clients against {@code liso serve}: curl over TLS (ALPN h2) and by prior knowledge, nghttp and h2load
 * from nghttp2, python's h2, and the JDK's HttpClient — the same files and CGI as HTTP/1.1, byte for byte.
 */
class Http2ClientsIT {
    private static final int BIG = 100 << 20;

    @TempDir
    static Path tmp;
    static LisoProcess server;
    static String https;
    static String http;
    static Path root;
    static Path accessLog;

    @BeforeAll
    static void start() throws Exception {
        root = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(root.resolve("index.html"), "<html><link rel=stylesheet href=/a.css><img src=/b.svg></html>");
        Files.writeString(root.resolve("a.css"), "body{}");
        Files.writeString(root.resolve("b.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
        byte[] big = new byte[BIG];
        new Random(7).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        Path cgi = tmp.resolve("echo.cgi");
        Files.writeString(cgi, "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n'\n"
                + "echo \"$SERVER_PROTOCOL $REQUEST_METHOD $CONTENT_LENGTH\"\nsha256sum | cut -c1-64\n");
        Files.setPosixFilePermissions(cgi, PosixFilePermissions.fromString("rwx------"));
        accessLog = tmp.resolve("access.log");
        server = LisoProcess.start(2, "serve", "--root", root.toString(), "--http", "127.0.0.1:0", "--https",
                "127.0.0.1:0", "--h2c", "--cgi", cgi.toString(), "--access-log", accessLog.toString());
        http = server.url(0);
        https = server.url(1);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    record Run(int exit, byte[] out, String err) {
        String text() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    static Run run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not finish: " + List.of(cmd));
        }
        return new Run(p.exitValue(), out, new String(err.get(), StandardCharsets.UTF_8));
    }

    static Run curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "--max-time", "60", "-sS", "-k"));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(new String[0]));
    }

    @Test
    void curlNegotiatesH2ByAlpnAndGetsTheFile() throws Exception {
        Run r = curl("--http2", "-w", "\n%{http_version} %{http_code}", https + "a.css");
        assertThat(r.text()).isEqualTo("body{}\n2 200");
    }

    @Test
    void curlByPriorKnowledgeSpeaksH2OnThePlainListener() throws Exception {
        Run r = curl("--http2-prior-knowledge", "-w", "\n%{http_version} %{http_code}", http + "a.css");
        assertThat(r.text()).isEqualTo("body{}\n2 200");
    }

    @Test
    void headRangeAndConditionalRequestsWorkOverH2() throws Exception {
        Run head = curl("--http2", "-I", https + "big.bin");
        assertThat(head.text()).startsWith("HTTP/2 200").contains("content-length: " + BIG);
        Run range = curl("--http2", "-r", "10-19", "-w", "|%{http_code}|%{size_download}", https + "big.bin");
        byte[] want = java.util.Arrays.copyOfRange(Files.readAllBytes(root.resolve("big.bin")), 10, 20);
        assertThat(java.util.Arrays.copyOfRange(range.out(), 0, 10)).isEqualTo(want);
        assertThat(new String(range.out(), 10, range.out().length - 10, StandardCharsets.ISO_8859_1))
                .isEqualTo("|206|10");
        String etag = curl("--http2", "-I", https + "a.css").text().lines()
                .filter(l -> l.startsWith("etag:")).findFirst().orElseThrow().substring(6).trim();
        Run cond = curl("--http2", "-H", "If-None-Match: " + etag, "-w", "%{http_code}", https + "a.css");
        assertThat(cond.text()).isEqualTo("304");
    }

    @Test
    void aPostReachesCgiWithServerProtocolHttp2() throws Exception {
        Path body = tmp.resolve("post.bin");
        byte[] b = new byte[3 << 20]; // beyond the 1 MiB stream window: flow control carries it
        new Random(3).nextBytes(b);
        Files.write(body, b);
        Run r = curl("--http2", "--data-binary", "@" + body, https + "cgi/");
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        assertThat(r.text()).isEqualTo("HTTP/2 POST " + b.length + "\n" + sha + "\n");
    }

    @Test
    void a100MiBFileArrivesByteExactOverTlsAndCleartext() throws Exception {
        Path got = tmp.resolve("got.bin");
        for (String base : new String[] {https, http}) {
            Files.deleteIfExists(got);
            Run r = curl(base.startsWith("https") ? "--http2" : "--http2-prior-knowledge", "-o", got.toString(),
                    "-w", "%{http_version}", base + "big.bin");
            assertThat(r.text()).as(base).isEqualTo("2");
            assertThat(Files.mismatch(got, root.resolve("big.bin"))).as(base).isEqualTo(-1L);
        }
    }

    @Test
    void nghttpFetchesThePageAndItsAssetsOnOneConnection() throws Exception {
        Run r = run("nghttp", "-ans", https);
        assertThat(r.exit()).as(r.err()).isZero();
        String out = r.text();
        assertThat(out).contains(" 200 ", "/a.css", "/b.svg");
        assertThat(out.lines().filter(l -> l.matches("\\s*\\d+\\s+\\+.*")).count()).isEqualTo(3);
    }

    @Test
    void h2loadGetsEveryAnswerWithManyStreamsPerConnection() throws Exception {
        for (String url : new String[] {https + "a.css", http + "a.css"}) {
            Run r = run("h2load", "-n", "2000", "-c", "4", "-m", "20", url);
            assertThat(r.text()).as(url).contains("2000 succeeded, 0 failed, 0 errored", "status codes: 2000 2xx");
        }
    }

    @Test
    void pythonH2SeesTwentyConcurrentStreamsAnswered() throws Exception {
        Path script = tmp.resolve("h2client.py");
        Files.writeString(script, String.join("\n",
                "import socket, ssl, sys, h2.connection, h2.events",
                "host, port = sys.argv[1], int(sys.argv[2])",
                "ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE",
                "ctx.set_alpn_protocols(['h2'])",
                "s = ctx.wrap_socket(socket.create_connection((host, port)), server_hostname='localhost')",
                "assert s.selected_alpn_protocol() == 'h2', s.selected_alpn_protocol()",
                "c = h2.connection.H2Connection(); c.initiate_connection()",
                "ids = [c.get_next_available_stream_id() for _ in range(1)]",
                "streams = {}",
                "for i in range(20):",
                "    sid = c.get_next_available_stream_id()",
                "    c.send_headers(sid, [(':method','GET'),(':scheme','https'),(':authority','localhost'),",
                "                         (':path','/a.css' if i % 2 else '/b.svg')], end_stream=True)",
                "    streams[sid] = [None, b'']",
                "s.sendall(c.data_to_send()); done = 0",
                "while done < 20:",
                "    data = s.recv(65536)",
                "    if not data: break",
                "    for e in c.receive_data(data):",
                "        if isinstance(e, h2.events.ResponseReceived): streams[e.stream_id][0] = dict(e.headers)[b':status']",
                "        elif isinstance(e, h2.events.DataReceived):",
                "            streams[e.stream_id][1] += e.data; c.acknowledge_received_data(len(e.data), e.stream_id)",
                "        elif isinstance(e, h2.events.StreamEnded): done += 1",
                "    s.sendall(c.data_to_send())",
                "ok = sum(1 for st, b in streams.values() if st == b'200' and b in (b'body{}', b\"<svg xmlns='http://www.w3.org/2000/svg'/>\"))",
                "print(ok)", ""));
        java.net.URI u = URI.create(https);
        Run r = run("/usr/bin/python3", script.toString(), u.getHost(), Integer.toString(u.getPort()));
        assertThat(r.text().trim()).as(r.err()).isEqualTo("20");
    }

    @Test
    void theJdkHttpClientUsesHttp2() throws Exception {
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(trustAll).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(https + "a.css")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(r.body()).isEqualTo("body{}");
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(https + "cgi/"))
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.body()).startsWith("HTTP/2 POST 5\n");
    }

    @Test
    void aRequestRefusedBeforeItParsedIsLoggedWithoutARequestLine() throws Exception {
        Run r = curl("--http2", "-H", "X-Big: " + "b".repeat(20_000), "-w", "%{http_version} %{http_code}",
                "-o", "/dev/null", https + "a.css?too-large");
        assertThat(r.text()).isEqualTo("2 431");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> lines = List.of();
        while (lines.isEmpty() && System.nanoTime() < deadline) {
            lines = Files.readAllLines(accessLog).stream().filter(l -> l.contains("\" 431 ")).toList();
            if (lines.isEmpty()) {
                Thread.sleep(50); // the poll interval of a deadline-bounded wait
            }
        }
        // As for an HTTP/1.1 head that never parsed: "-", not a request the client did not make.
        assertThat(lines).hasSize(1).first().asString().contains("\"-\" 431 ").doesNotContain("GET /");
    }

    @Test
    void theAccessLogShowsHttp2AsNginxDoes() throws Exception {
        curl("--http2", https + "a.css?log-check");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String line = null;
        while (line == null && System.nanoTime() < deadline) {
            line = Files.readAllLines(accessLog).stream().filter(l -> l.contains("/a.css?log-check")).findFirst()
                    .orElse(null);
            if (line == null) {
                Thread.sleep(50); // the poll interval of a deadline-bounded wait
            }
        }
        assertThat(line).contains("\"GET /a.css?log-check HTTP/2.0\" 200 6");
    }
}
