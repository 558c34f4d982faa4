package org.liso.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.liso.cgi.CgiCounts;
import org.liso.loop.ConnectionBudget;
import org.liso.loop.EventLoop;
import org.liso.server.AccessLog;
import org.liso.server.HttpServer;
import org.liso.server.ServerConfig;
import org.liso.server.spi.Body;
import org.liso.server.spi.Handler;
import org.liso.server.spi.Response;
import org.liso.transport.TransportFactory;

/**
 * Two loops, each with its own server and counters, and the admin listener on the first (as serve wires it): a
 * scrape sums both loops' counters, lists each loop's own when there are several, and passes promtool; a loop stuck in
 * a callback is left out after the scrape's timeout instead of hanging the scrape.
 */
class MultiLoopMetricsIT {
    private final List<EventLoop> loops = new ArrayList<>();

    private static final Handler HANDLER = x -> {
        if (x.request().path().equals("/boom")) {
            throw new IllegalStateException("a handler fault, on purpose");
        }
        if (x.request().path().equals("/silent")) {
            return; // never answers: the response timeout answers 500 in its place
        }
        if (x.request().path().equals("/chosen")) {
            x.respond(Response.of(500, "text/plain", Body.text("the handler's own 500\n")));
            return;
        }
        x.respond(Response.of(200, "text/plain", Body.text("hi\n")));
    };

    private EventLoop loop(String name) throws IOException {
        EventLoop l = new EventLoop(name);
        loops.add(l);
        return l;
    }

    private static void start(EventLoop l) {
        Thread t = new Thread(l::run, l.name());
        t.setDaemon(true);
        t.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (EventLoop l : loops) {
            l.stop();
            l.awaitStop(5000);
        }
    }

    private static HttpServer server(EventLoop loop) {
        return new HttpServer(loop, ServerConfig.DEFAULT.withResponseTimeout(300), HANDLER, AccessLog.NONE,
                new ConnectionBudget(64));
    }

    @Test
    void aScrapeSumsEveryLoopAndListsEach() throws Exception {
        EventLoop a = loop("http-0");
        EventLoop b = loop("http-1");
        HttpServer sa = server(a);
        HttpServer sb = server(b);
        InetSocketAddress pa = sa.listen(new InetSocketAddress("127.0.0.1", 0), TransportFactory.PLAIN, 16);
        InetSocketAddress pb = sb.listen(new InetSocketAddress("127.0.0.1", 0), TransportFactory.PLAIN, 16);
        HttpServer admin = new HttpServer(a, ServerConfig.DEFAULT, new AdminHandler(List.of(sa, sb), new Health(),
                () -> new CgiCounts(1, 5, 2, 1)), AccessLog.NONE, new ConnectionBudget(8));
        InetSocketAddress pAdmin = admin.listen(new InetSocketAddress("127.0.0.1", 0), TransportFactory.PLAIN, 16);
        start(a);
        start(b);

        for (int i = 0; i < 3; i++) {
            assertThat(get(pa, "/")).startsWith("HTTP/1.1 200");
        }
        assertThat(get(pb, "/")).startsWith("HTTP/1.1 200");
        assertThat(get(pb, "/boom")).startsWith("HTTP/1.1 500");
        assertThat(get(pb, "/silent")).startsWith("HTTP/1.1 500");
        assertThat(get(pb, "/chosen")).startsWith("HTTP/1.1 500");
        assertThat(get(pa, "/metrics")).as("the public server has no metrics").doesNotContain("liso_");

        String m = body(get(pAdmin, "/metrics"));
        assertThat(m).contains(
                "liso_loops 2\n",
                // four on the first loop, one on the second
                "liso_http_requests_total{protocol=\"HTTP/1.1\",code=\"2xx\"} 5\n",
                "liso_http_requests_total{protocol=\"HTTP/1.1\",code=\"5xx\"} 3\n",
                "liso_http_server_errors_total{cause=\"handler_fault\"} 1\n",
                "liso_http_server_errors_total{cause=\"response_timeout\"} 1\n",
                "liso_http_server_errors_total{cause=\"application\"} 1\n",
                "liso_http_server_errors_total{cause=\"internal\"} 0\n",
                "liso_connections_accepted_total 8\n",
                "liso_loop_requests_total{loop=\"http-0\"} 4\n", // three, and the /metrics asked of the public one
                "liso_loop_requests_total{loop=\"http-1\"} 4\n",
                "liso_loop_lag_seconds_count{loop=\"http-0\"}",
                "liso_loop_lag_seconds_count{loop=\"http-1\"}",
                "liso_cgi_running 1\n", "liso_cgi_failed_total 2\n", "liso_cgi_timeouts_total 1\n",
                "liso_scrape_loops_missing 0\n");
        assertThat(m).doesNotContain("loop=\"admin");
        promtool(m);
    }

    @Test
    void aStuckLoopIsLeftOutAfterTheScrapeTimeout() throws Exception {
        EventLoop a = loop("http-0");
        EventLoop b = loop("http-1");
        HttpServer sa = server(a);
        HttpServer sb = server(b);
        sa.listen(new InetSocketAddress("127.0.0.1", 0), TransportFactory.PLAIN, 16);
        sb.listen(new InetSocketAddress("127.0.0.1", 0), TransportFactory.PLAIN, 16);
        HttpServer admin = new HttpServer(a, ServerConfig.DEFAULT, new AdminHandler(List.of(sa, sb), new Health(),
                null), AccessLog.NONE, new ConnectionBudget(8));
        InetSocketAddress pAdmin = admin.listen(new InetSocketAddress("127.0.0.1", 0), TransportFactory.PLAIN, 16);
        start(a);
        start(b);
        CompletableFuture<Void> release = new CompletableFuture<>();
        b.execute(release::join); // loop b is stuck in a callback until the test lets it go
        try {
            long t0 = System.nanoTime();
            String m = body(get(pAdmin, "/metrics"));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(m).contains("liso_scrape_loops_missing 1\n", "liso_loops 2\n",
                    "liso_loop_lag_seconds_count{loop=\"http-0\"}").doesNotContain("loop=\"http-1\"");
            assertThat(ms).as("scrape time").isBetween(Scrape.TIMEOUT_MILLIS - 100, Scrape.TIMEOUT_MILLIS + 3000);
        } finally {
            release.complete(null);
        }
    }

    /** promtool (from scripts/install-test-tools.sh) lints the exposition: names, types, help, units. */
    static void promtool(String metrics) throws Exception {
        Path f = Files.createTempFile("metrics", ".prom");
        try {
            Files.writeString(f, metrics);
            Process p = new ProcessBuilder("promtool", "check", "metrics").redirectInput(f.toFile())
                    .redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("promtool check metrics said: " + said).isZero();
            assertThat(said.strip()).as("promtool's lint findings").isEmpty();
        } finally {
            Files.deleteIfExists(f);
        }
    }

    /** One request on its own connection (Connection: close); the whole response as text. */
    static String get(InetSocketAddress to, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(to, 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String body(String response) {
        assertThat(response).startsWith("HTTP/1.1 200");
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
}
