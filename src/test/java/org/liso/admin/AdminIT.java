package org.liso.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;

/**
 * {@code liso serve --admin}: a real server with HTTP, HTTPS and CGI, real clients (sockets, openssl s_client with a
 * saved session), then its /metrics counts what they did, by status class and protocol, 5xx by cause, TLS handshakes
 * full, resumed and failed, CGI failures and timeouts, and promtool finds nothing to lint. The admin paths exist on
 * the admin listener only.
 */
class AdminIT {
    private static final String SCRIPT = """
            #!/bin/sh
            case "$PATH_INFO" in
              /nohead) exit 3 ;;
              /slow) exec sleep 30 ;;
              /error) printf 'Status: 500 Oops\\r\\nContent-Type: text/plain\\r\\n\\r\\nscript error\\n' ;;
              *) printf 'Content-Type: text/plain\\r\\n\\r\\nok\\n' ;;
            esac
            """;

    @TempDir
    Path dir;

    @Test
    void metricsCountWhatRealClientsDid() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("index.html"), "hello\n");
        Path cgi = dir.resolve("app.cgi");
        Files.writeString(cgi, SCRIPT);
        Files.setPosixFilePermissions(cgi, PosixFilePermissions.fromString("rwxr-xr-x"));
        // JSSE: its session times are exact, so a session resumed at once counts as resumed (BoringSSL's are seconds).
        try (LisoProcess liso = LisoProcess.start(3, "serve", "--loops", "1", "--tls-provider", "jdk", "--root",
                root.toString(),
                "--http", "127.0.0.1:0",
                "--https", "127.0.0.1:0", "--cgi", cgi.toString(), "--cgi-timeout", "1s",
                "--admin", "127.0.0.1:0", "-q")) {
            InetSocketAddress http = address(liso, 0);
            InetSocketAddress https = address(liso, 1);
            InetSocketAddress admin = address(liso, 2);
            assertThat(liso.url(2)).startsWith("http://127.0.0.1:");

            assertThat(MultiLoopMetricsIT.get(http, "/")).startsWith("HTTP/1.1 200");
            assertThat(MultiLoopMetricsIT.get(http, "/missing")).startsWith("HTTP/1.1 404");
            assertThat(MultiLoopMetricsIT.get(http, "/cgi/ok")).startsWith("HTTP/1.1 200");
            assertThat(MultiLoopMetricsIT.get(http, "/cgi/nohead")).startsWith("HTTP/1.1 502");
            assertThat(MultiLoopMetricsIT.get(http, "/cgi/error")).startsWith("HTTP/1.1 500");
            assertThat(MultiLoopMetricsIT.get(http, "/cgi/slow")).startsWith("HTTP/1.1 504");
            assertThat(raw(http, "NOT A REQUEST\r\n\r\n")).startsWith("HTTP/1.1 400");
            // The admin paths are not on the public listener: there, /metrics is a file the root does not have.
            assertThat(MultiLoopMetricsIT.get(http, "/metrics")).startsWith("HTTP/1.1 404");
            assertThat(MultiLoopMetricsIT.get(http, "/healthz")).startsWith("HTTP/1.1 404");

            Path session = dir.resolve("tls.session");
            assertThat(sClient(https, "-sess_out", session.toString())).contains("HTTP/1.1 200").contains("New,");
            assertThat(sClient(https, "-sess_in", session.toString())).contains("HTTP/1.1 200").contains("Reused,");
            try (Socket s = new Socket()) {
                s.connect(https, 5000); // and gone before any ClientHello: a failed handshake
            }

            String m = awaitMetrics(admin, List.of(
                    "liso_http_requests_total{protocol=\"HTTP/1.1\",code=\"2xx\"} 2\n",
                    "liso_http_requests_total{protocol=\"HTTP/1.0\",code=\"2xx\"} 2\n", // s_client's two
                    "liso_http_requests_total{protocol=\"HTTP/1.1\",code=\"4xx\"} 3\n",
                    "liso_http_requests_total{protocol=\"unknown\",code=\"4xx\"} 1\n",
                    "liso_http_requests_total{protocol=\"HTTP/1.1\",code=\"5xx\"} 3\n",
                    "liso_http_server_errors_total{cause=\"bad_gateway\"} 1\n",
                    "liso_http_server_errors_total{cause=\"gateway_timeout\"} 1\n",
                    "liso_http_server_errors_total{cause=\"application\"} 1\n",
                    "liso_http_server_errors_total{cause=\"handler_fault\"} 0\n",
                    "liso_tls_handshakes_total{result=\"full\"} 1\n",
                    "liso_tls_handshakes_total{result=\"resumed\"} 1\n",
                    "liso_tls_handshakes_total{result=\"failed\"} 1\n",
                    "liso_cgi_started_total 4\n",
                    "liso_cgi_failed_total 1\n",
                    "liso_cgi_timeouts_total 1\n",
                    "liso_cgi_running 0\n",
                    "liso_connections_accepted_total 12\n",
                    "liso_loops 1\n",
                    "liso_draining 0\n"));
            assertThat(m).containsPattern("\nliso_received_bytes_total [1-9][0-9]{2,}\n")
                    .containsPattern("\nliso_sent_bytes_total [1-9][0-9]{3,}\n")
                    .containsPattern("\nprocess_open_fds [1-9][0-9]*\n")
                    .containsPattern("\nprocess_max_fds [1-9][0-9]*\n")
                    .containsPattern("\nliso_heap_used_bytes [1-9][0-9]*\n")
                    .containsPattern("\nliso_loop_lag_seconds\\{loop=\"http\",quantile=\"0.99\"} [0-9.E-]+\n")
                    .containsPattern("\nliso_loop_lag_seconds_count\\{loop=\"http\"} [1-9][0-9]*\n")
                    .doesNotContain("liso_loop_requests_total"); // per-loop series only with several loops
            MultiLoopMetricsIT.promtool(m);

            String metricsHead = MultiLoopMetricsIT.get(admin, "/metrics");
            assertThat(metricsHead).containsIgnoringCase("Content-Type: text/plain; version=0.0.4");
            assertThat(MultiLoopMetricsIT.get(admin, "/healthz")).startsWith("HTTP/1.1 200").endsWith("\r\n\r\nok\n");
            assertThat(raw(admin, "HEAD /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 200");
            assertThat(MultiLoopMetricsIT.get(admin, "/")).startsWith("HTTP/1.1 404");
            assertThat(MultiLoopMetricsIT.get(admin, "/index.html")).startsWith("HTTP/1.1 404");
            assertThat(raw(admin, "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close"
                    + "\r\n\r\n")).startsWith("HTTP/1.1 405").containsIgnoringCase("Allow: GET, HEAD");
            // The admin requests are not the public server's: its counts did not move.
            assertThat(awaitMetrics(admin, List.of())).contains(
                    "liso_http_requests_total{protocol=\"HTTP/1.1\",code=\"2xx\"} 2\n",
                    "liso_http_requests_total{protocol=\"HTTP/1.1\",code=\"4xx\"} 3\n");
        }
    }

    static InetSocketAddress address(LisoProcess liso, int i) {
        return new InetSocketAddress("127.0.0.1", liso.port(i));
    }

    /** Scrapes until every line of {@code expected} is in the exposition, or 15 s are over; returns the last. */
    static String awaitMetrics(InetSocketAddress admin, List<String> expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        String m;
        do {
            m = MultiLoopMetricsIT.body(MultiLoopMetricsIT.get(admin, "/metrics"));
            String got = m;
            if (expected.stream().allMatch(got::contains)) {
                return m;
            }
            Thread.sleep(50); // a poll interval, inside the deadline
        } while (System.nanoTime() < deadline);
        assertThat(m).contains(expected); // fails, naming what is missing
        return m;
    }

    static String raw(InetSocketAddress to, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(to, 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** One HTTP/1.0 request through openssl s_client (TLS 1.3); what it printed, session summary included. */
    private static String sClient(InetSocketAddress to, String... session) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect",
                "127.0.0.1:" + to.getPort(), "-tls1_3", "-ign_eof"));
        cmd.addAll(List.of(session));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().write("GET / HTTP/1.0\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
