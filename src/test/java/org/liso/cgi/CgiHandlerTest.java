package org.liso.cgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.Log;
import org.liso.http.HttpException;
import org.liso.loop.EventLoop;

/** The handler with real sh and python3 scripts, driven through {@link LoopExchange} on a real loop thread. */
class CgiHandlerTest {

    @TempDir
    Path dir;
    private EventLoop loop;
    private Thread loopThread;
    private CgiHandler handler;
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private Log.Sink previousSink;

    @BeforeEach
    void startLoop() throws Exception {
        loop = new EventLoop("cgi-test");
        loopThread = new Thread(loop::run, "cgi-test-loop");
        loopThread.start();
        previousSink = Log.sink();
        Log.setSink(line -> {
            logLines.add(line);
            previousSink.line(line);
        });
    }

    @AfterEach
    void stopLoop() throws Exception {
        if (handler != null) {
            awaitIdle();
            handler.close();
        }
        Log.setSink(previousSink);
        loop.stop();
        assertThat(loop.awaitStop(10_000)).isTrue();
    }

    private CgiHandler cases(CgiOptions options) {
        handler = new CgiHandler(CgiScripts.install("cases.sh", dir), options);
        return handler;
    }

    private LoopExchange.Result get(String target) throws Exception {
        return send(exchange("GET " + target + " HTTP/1.1\r\nHost: localhost:8080\r\n\r\n", new byte[0], false, -1));
    }

    private LoopExchange exchange(String head, byte[] body, boolean secure, long abortAfter) {
        return new LoopExchange(loop, head, body, secure, abortAfter);
    }

    private LoopExchange.Result send(LoopExchange ex) throws Exception {
        start(ex);
        return ex.result.get(30, TimeUnit.SECONDS);
    }

    private void start(LoopExchange ex) {
        loop.execute(() -> {
            try {
                handler.handle(ex);
            } catch (HttpException e) {
                ex.fail(e);
            }
        });
    }

    private static String post(String target, int length, String type) {
        return "POST " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + type + "\r\nContent-Length: "
                + length + "\r\n\r\n";
    }

    /** Every script reaped and every pump ended: the handler's slot count is back to zero. */
    private void awaitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (handler.running() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(handler.running()).as("scripts still running").isZero();
    }

