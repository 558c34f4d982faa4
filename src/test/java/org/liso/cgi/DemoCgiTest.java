package org.liso.cgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.http.HttpException;
import org.liso.loop.EventLoop;

/** The bundled demo script, extracted and run through the handler like the demo site runs it. */
class DemoCgiTest {
    @TempDir
    Path dir;
    private EventLoop loop;
    private CgiHandler handler;

    @BeforeEach
    void start() throws Exception {
        loop = new EventLoop("demo-test");
        new Thread(loop::run, "demo-test-loop").start();
    }

    @AfterEach
    void stop() throws Exception {
        if (handler != null) {
            handler.close();
        }
        loop.stop();
        loop.awaitStop(10_000);
    }

    private LoopExchange.Result send(String head, byte[] body) throws Exception {
        LoopExchange ex = new LoopExchange(loop, head, body, false, -1);
        loop.execute(() -> {
            try {
                handler.handle(ex);
            } catch (HttpException e) {
                ex.fail(e);
            }
        });
        return ex.result.get(30, TimeUnit.SECONDS);
    }

    @Test
    void extractedScriptIsExecutableAndShowsItsEnvironment() throws Exception {
        Path script = DemoCgi.extractTo(dir.resolve("cgi-bin"));
        assertThat(Files.isExecutable(script)).isTrue();
        handler = new CgiHandler(script, CgiOptions.DEFAULT);
        LoopExchange.Result r = send("GET /cgi/demo?x=%3Cb%3E HTTP/1.1\r\nHost: localhost\r\n\r\n", new byte[0]);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().get("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(r.text()).contains("<h1>Liso demo CGI</h1>", "<th>GATEWAY_INTERFACE</th><td>CGI/1.1</td>",
                "<th>PATH_INFO</th><td>/demo</td>", "<th>QUERY_STRING</th><td>x=%3Cb%3E</td>");
    }

    @Test
    void postedFormIsEchoedEscaped() throws Exception {
        handler = new CgiHandler(DemoCgi.extractTo(dir), CgiOptions.DEFAULT);
        byte[] form = "name=%3Cscript%3Ealert(1)%3C%2Fscript%3E&message=hi+there".getBytes(StandardCharsets.US_ASCII);
        LoopExchange.Result r = send("POST /cgi/ HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded"
                + "\r\nContent-Length: " + form.length + "\r\n\r\n", form);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).contains("<h2>Request body</h2>",
                "<th>name</th><td>&lt;script&gt;alert(1)&lt;/script&gt;</td>", "<th>message</th><td>hi there</td>")
                .doesNotContain("<script>");
    }
}
