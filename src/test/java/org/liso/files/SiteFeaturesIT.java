package org.liso.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.liso.files.LisoServeProcess.curl;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compression, caching fields, error pages and the SPA fallback of {@code liso serve}, seen by real clients: curl
 * {@code --compressed} (gzip, br and zstd decoders) and python3's requests (gzip, conditional requests).
 */
class SiteFeaturesIT {
    private static final String SCRIPT = "export function greet(name) { return 'hello, ' + name; }\n".repeat(300);
    private static final String CSS = "body { margin: 0; font: 16px/1.4 system-ui, sans-serif; }\n".repeat(100);

    @TempDir
    static Path tmp;

    private static LisoServeProcess server;

    @BeforeAll
    static void start() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(root.resolve("index.html"), "<!doctype html><div id=app></div>\n");
        Files.writeString(root.resolve("404.html"), "<h1>custom not found</h1>\n");
        Files.writeString(root.resolve("app.js"), SCRIPT);
        Files.writeString(root.resolve("site.css"), CSS);
        // The siblings are made by the real tools, so curl's decoders check them too.
        Files.write(root.resolve("site.css.gz"), gzip(CSS.getBytes(StandardCharsets.UTF_8)));
        run("brotli", "-k", "-q", "11", root.resolve("site.css").toString());
        run("zstd", "-q", "-k", "-19", root.resolve("site.css").toString());
        Files.write(root.resolve("logo.png"), new byte[8192]);
        server = LisoServeProcess.start(root, List.of(), "--cache-control", "*.css=max-age=31536000, immutable",
                "--cache-control", "*.html=no-cache", "--expires", "*.js=1h", "--error-page", "404=/404.html",
                "--fallback", "/index.html");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static byte[] gzip(byte[] plain) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(plain);
        }
        return out.toByteArray();
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd)).isZero();
    }

    private static String url(String path) {
        return server.url + path;
    }

    /** The response head curl printed with -D -, then the body. */
    private static String[] headAndBody(String... args) throws Exception {
        LisoServeProcess.Result r = curl(args);
        assertThat(r.exit()).as(r.err()).isZero();
        String all = r.text();
        int split = all.indexOf("\r\n\r\n");
        return new String[] {all.substring(0, split + 2), all.substring(split + 4)};
    }

    @Test
    void curlCompressedGetsGzipMadeOnTheFlyAndDecodesIt() throws Exception {
        String[] r = headAndBody("--compressed", "-H", "Accept-Encoding: gzip", "-D", "-", url("/app.js"));
        assertThat(r[0]).contains("Content-Encoding: gzip\r\n").contains("Vary: Accept-Encoding\r\n")
                .contains("Content-Type: text/javascript; charset=utf-8\r\n")
                .contains("Cache-Control: max-age=3600\r\n").contains("Expires: ");
        assertThat(r[1]).isEqualTo(SCRIPT);
        String length = r[0].replaceAll("(?s).*Content-Length: (\\d+).*", "$1");
        assertThat(Integer.parseInt(length)).isLessThan(SCRIPT.length() / 10);
    }

    @Test
    void curlGetsEachPrecompressedSiblingItAccepts() throws Exception {
        for (String coding : List.of("br", "zstd", "gzip")) {
            String[] r = headAndBody("--compressed", "-H", "Accept-Encoding: " + coding, "-D", "-", url("/site.css"));
            assertThat(r[0]).as(coding).contains("Content-Encoding: " + coding + "\r\n")
                    .contains("Content-Type: text/css; charset=utf-8\r\n").contains("Vary: Accept-Encoding\r\n")
                    .contains("Cache-Control: max-age=31536000, immutable\r\n");
            assertThat(r[1]).as(coding).isEqualTo(CSS);
        }
        // A browser's field picks Brotli, the server's first preference; without the field, the file itself.
        String[] browser = headAndBody("--compressed", "-H", "Accept-Encoding: gzip, deflate, br, zstd", "-D", "-",
                url("/site.css"));
        assertThat(browser[0]).contains("Content-Encoding: br\r\n");
        String[] plain = headAndBody("-D", "-", url("/site.css"));
        assertThat(plain[0]).doesNotContain("Content-Encoding").contains("Vary: Accept-Encoding\r\n");
        assertThat(plain[1]).isEqualTo(CSS);
    }

    @Test
    void rangeAndConditionalRequestsWorkOnTheVariant() throws Exception {
        Path br = tmp.resolve("www/site.css.br");
        byte[] sibling = Files.readAllBytes(br);
        LisoServeProcess.Result part = curl("-H", "Accept-Encoding: br", "-r", "0-9", "-D", tmp.resolve("h1").toString(),
                url("/site.css"));
        String head = Files.readString(tmp.resolve("h1"));
        assertThat(head).startsWith("HTTP/1.1 206").contains("Content-Encoding: br\r\n")
                .contains("Content-Range: bytes 0-9/" + sibling.length + "\r\n");
        assertThat(part.out()).isEqualTo(java.util.Arrays.copyOf(sibling, 10));
        // A Range request never gets an on-the-fly coding: app.js has no sibling, so its bytes come as they are.
        LisoServeProcess.Result js = curl("-H", "Accept-Encoding: gzip", "-r", "0-5", url("/app.js"));
        assertThat(js.text()).isEqualTo(SCRIPT.substring(0, 6));
    }

    @Test
    void pythonRequestsNegotiatesRevalidatesAndSeesTheCachingFields() throws Exception {
        String script = """
                import requests, sys
                base = sys.argv[1]
                r = requests.get(base + '/app.js', timeout=10)
                assert r.status_code == 200, r.status_code
                assert r.headers['Content-Encoding'] == 'gzip', r.headers
                assert r.headers['Vary'] == 'Accept-Encoding', r.headers
                assert r.text == sys.stdin.read(), 'decoded body differs'
                tag = r.headers['ETag']
                r2 = requests.get(base + '/app.js', headers={'If-None-Match': tag}, timeout=10)
                assert r2.status_code == 304, r2.status_code
                assert r2.headers['Vary'] == 'Accept-Encoding', r2.headers
                assert r2.headers['Cache-Control'] == 'max-age=3600', r2.headers
                assert 'Expires' in r2.headers, r2.headers
                r3 = requests.get(base + '/app.js', headers={'Accept-Encoding': 'identity'}, timeout=10)
                assert 'Content-Encoding' not in r3.headers and r3.headers['ETag'] != tag, r3.headers
                r4 = requests.get(base + '/logo.png', headers={'Accept-Encoding': 'identity;q=0'}, timeout=10)
                assert r4.status_code == 406, r4.status_code
                r5 = requests.get(base + '/logo.png', timeout=10)
                assert 'Content-Encoding' not in r5.headers and 'Vary' not in r5.headers, r5.headers
                assert len(r5.content) == 8192
                r6 = requests.get(base + '/index.html', timeout=10)
                assert r6.headers['Cache-Control'] == 'no-cache', r6.headers
                print('ok')
                """;
        Path py = tmp.resolve("negotiate.py");
        Files.writeString(py, script);
        Process p = new ProcessBuilder("/usr/bin/python3", py.toString(), server.url).redirectErrorStream(true)
                .start();
        p.getOutputStream().write(SCRIPT.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as(out).contains("ok");
        assertThat(p.exitValue()).as(out).isZero();
    }

    @Test
    void theFallbackServesRoutesAndTheErrorPageMissingAssets() throws Exception {
        String[] route = headAndBody("-D", "-", url("/users/42"));
        assertThat(route[0]).startsWith("HTTP/1.1 200");
        assertThat(route[1]).isEqualTo("<!doctype html><div id=app></div>\n");
        String[] asset = headAndBody("-D", "-", url("/static/missing.js"));
        assertThat(asset[0]).startsWith("HTTP/1.1 404").contains("Content-Type: text/html; charset=utf-8\r\n");
        assertThat(asset[1]).isEqualTo("<h1>custom not found</h1>\n");
    }
}
