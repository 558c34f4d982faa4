package org.liso.cgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
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
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.Await;
import org.liso.testing.KernelBuffers;

/** CGI through the real server ({@code liso serve --cgi}) with curl and python3 as the clients. */
class CgiIT {

    @TempDir
    static Path dir;
    static LisoServe server;
    static Path client;

    record Run(int exit, String out) {
    }

    @BeforeAll
    static void start() throws Exception {
        Path script = CgiScripts.install("cases.sh", dir);
        client = CgiScripts.install("cgi_client.py", dir);
        server = new LisoServe(dir, "--cgi", script.toString(), "--cgi-timeout", "2");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static Run run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out.toString(StandardCharsets.UTF_8));
    }

    static String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "30"));
        cmd.addAll(List.of(args));
        Run r = run(cmd.toArray(String[]::new));
        assertThat(r.exit()).as("curl %s: %s", cmd, r.out()).isZero();
        return r.out().replace("\r\n", "\n");
    }

    @Test
    void theIssueExample() throws Exception {
        String out = curl(server.url("/cgi/testfun/arg1/arg2?test=test"));
        assertThat(out).contains("PATH_INFO=/testfun/arg1/arg2\n", "QUERY_STRING=test=test\n", "SCRIPT_NAME=/cgi\n",
                "SERVER_PORT=" + server.port + "\n", "SERVER_PROTOCOL=HTTP/1.1\n", "REMOTE_ADDR=127.0.0.1\n",
                "GATEWAY_INTERFACE=CGI/1.1\n", "HTTP_USER_AGENT=curl/")
                .containsPattern("REMOTE_PORT=\\d+\n")
                .contains("PATH_TRANSLATED=" + dir.toRealPath() + "/testfun/arg1/arg2\n");
    }

    @Test
    void headerStyleNphStatusAndLocation() throws Exception {
        assertThat(curl("-i", server.url("/cgi/status"))).startsWith("HTTP/1.1 418 ").contains("short and stout");
        assertThat(curl("-i", server.url("/cgi/nph"))).startsWith("HTTP/1.1 200 OK\n").contains("X-Nph: yes\n")
                .contains("Content-Length: 9\n").endsWith("\n\nnph says ");
        assertThat(curl("-i", server.url("/cgi/redirect-local"))).startsWith("HTTP/1.1 302 ")
                .contains("Location: /somewhere/else?x=1\n");
        assertThat(curl("-i", server.url("/cgi/redirect-url"))).startsWith("HTTP/1.1 302 ")
                .contains("Location: http://example.test/away\n");
    }

    @Test
    void framingFollowsTheConnection() throws Exception {
        String keepAlive = curl("-i", server.url("/cgi/env"));
        assertThat(keepAlive).contains("Transfer-Encoding: chunked\n").contains("SCRIPT_NAME=/cgi\n");
        String http10 = curl("-i", "--http1.0", server.url("/cgi/env"));
        assertThat(http10).startsWith("HTTP/1.1 200").doesNotContain("Transfer-Encoding", "Content-Length")
                .contains("SERVER_PROTOCOL=HTTP/1.0\n");
        // keep-alive reuse across several CGI responses on one connection
        String reused = curl("-v", server.url("/cgi/status"), server.url("/cgi/nph"), server.url("/cgi/env"));
        assertThat(reused).contains("Re-using existing connection").contains("short and stout", "nph says ",
                "GATEWAY_INTERFACE");
    }

    @Test
    void pipelinedCgiResponsesKeepTheirOrder() throws Exception {
        Run r = run("python3", client.toString(), "pipeline", Integer.toString(server.port));
        assertThat(r.exit()).isZero();
        String out = r.out();
        int a = out.indexOf("short and stout");
        int b = out.indexOf("nph says ");
        int c = out.indexOf("GATEWAY_INTERFACE=CGI/1.1");
        assertThat(a).isPositive();
        assertThat(b).isGreaterThan(a);
        assertThat(c).isGreaterThan(b);
    }

    @Test
    void tenMebibytePostRoundTripsByteExact() throws Exception {
        byte[] body = new byte[10 << 20];
        new Random(7).nextBytes(body);
        Path in = Files.write(dir.resolve("upload.bin"), body);
        Path out = dir.resolve("download.bin");
        curl("-H", "Content-Type: application/octet-stream", "--data-binary", "@" + in, "-o", out.toString(),
                server.url("/cgi/echo"));
        assertThat(Files.readAllBytes(out)).isEqualTo(body);
        // and de-chunked on the way in
        Path out2 = dir.resolve("download2.bin");
        curl("-H", "Transfer-Encoding: chunked", "--data-binary", "@" + in, "-o", out2.toString(),
                server.url("/cgi/echo"));
        assertThat(Files.readAllBytes(out2)).isEqualTo(body);
    }

    @Test
    void postedFormAndQueryInPython() throws Exception {
        Path form = CgiScripts.install("form.py", dir.resolve(Files.createDirectories(dir.resolve("py"))));
        try (LisoServe py = new LisoServe(dir, "--cgi", form.toString())) {
            assertThat(curl(py.url("/cgi/form?b=2&a=%C3%A9"))).isEqualTo("a=\u00e9\nb=2\n");
            assertThat(curl("-d", "name=Ada+Lovelace&x=%26", py.url("/cgi/form?q=1")))
                    .isEqualTo("name=Ada Lovelace\nq=1\nx=&\n");
        }
    }

    @Test
    void failuresAre502And504WithStderrLogged() throws Exception {
        assertThat(curl("-i", server.url("/cgi/crash"))).startsWith("HTTP/1.1 502 ")
                .as("the cause goes to the error log, not to the client").doesNotContain("exited");
        assertThat(curl("-i", server.url("/cgi/garbage"))).startsWith("HTTP/1.1 502 ");
        assertThat(curl("-i", server.url("/cgi/silent"))).startsWith("HTTP/1.1 502 ");
        assertThat(curl("-i", server.url("/cgi/slow"))).startsWith("HTTP/1.1 504 ");
        assertThat(server.awaitNoChildren()).isZero();
        assertThat(server.errorLogText()).containsPattern("WARN cgi stderr request=\\d+ line=\"about to crash\"");
    }

    @Test
    void clientDisconnectKillsTheScript() throws Exception {
        Run r = run("python3", client.toString(), "disconnect", Integer.toString(server.port));
        assertThat(r.exit()).isZero();
        assertThat(Long.parseLong(r.out().trim())).isGreaterThanOrEqualTo(300000);
        assertThat(server.awaitNoChildren()).as("yes(1) left running").isZero();
    }

    @Test
    void beyondCgiMaxIs503WithRetryAfter() throws Exception {
        try (LisoServe one = new LisoServe(dir, "--cgi", dir.resolve("cases.sh").toString(), "--cgi-max", "1")) {
            Process holder = new ProcessBuilder("python3", client.toString(), "hold", Integer.toString(one.port))
                    .redirectErrorStream(true).start();
            try {
                InputStream in = holder.getInputStream();
                byte[] line = new byte[8];
                assertThat(in.readNBytes(line, 0, 8)).isEqualTo(8);
                assertThat(new String(line, StandardCharsets.US_ASCII)).isEqualTo("holding\n");
                String busy = curl("-i", one.url("/cgi/env"));
                assertThat(busy).startsWith("HTTP/1.1 503 ").contains("Retry-After: 1\n");
            } finally {
                try (OutputStream release = holder.getOutputStream()) {
                    release.write('\n');
                }
                holder.waitFor(20, TimeUnit.SECONDS);
            }
            assertThat(one.awaitNoChildren()).isZero();
            assertThat(curl("-i", one.url("/cgi/env"))).startsWith("HTTP/1.1 200 ");
        }
    }

    /**
     * A client that stops reading stops the script: its stdout is read only while the client's queue has room (on
     * the loop: paused, not dropped), so the script blocks on a full pipe instead of its output piling up in the
     * server. What it wrote settles at the pipe, the queue and the sockets' buffers: the client's receive buffer is
     * pinned small, the server's send buffer may grow to tcp_wmem's maximum, the pipe to fs.pipe-max-size.
     */
    @Test
    void aClientThatStopsReadingStopsTheScript() throws Exception {
        try (LisoServe slow = new LisoServe(dir, "--cgi", dir.resolve("cases.sh").toString(), "--cgi-timeout", "30");
                Socket s = new Socket()) {
            s.setReceiveBufferSize(64 << 10);
            s.connect(new InetSocketAddress("127.0.0.1", slow.port), 5000);
            s.getOutputStream()
                    .write("GET /cgi/endless HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(s.getInputStream().readNBytes(100)).hasSize(100);
            ProcessHandle yes = Await.until("the script (exec yes)", 20_000, () -> slow.process.toHandle()
                    .descendants().filter(h -> h.info().command().orElse("").endsWith("/yes")).findFirst(),
                    Optional::isPresent).get();
            // yes writes hundreds of MiB a second while it can: a count still for a second has been stopped.
            long settled = Await.settled("bytes the script wrote", 1000, 20_000, () -> written(yes));
            long room = KernelBuffers.maxTcpSend() + KernelBuffers.maxPipe() + (8L << 20);
            assertThat(settled).as("bytes the script wrote, settled").isLessThan(room);
        }
    }

    /** Bytes {@code p} has written (/proc/PID/io wchar). */
    private static long written(ProcessHandle p) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/io"))) {
            if (line.startsWith("wchar:")) {
                return Long.parseLong(line.substring(6).trim());
            }
        }
        throw new IOException("no wchar for " + p.pid());
    }

    @Test
    void wsgiApplicationThroughCgiHandler() throws Exception {
        Path app = CgiScripts.install("wsgi_app.py", Files.createDirectories(dir.resolve("wsgi")));
        try (LisoServe wsgi = new LisoServe(dir, "--cgi", app.toString())) {
            Run r = run("python3", client.toString(), "wsgi", Integer.toString(wsgi.port));
            assertThat(r.exit()).as(r.out()).isZero();
            assertThat(r.out().trim()).isEqualTo("200 /cgi/hello name=\"Grace <H>\" <p>Hello, Grace &lt;H&gt;!</p>");
        }
    }

    @Test
    void thousandRequestsWithFailuresLeakNoFdsAndNoZombies() throws Exception {
        Run warm = run("python3", client.toString(), "mixed", Integer.toString(server.port), "14");
        assertThat(warm.exit()).as(warm.out()).isZero();
        assertThat(server.awaitNoChildren()).isZero();
        long fdsBefore = server.openFds();
        Run r = run("python3", client.toString(), "mixed", Integer.toString(server.port), "1000");
        assertThat(r.exit()).as(r.out()).isZero();
        // 7 paths in turn (142 rounds + 6): env, nph, echo are 200, status 418; crash, garbage, silent 502
        assertThat(r.out().trim()).isEqualTo("200=428 418=143 502=429");
        assertThat(server.awaitNoChildren()).isZero();
        assertThat(server.zombieChildren()).isZero();
        // A leak would be 3 pipes per request; a few fds of slack absorb the JVM's own lazy opens.
        assertThat(server.openFds()).isLessThanOrEqualTo(fdsBefore + 4);
    }
}