    @Test
    void theIssueExampleReachesTheScript() throws Exception {
        cases(CgiOptions.DEFAULT);
        LoopExchange.Result r = get("/cgi/testfun/arg1/arg2?test=test");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).contains("PATH_INFO=/testfun/arg1/arg2\n", "QUERY_STRING=test=test\n",
                "SCRIPT_NAME=/cgi\n", "GATEWAY_INTERFACE=CGI/1.1\n", "REQUEST_METHOD=GET\n",
                "SERVER_PORT=8080\n", "REMOTE_ADDR=127.0.0.1\n", "HTTP_HOST=localhost:8080\n",
                "REQUEST_URI=/cgi/testfun/arg1/arg2?test=test\n")
                .doesNotContain("HTTPS=");
    }

    @Test
    void httpsIsOnOverTlsAndProxyNeverPassed() throws Exception {
        cases(CgiOptions.DEFAULT);
        LoopExchange.Result r = send(exchange("GET /cgi/env HTTP/1.1\r\nHost: h\r\nProxy: http://evil:3128\r\n\r\n",
                new byte[0], true, -1));
        assertThat(r.text()).contains("HTTPS=on\n").doesNotContain("HTTP_PROXY", "evil");
    }

    @Test
    void anHttp2RequestIsServerProtocolHttp2() throws Exception {
        cases(CgiOptions.DEFAULT);
        org.liso.http.Headers h = new org.liso.http.Headers();
        h.add("host", "h");
        org.liso.http.Request r = org.liso.http.Request.of("GET", "/cgi/env", org.liso.http.Version.HTTP_2, h,
                org.liso.http.BodyKind.NONE, -1);
        LoopExchange.Result res = send(new LoopExchange(loop, r, new byte[0], true, -1));
        assertThat(res.text()).contains("SERVER_PROTOCOL=HTTP/2\n");
    }

    @Test
    void getWithQueryAndPostedFormInPython() throws Exception {
        handler = new CgiHandler(CgiScripts.install("form.py", dir), CgiOptions.DEFAULT);
        LoopExchange.Result q = get("/cgi/form?b=2&a=%C3%A9+x");
        assertThat(q.status()).isEqualTo(200);
        assertThat(q.text()).isEqualTo("a=\u00e9 x\nb=2\n");
        byte[] form = "name=Ada+Lovelace&lang=en&empty=".getBytes(StandardCharsets.US_ASCII);
        LoopExchange.Result p = send(exchange(post("/cgi/form", form.length, "application/x-www-form-urlencoded"),
                form, false, -1));
        assertThat(p.status()).isEqualTo(200);
        assertThat(p.headers().get("Content-Length")).isEqualTo(Integer.toString(p.content().length));
        assertThat(p.text()).isEqualTo("empty=\nlang=en\nname=Ada Lovelace\n");
    }

    @Test
    void tenMebibytePostRoundTripsByteExactThroughATemporaryFile() throws Exception {
        Path spool = Files.createDirectories(dir.resolve("spool"));
        cases(CgiOptions.DEFAULT.withBodyDirectory(spool));
        byte[] body = new byte[10 << 20];
        new Random(43).nextBytes(body);
        LoopExchange ex = exchange(post("/cgi/echo", body.length, "application/octet-stream"), body, false, -1);
        LoopExchange.Result r = send(ex);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.content()).hasSize(body.length).isEqualTo(body);
        assertThat(ex.pauses()).as("buffering never pauses the body").isZero();
        try (var names = Files.list(spool)) {
            assertThat(names).as("the temporary file is unlinked at once").isEmpty();
        }
    }

    @Test
    void tenMebibytePostStreamsByteExactWithBackPressure() throws Exception {
        cases(CgiOptions.DEFAULT.withStreamBody(true));
        byte[] body = new byte[10 << 20];
        new Random(42).nextBytes(body);
        LoopExchange ex = exchange(post("/cgi/echo", body.length, "application/octet-stream"), body, false, -1);
        LoopExchange.Result r = send(ex);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyFailed()).isFalse();
        assertThat(r.content()).hasSize(body.length).isEqualTo(body);
        // The body was paused at least once: the handler held no more than its high-water mark at a time.
        assertThat(ex.pauses()).isPositive();
    }

    @Test
    void nphResponseIsPassedOn() throws Exception {
        cases(CgiOptions.DEFAULT);
        LoopExchange.Result r = get("/cgi/nph");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().get("X-Nph")).isEqualTo("yes");
        assertThat(r.headers().get("Content-Length")).isEqualTo("9");
        assertThat(r.text()).isEqualTo("nph says ");
    }

    @Test
    void withPassthroughAnNphResponseIsItsOwnBytesHeadIncluded() throws Exception {
        cases(CgiOptions.DEFAULT.withNphPassthrough(true).withServerSoftware("Liso/1.0"));
        LoopExchange.Result r = get("/cgi/nph");
        assertThat(r.status()).as("for the access log, from the script's status line").isEqualTo(200);
        assertThat(r.headers().size()).as("nothing for the server to add or frame").isZero();
        assertThat(r.text()).isEqualTo(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 9\r\nX-Nph: yes\r\n\r\nnph says ");
        // A CGI-style head is still the server's to turn into HTTP.
        LoopExchange.Result cgi = get("/cgi/status");
        assertThat(cgi.status()).isEqualTo(418);
        assertThat(cgi.text()).isEqualTo("short and stout\n");
        assertThat(get("/cgi/env").text()).contains("SERVER_SOFTWARE=Liso/1.0\n");
    }

    @Test
    void statusAndLocationFields() throws Exception {
        cases(CgiOptions.DEFAULT);
        LoopExchange.Result teapot = get("/cgi/status");
        assertThat(teapot.status()).isEqualTo(418);
        assertThat(teapot.headers().contains("Status")).isFalse();
        assertThat(teapot.text()).isEqualTo("short and stout\n");
        LoopExchange.Result local = get("/cgi/redirect-local");
        assertThat(local.status()).isEqualTo(302);
        assertThat(local.headers().get("Location")).isEqualTo("/somewhere/else?x=1");
        LoopExchange.Result url = get("/cgi/redirect-url");
        assertThat(url.status()).isEqualTo(302);
        assertThat(url.headers().get("Location")).isEqualTo("http://example.test/away");
        assertThat(get("/cgi/unknown").status()).isEqualTo(404);
    }

    @Test
    void slowScriptTimesOutWith504AndItsChildrenAreKilled() throws Exception {
        cases(CgiOptions.DEFAULT.withTimeoutMillis(700));
        LoopExchange.Result r = get("/cgi/slow");
        assertThat(r.status()).isEqualTo(504);
        awaitIdle();
        long child = Long.parseLong(Files.readString(dir.resolve("slow-child.pid")).trim());
        // SIGKILL was sent before the script died; the orphan is then reaped by init, a moment later.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (alive(child) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(alive(child)).as("the script's sleep child").isFalse();
        assertThat(logLines).anyMatch(l -> l.contains("timed out"));
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void scriptStallingAfterItsHeadFailsTheBody() throws Exception {
        cases(CgiOptions.DEFAULT.withTimeoutMillis(700));
        LoopExchange.Result r = get("/cgi/slow-after-head");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("first part\n");
        assertThat(r.bodyFailed()).isTrue();
    }

    @Test
    void crashGarbageAndSilenceAreBadGateways() throws Exception {
        cases(CgiOptions.DEFAULT);
        LoopExchange.Result crash = get("/cgi/crash");
        assertThat(crash.status()).isEqualTo(502);
        assertThat(crash.text()).contains("status 3");
        assertThat(get("/cgi/garbage").status()).isEqualTo(502);
        assertThat(get("/cgi/silent").status()).isEqualTo(502);
        assertThat(logLines).anyMatch(l -> l.contains("stderr") && l.contains("about to crash"));
    }

    /**
     * A quick script's stderr is read by the launcher after stdout; one that fills the stderr pipe before writing
     * any response gets a stderr pump from its timer, so it is not stuck until its timeout (a 504 there).
     */
    @Test
    void aScriptFillingItsStderrPipeBeforeItsResponseIsNotStuck() throws Exception {
        cases(CgiOptions.DEFAULT.withTimeoutMillis(10_000));
        long t0 = System.nanoTime();
        LoopExchange.Result r = get("/cgi/stderr-flood");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("after the flood\n");
        assertThat(millis).as("well inside the 10 s timeout").isLessThan(5_000);
        awaitIdle();
        assertThat(logLines.stream().filter(l -> l.contains("WARN cgi stderr request=1 line=0123456789")))
                .as("every stderr line logged").hasSize(2000);
    }

    @Test
    void stderrLinesAreLoggedWithTheRequest() throws Exception {
        cases(CgiOptions.DEFAULT);
        LoopExchange.Result r = get("/cgi/stderr");
        assertThat(r.text()).isEqualTo("logged\n");
        awaitIdle();
        assertThat(logLines).anyMatch(l -> l.contains("WARN cgi stderr request=1 line=\"line one\""))
                .anyMatch(l -> l.contains("WARN cgi stderr request=1 line=\"line two\""));
    }

    /** Stderr still open when stdout ends (the loop then reads it on readiness) is read to its end all the same. */
    @Test
    void stderrWrittenAfterTheResponseIsStillLogged() throws Exception {
        cases(CgiOptions.DEFAULT);
        LoopExchange.Result r = get("/cgi/stderr-after-output");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("answered\n");
        awaitIdle();
        assertThat(logLines)
                .anyMatch(l -> l.contains("WARN cgi stderr request=1 line=\"written after the response\""));
    }

    @Test
    void clientDisconnectingMidResponseKillsTheScript() throws Exception {
        cases(CgiOptions.DEFAULT);
        LoopExchange.Result r = send(exchange("GET /cgi/endless HTTP/1.1\r\nHost: h\r\n\r\n", new byte[0], false,
                256 * 1024));
        assertThat(r.aborted()).isTrue();
        assertThat(r.content().length).isGreaterThanOrEqualTo(256 * 1024);
        awaitIdle();
    }

    @Test
    void scriptNotReadingItsBodyStillLetsTheBodyBeConsumed() throws Exception {
        cases(CgiOptions.DEFAULT);
        byte[] body = new byte[2 << 20];
        LoopExchange ex = exchange(post("/cgi/ignore-body", body.length, "application/octet-stream"), body, false,
                -1);
        LoopExchange.Result r = send(ex);
        assertThat(r.text()).isEqualTo("I did not read your body\n");
        awaitIdle();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!ex.bodyDelivered() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(ex.bodyDelivered()).as("rest of the body read and dropped").isTrue();
    }

    @Test
    void beyondTheProcessLimitIs503WithRetryAfter() throws Exception {
        cases(CgiOptions.DEFAULT.withMaxProcesses(2));
        LoopExchange a = exchange("GET /cgi/endless HTTP/1.1\r\nHost: h\r\n\r\n", new byte[0], false, Long.MAX_VALUE);
        LoopExchange b = exchange("GET /cgi/endless HTTP/1.1\r\nHost: h\r\n\r\n", new byte[0], false, Long.MAX_VALUE);
        start(a);
        start(b);
        LoopExchange.Result third = get("/cgi/env");
        assertThat(third.status()).isEqualTo(503);
        assertThat(third.headers().get("Retry-After")).isEqualTo("1");
        a.disconnect();
        b.disconnect();
        awaitIdle();
        assertThat(get("/cgi/env").status()).isEqualTo(200);
    }

    @Test
    void scriptMustExistAndBeExecutable() throws Exception {
        assertThatThrownBy(() -> new CgiHandler(dir.resolve("missing.sh"), CgiOptions.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
        Path plain = Files.writeString(dir.resolve("plain.sh"), "#!/bin/sh\n");
        assertThatThrownBy(() -> new CgiHandler(plain, CgiOptions.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not executable");
        Path script = CgiScripts.install("cases.sh", dir);
        handler = new CgiHandler(script, CgiOptions.DEFAULT);
        Files.delete(script);
        assertThat(get("/cgi/env").status()).isEqualTo(500);
    }

    @Test
    void wsgiApplicationThroughCgiHandler() throws Exception {
        handler = new CgiHandler(CgiScripts.install("wsgi_app.py", dir), CgiOptions.DEFAULT);
        LoopExchange.Result form = get("/cgi/form");
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.text()).contains("<form method=\"post\"");
        byte[] body = "name=Grace+%3CH%3E".getBytes(StandardCharsets.US_ASCII);
        LoopExchange.Result submit = send(exchange(post("/cgi/submit", body.length,
                "application/x-www-form-urlencoded"), body, false, -1));
        assertThat(submit.status()).isEqualTo(303);
        assertThat(submit.headers().get("Location")).isEqualTo("/cgi/hello");
        String cookie = submit.headers().get("Set-Cookie");
        assertThat(cookie).startsWith("name=");
        String pair = cookie.substring(0, cookie.indexOf(';'));
        LoopExchange.Result hello = send(exchange("GET /cgi/hello HTTP/1.1\r\nHost: h\r\nCookie: " + pair
                + "\r\n\r\n", new byte[0], false, -1));
        assertThat(hello.text()).isEqualTo("<p>Hello, Grace &lt;H&gt;!</p>");
    }

    /**
     * Surefire runs this class twice (pom.xml): without java.base/sun.nio.ch opened the pump threads move the pipes,
     * with it (as the jar and the launchers run) the loop does; every test above runs in both.
     */
    @Test
    void theLoopMovesThePipesWhereSunNioChIsOpened() throws Exception {
        cases(CgiOptions.DEFAULT);
        boolean opened = Object.class.getModule().isOpen("sun.nio.ch", CgiHandler.class.getModule());
        assertThat(handler.pipeMover()).isEqualTo(opened ? "loop" : "threads");
        System.out.println("CgiHandlerTest: script pipes moved by " + handler.pipeMover());
        assertThat(get("/cgi/env").status()).isEqualTo(200);
    }
}
