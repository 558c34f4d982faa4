package org.liso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.Liso;
import org.liso.testing.LisoProcess;
import org.liso.testing.RawClient;

/**
 * What the course's graders see of lisod's responses (issue 11, items 3-5): {@code Server: Liso/1.0}, a Connection
 * field on every response, the handout's Content-Types, POST to a static file answered with the file, and an NPH
 * script's bytes forwarded as written. And that {@code liso serve} keeps its RFC-preferred answers.
 */
class LisodHttpContractIT {
    /** The script writes a complete HTTP response in the style of the course's cgi_script.py (mixed line ends). */
    private static final String NPH_HEAD = "HTTP/1.1 200 OK\r\nServer: Script/9.9\r\nX-Software: %s\r\n"
            + "Content-type: text/html\n\n";
    private static final String NPH_BODY = "<DL>\n<DT> REQUEST_METHOD <DD> %s\n</DL>\n";
    private static final String CGI = """
            #!/bin/sh
            case "$PATH_INFO" in
              /plain) printf 'Status: 201 Created\\r\\nContent-Type: text/plain\\r\\n\\r\\nplain %s\\n' "$REQUEST_METHOD" ;;
              /big) printf 'HTTP/1.1 200 OK\\r\\nServer: Script/9.9\\r\\n\\r\\n'; head -c 300000 /dev/zero | tr '\\000' x ;;
              *) printf 'HTTP/1.1 200 OK\\r\\nServer: Script/9.9\\r\\nX-Software: %s\\r\\nContent-type: text/html\\n\\n' "$SERVER_SOFTWARE"
                 printf '<DL>\\n<DT> REQUEST_METHOD <DD> %s\\n</DL>\\n' "$REQUEST_METHOD" ;;
            esac
            """;
    /** The grader's own checks (grader1cp2.py check_headers, test_POST; grader1cp3.py test_cgi), with requests. */
    private static final String GRADER = """
            import requests, sys
            base = sys.argv[1]
            mime = {'.html': 'text/html', '.css': 'text/css', '.png': 'image/png'}
            for path in ['/index.html', '/style.css', '/images/liso_header.png']:
                ext = path[path.rindex('.'):]
                r = requests.head(base + path, timeout=10.0)
                assert r.status_code == 200, (path, r.status_code)
                assert r.headers['Server'].lower() == 'liso/1.0', r.headers
                need = {'connection', 'content-length', 'date', 'last-modified', 'server', 'content-type'}
                missing = need - {k.lower() for k in r.headers.keys()}
                assert not missing, (path, missing)
                assert r.headers['Content-Type'].lower() == mime[ext], (path, r.headers['Content-Type'])
                r = requests.post(base + path, data='dummy data', timeout=3.0)
                assert r.status_code == 200, ('POST', path, r.status_code)
            r = requests.get(base + '/cgi/', timeout=1.0)
            assert r.status_code == 200, r.status_code
            line = [l for l in r.text.split('\\n') if 'REQUEST_METHOD' in l][0]
            assert line.split('<DD>')[1].strip() == 'GET', line
            print('grader checks passed')
            """;

    @TempDir
    static Path dir;

    private static Path www;
    private static Path cgi;
    private static LisoProcess lisod;

    @BeforeAll
    static void start() throws Exception {
        www = Files.createDirectories(dir.resolve("www"));
        Files.createDirectories(www.resolve("images"));
        Files.writeString(www.resolve("index.html"), "<html>index</html>\n");
        Files.writeString(www.resolve("style.css"), "body { color: black }\n");
        for (String name : List.of("images/liso_header.png", "a.jpg", "b.jpeg", "c.gif", "d.unknownext", "README",
                "e.js", "f.txt")) {
            Files.writeString(www.resolve(name), "bytes of " + name);
        }
        cgi = dir.resolve("cgi_script.sh");
        Files.writeString(cgi, CGI);
        Files.setPosixFilePermissions(cgi, PosixFilePermissions.fromString("rwxr-xr-x"));
        org.liso.transport.tls.KeyMaterial.selfSigned().writePem(dir);
        lisod = LisoProcess.start(2, "lisod", "0", "0", dir.resolve("lisod.log").toString(),
                dir.resolve("lisod.lock").toString(), www.toString(), cgi.toString(),
                dir.resolve("key.pem").toString(), dir.resolve("cert.pem").toString(), "--foreground",
                "--bind", "127.0.0.1");
    }

