package org.liso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;
import org.liso.testing.Tool;

/**
 * {@code kill -HUP} with {@code --config} re-reads what shapes a file's answer — caching fields, compression, error
 * pages, the SPA fallback, listings — and applies it from the next request on, for one root and for virtual hosts,
 * as curl sees it; a change that cannot be applied (an error page that is not there) keeps the previous answers. The
 * access and error logs move to the files the configuration now names.
 */
class ConfigReloadAnswersIT {
    @TempDir
    Path dir;

    private static final String CSS = ".a { color: red; }\n".repeat(200);

    @Test
    void sighupAppliesCacheRulesCompressionErrorPagesAndListingsToOneRoot() throws Exception {
        Path www = site("www");
        Path f = dir.resolve("liso.toml");
        String before = """
                root = "%s"
                http = "127.0.0.1:0"
                cache-control = ["*.css=max-age=60"]
                no-gzip = true
                """.formatted(www);
        Files.writeString(f, before);
        try (LisoProcess liso = LisoProcess.start(1, "serve", "--config", f.toString())) {
            String url = "http://127.0.0.1:" + liso.port(0);
            String css = curl("-si", "--compressed", url + "/style.css");
            assertThat(css).contains("Cache-Control: max-age=60").doesNotContainIgnoringCase("Content-Encoding");
            assertThat(curl("-si", url + "/gone")).startsWith("HTTP/1.1 404").doesNotContain("our own 404");
            assertThat(curl("-si", url + "/sub/")).startsWith("HTTP/1.1 403");

            Files.writeString(f, """
                    root = "%s"
                    http = "127.0.0.1:0"
                    cache-control = ["*.css=no-cache"]
                    expires = ["*.png=1h"]
                    error-page = ["404=/404.html"]
                    list-dirs = true
                    """.formatted(www));
            hangUp(liso, 1);
            assertThat(liso.stderr()).contains("applied=list-dirs,no-gzip,cache-control,expires,error-page")
                    .doesNotContain("take a restart");
            css = curl("-si", "--compressed", url + "/style.css");
            assertThat(css).contains("Cache-Control: no-cache", "Content-Encoding: gzip", "Vary: Accept-Encoding");
            assertThat(curl("-I", url + "/pixel.png")).contains("Cache-Control: max-age=3600", "Expires: ");
            assertThat(curl("-si", url + "/gone")).startsWith("HTTP/1.1 404").contains("our own 404");
            assertThat(curl("-si", url + "/sub/")).startsWith("HTTP/1.1 200").contains("deep.txt");

            // An error page that is not under the root: nothing of the change is applied, the answers stay.
            Files.writeString(f, """
                    root = "%s"
                    http = "127.0.0.1:0"
                    cache-control = ["*.css=max-age=5"]
                    error-page = ["404=/missing.html"]
                    list-dirs = true
                    """.formatted(www));
            hangUp(liso, 2);
            assertThat(liso.stderr()).contains("SIGHUP: not applied, the previous value stays");
            assertThat(curl("-si", url + "/style.css")).contains("Cache-Control: no-cache");
            assertThat(curl("-si", url + "/gone")).contains("our own 404");
            assertThat(liso.stop()).isZero();
        }
    }

    @Test
    void sighupAppliesTheNewAnswersToEveryVirtualHost() throws Exception {
        Path a = site("a");
        Path b = site("b");
        Path f = dir.resolve("liso.toml");
        Files.writeString(f, """
                http = "127.0.0.1:0"
                site = ["a.test=%s", "*=%s"]
                """.formatted(a, b));
        try (LisoProcess liso = LisoProcess.start(1, "serve", "--config", f.toString())) {
            String url = "http://127.0.0.1:" + liso.port(0) + "/style.css";
            assertThat(curl("-si", "-H", "Host: a.test", url)).doesNotContain("Cache-Control");
            assertThat(curl("-si", "-H", "Host: other.test", url)).doesNotContain("Cache-Control");

            Files.writeString(f, """
                    http = "127.0.0.1:0"
                    site = ["a.test=%s", "*=%s"]
                    cache-control = ["*.css=max-age=31536000, immutable"]
                    """.formatted(a, b));
            hangUp(liso, 1);
            assertThat(liso.stderr()).contains("applied=cache-control");
            assertThat(curl("-si", "-H", "Host: a.test", url))
                    .contains("Cache-Control: max-age=31536000, immutable", "from a");
            assertThat(curl("-si", "-H", "Host: other.test", url))
                    .contains("Cache-Control: max-age=31536000, immutable", "from b");
            assertThat(liso.stop()).isZero();
        }
    }

    @Test
    void sighupMovesTheLogsToTheFilesTheConfigNowNames() throws Exception {
        Path www = site("www");
        Path access1 = dir.resolve("access1.log");
        Path access2 = dir.resolve("access2.log");
        Path error2 = dir.resolve("error2.log");
        Path f = dir.resolve("liso.toml");
        String config = """
                root = "%s"
                http = "127.0.0.1:0"
                access-log = "%s"
                """;
        Files.writeString(f, config.formatted(www, access1));
        try (LisoProcess liso = LisoProcess.start(1, "serve", "--config", f.toString())) {
            String url = "http://127.0.0.1:" + liso.port(0);
            curl(url + "/style.css?before");
            awaitLine(access1, "/style.css?before");

            Files.writeString(f, config.formatted(www, access2));
            hangUp(liso, 1);
            assertThat(liso.stderr()).contains("applied=access-log");
            curl(url + "/style.css?after");
            awaitLine(access2, "/style.css?after");
            assertThat(Files.readString(access1)).doesNotContain("?after");

            // stderr to a file is a switch of kind, which waits for a restart; the access log stays where it is.
            Files.writeString(f, config.formatted(www, access2) + "error-log = \"" + error2 + "\"\n");
            hangUp(liso, 2);
            assertThat(liso.stderr()).contains("keys=error-log", "takes a restart");
            curl(url + "/style.css?third");
            awaitLine(access2, "/style.css?third");
            assertThat(liso.stop()).isZero();
        }
    }

    private static void awaitLine(Path log, String part) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(log) || !Files.readString(log).contains(part)) {
            assertThat(System.nanoTime()).as("'%s' in %s", part, log).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private Path site(String name) throws Exception {
        Path root = Files.createDirectories(dir.resolve(name));
        Files.writeString(root.resolve("style.css"), "/* from " + name + " */\n" + CSS);
        Files.writeString(root.resolve("404.html"), "<p>our own 404</p>\n");
        Files.write(root.resolve("pixel.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        Files.writeString(Files.createDirectories(root.resolve("sub")).resolve("deep.txt"), "deep\n");
        return root;
    }

    /** Sends SIGHUP and waits until the server has said it re-read the file for the {@code n}th time. */
    private static void hangUp(LisoProcess liso, int n) throws Exception {
        assertThat(Tool.run(10, "kill", "-HUP", Long.toString(liso.pid())).exitCode()).isZero();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (count(liso.stderr(), "SIGHUP: configuration re-read") < n) {
            assertThat(System.nanoTime()).as("SIGHUP %d answered: %s", n, liso.stderr()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "--max-time", "20"));
        cmd.addAll(List.of(args));
        return Tool.run(30, cmd).output();
    }
}