    @AfterAll
    static void stop() throws Exception {
        if (lisod != null) {
            lisod.close();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String get(String path, String extra) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n";
    }

    @Test
    void theGradersOwnChecksPassWithPythonRequests() throws Exception {
        Files.writeString(dir.resolve("grader.py"), GRADER);
        Process p = new ProcessBuilder("/usr/bin/python3", dir.resolve("grader.py").toString(),
                "http://127.0.0.1:" + lisod.port(0)).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("grader checks passed");
    }

    @Test
    void everyResponseSaysServerLiso10AndCarriesAConnectionField() throws Exception {
        String pipelined = get("/index.html", "") + get("/style.css", "")
                + get("/missing.html", "") + "PUT /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
                + get("/cgi/plain", "") + get("/", "Connection: close\r\n");
        RawClient.Exchange ex = RawClient.send(lisod.port(0), ascii(pipelined), 5000, false);
        List<RawClient.Reply> replies = RawClient.parse(ex.raw(), false);
        assertThat(replies).extracting(RawClient.Reply::status).containsExactly(200, 200, 404, 501, 201, 200);
        for (int i = 0; i < replies.size(); i++) {
            RawClient.Reply r = replies.get(i);
            assertThat(r.header("Server")).as(r.head()).isEqualTo("Liso/1.0");
            assertThat(r.header("Connection")).as(r.head()).isEqualTo(i < replies.size() - 1 ? "keep-alive" : "close");
        }
        assertThat(replies.get(4).bodyText()).isEqualTo("plain GET\n");
        assertThat(ex.closed()).isTrue();

        RawClient.Reply http10 = RawClient.send(lisod.port(0), ascii("GET /index.html HTTP/1.0\r\n\r\n"), 5000, false)
                .replies().get(0);
        assertThat(http10.header("Connection")).isEqualTo("close");
        assertThat(http10.header("Server")).isEqualTo("Liso/1.0");

        RawClient.Exchange bad = RawClient.send(lisod.port(0), ascii("NOT HTTP AT ALL\r\n\r\n"), 5000, false);
        assertThat(bad.replies()).hasSize(1);
        assertThat(bad.replies().get(0).status()).isEqualTo(400);
        assertThat(bad.replies().get(0).header("Connection")).isEqualTo("close");
        assertThat(bad.replies().get(0).header("Server")).isEqualTo("Liso/1.0");
    }

    @Test
    void contentTypesAreTheHandoutsWithoutCharset() throws Exception {
        String[][] expected = {{"/index.html", "text/html"}, {"/style.css", "text/css"},
                {"/images/liso_header.png", "image/png"}, {"/a.jpg", "image/jpeg"}, {"/b.jpeg", "image/jpeg"},
                {"/c.gif", "image/gif"}, {"/d.unknownext", "application/octet-stream"},
                {"/README", "application/octet-stream"}, {"/e.js", "application/octet-stream"},
                {"/f.txt", "application/octet-stream"}};
        StringBuilder req = new StringBuilder();
        for (String[] e : expected) {
            req.append("HEAD ").append(e[0]).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
        }
        req.append("HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        List<RawClient.Reply> replies = RawClient.send(lisod.port(0), ascii(req.toString()), 5000, true).replies();
        assertThat(replies).hasSize(expected.length + 1);
        for (int i = 0; i < expected.length; i++) {
            assertThat(replies.get(i).status()).isEqualTo(200);
            assertThat(replies.get(i).header("Content-Type")).as(expected[i][0]).isEqualTo(expected[i][1]);
        }
    }

    @Test
    void postToAStaticFileDiscardsTheBodyAndAnswersWithTheFile() throws Exception {
        String body = "dummy data";
        String req = "POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body
                + "POST /style.css HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
                + get("/index.html", "Connection: close\r\n");
        RawClient.Exchange ex = RawClient.send(lisod.port(0), ascii(req), 5000, false);
        assertThat(ex.replies()).extracting(RawClient.Reply::status).containsExactly(200, 200, 200);
        assertThat(ex.replies().get(0).bodyText()).isEqualTo("<html>index</html>\n");
        assertThat(ex.replies().get(0).header("Content-Type")).isEqualTo("text/html");
        assertThat(ex.replies().get(1).bodyText()).isEqualTo("body { color: black }\n");
        assertThat(ex.replies().get(2).bodyText()).isEqualTo("<html>index</html>\n");
        assertThat(ex.closed()).isTrue();

        // A POST to a file that is not there is still a 404, its body drained all the same.
        RawClient.Exchange missing = RawClient.send(lisod.port(0), ascii("POST /nope.html HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: 3\r\n\r\nabc" + get("/style.css", "Connection: close\r\n")), 5000, false);
        assertThat(missing.replies()).extracting(RawClient.Reply::status).containsExactly(404, 200);
    }

    @Test
    void anNphScriptsBytesReachTheClientUnmodifiedAndTheConnectionClosesAfter() throws Exception {
        String expected = String.format(NPH_HEAD, "Liso/1.0") + String.format(NPH_BODY, "GET");
        // A request pipelined behind it is not answered: the script's framing is its own, so the end is the close.
        RawClient.Exchange ex = RawClient.send(lisod.port(0), ascii(get("/cgi/", "") + get("/index.html", "")),
                5000, false);
        assertThat(new String(ex.raw(), StandardCharsets.ISO_8859_1)).isEqualTo(expected);
        assertThat(ex.closed()).isTrue();

        RawClient.Exchange post = RawClient.send(lisod.port(0),
                ascii("POST /cgi/ HTTP/1.0\r\nContent-Length: 4\r\n\r\nabcd"), 5000, false);
        assertThat(new String(post.raw(), StandardCharsets.ISO_8859_1))
                .isEqualTo(String.format(NPH_HEAD, "Liso/1.0") + String.format(NPH_BODY, "POST"));

        // Larger than the pump's chunks and the output queue's high water: streamed through, still byte for byte.
        RawClient.Exchange big = RawClient.send(lisod.port(0), ascii(get("/cgi/big", "")), 5000, false);
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        want.writeBytes(ascii("HTTP/1.1 200 OK\r\nServer: Script/9.9\r\n\r\n"));
        want.writeBytes(ascii("x".repeat(300_000)));
        assertThat(big.raw()).isEqualTo(want.toByteArray());
        assertThat(big.closed()).isTrue();
    }

    @Test
    void anNphScriptOverHttpsIsForwardedToo() throws Exception {
        Process curl = new ProcessBuilder("curl", "-sS", "-i", "--cacert", dir.resolve("cert.pem").toString(),
                "--resolve", "localhost:" + lisod.port(1) + ":127.0.0.1",
                "https://localhost:" + lisod.port(1) + "/cgi/").redirectErrorStream(true).start();
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(out).isEqualTo(String.format(NPH_HEAD, "Liso/1.0") + String.format(NPH_BODY, "GET"));
    }

    @Test
    void serveKeepsItsRfcChoices() throws Exception {
        try (LisoProcess serve = LisoProcess.start(1, "serve", "--root", www.toString(), "--http", "127.0.0.1:0",
                "--cgi", cgi.toString())) {
            String req = "POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                    + get("/index.html", "") + get("/cgi/", "") + get("/e.js", "Connection: close\r\n");
            RawClient.Exchange ex = RawClient.send(serve.port(0), ascii(req), 5000, false);
            List<RawClient.Reply> r = ex.replies();
            assertThat(r).extracting(RawClient.Reply::status).containsExactly(405, 200, 200, 200);
            assertThat(r.get(0).header("Allow")).isEqualTo("GET, HEAD");
            assertThat(r.get(1).header("Content-Type")).isEqualTo("text/html; charset=utf-8");
            assertThat(r.get(1).header("Connection")).as("a persistent HTTP/1.1 response needs none").isNull();
            assertThat(r).allSatisfy(x -> assertThat(x.header("Server")).isEqualTo(Liso.SERVER));
            // serve frames an NPH script's response itself and keeps the connection.
            assertThat(r.get(2).header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(r.get(2).header("X-Software")).isEqualTo(Liso.SERVER);
            assertThat(r.get(2).bodyText()).isEqualTo(String.format(NPH_BODY, "GET"));
            assertThat(r.get(3).header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
        }
    }

    @Test
    void serveTakesItsServerHeaderFromTheFlags() throws Exception {
        try (LisoProcess serve = LisoProcess.start(1, "serve", "--root", www.toString(), "--http", "127.0.0.1:0",
                "--server-header", "Example/3.1 (test)")) {
            RawClient.Reply r = RawClient.send(serve.port(0), ascii(get("/", "Connection: close\r\n")), 5000, false)
                    .replies().get(0);
            assertThat(r.header("Server")).isEqualTo("Example/3.1 (test)");
        }
        try (LisoProcess serve = LisoProcess.start(1, "serve", "--root", www.toString(), "--http", "127.0.0.1:0",
                "--no-server-version", "--cgi", cgi.toString())) {
            List<RawClient.Reply> r = RawClient.send(serve.port(0),
                    ascii(get("/missing", "") + get("/cgi/", "Connection: close\r\n")), 5000, false).replies();
            assertThat(r).extracting(RawClient.Reply::status).containsExactly(404, 200);
            assertThat(r).allSatisfy(x -> assertThat(x.header("Server")).isEqualTo("liso"));
            assertThat(r.get(1).header("X-Software")).as("SERVER_SOFTWARE follows the header").isEqualTo("liso");
        }
        try (LisoProcess serve = LisoProcess.start(1, "serve", "--root", www.toString(), "--http", "127.0.0.1:0",
                "--server-header", "")) {
            RawClient.Reply r = RawClient.send(serve.port(0), ascii(get("/", "Connection: close\r\n")), 5000, false)
                    .replies().get(0);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Server")).as("an empty value sends none").isNull();
        }
    }

    @Test
    void conflictingOrBadServerHeaderFlagsAreUsageErrors() throws Exception {
        String[][] cases = {{"exclude each other", "--server-header", "X/1", "--no-server-version"},
                {"control character", "--server-header", "bad\u0001value"},
                {"not --header", "--header", "Server: X/1"}};
        for (String[] c : cases) {
            List<String> cmd = new java.util.ArrayList<>(List.of(LisoProcess.java(), "-jar",
                    LisoProcess.jar().toString(), "serve", "--root", www.toString(), "--http", "127.0.0.1:0",
                    "--no-https"));
            cmd.addAll(List.of(c).subList(1, c.length));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(out).isEqualTo(ExitCodes.USAGE);
            assertThat(out).contains("--server-header").contains(c[0]);
        }
    }
}
