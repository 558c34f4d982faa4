package org.liso.http2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;

/**
 * Headless Chromium loads a page over HTTPS: it chooses h2 by ALPN and fetches the page's stylesheet and image over
 * the same HTTP/2 connection, as its net-log shows (one HTTP2_SESSION), and the access log has every request as
 * HTTP/2.0.
 */
class Http2ChromiumIT {
    @TempDir
    Path tmp;

    @Test
    void chromiumLoadsThePageAndItsSubresourcesOverOneH2Connection() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(root.resolve("index.html"), "<!doctype html><html><head><link rel=stylesheet href=/a.css>"
                + "<link rel=icon href=data:,></head><body><p id=p>hello</p><img src=/b.svg></body></html>");
        Files.writeString(root.resolve("a.css"), "p{color:red}");
        Files.writeString(root.resolve("b.svg"), "<svg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/>");
        Path log = tmp.resolve("access.log");
        Path netLog = tmp.resolve("net-log.json");
        try (LisoProcess server = LisoProcess.start(2, "serve", "--root", root.toString(), "--https",
                "127.0.0.1:0", "--http", "127.0.0.1:0", "--access-log", log.toString())) {
            String url = server.url(1).startsWith("https") ? server.url(1) : server.url(0);
            Process p = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--user-data-dir=" + tmp.resolve("profile"), "--ignore-certificate-errors",
                    "--log-net-log=" + netLog, "--virtual-time-budget=5000", "--dump-dom", url)
                    .redirectError(tmp.resolve("chromium.err").toFile()).start();
            String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(dom).contains("<p id=\"p\">hello</p>");
            List<String> lines = awaitLines(log, 3);
            assertThat(lines).anyMatch(l -> l.contains("\"GET / HTTP/2.0\" 200"))
                    .anyMatch(l -> l.contains("\"GET /a.css HTTP/2.0\" 200"))
                    .anyMatch(l -> l.contains("\"GET /b.svg HTTP/2.0\" 200"));
        }
        assertThat(http2Sessions(Files.readString(netLog))).isEqualTo(1);
    }

    private static List<String> awaitLines(Path log, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> lines = List.of();
        while (System.nanoTime() < deadline) {
            lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            if (lines.size() >= n) {
                break;
            }
            Thread.sleep(50); // the poll interval of a deadline-bounded wait
        }
        return lines;
    }

    /** Distinct sources of type HTTP2_SESSION in a Chromium net-log (its constants name the type's number). */
    static int http2Sessions(String json) {
        int sourceTypes = json.indexOf("\"logSourceType\"");
        assertThat(sourceTypes).as("net-log constants list the source types").isNotNegative();
        Matcher t = Pattern.compile("\"HTTP2_SESSION\"\\s*:\\s*(\\d+)").matcher(json);
        assertThat(t.find(sourceTypes)).as("net-log source types name HTTP2_SESSION").isTrue();
        String type = t.group(1);
        Matcher src = Pattern.compile("\"source\"\\s*:\\s*\\{\\s*\"id\"\\s*:\\s*(\\d+)\\s*,\\s*\"start_time\"\\s*:\\s*"
                + "\"[^\"]*\"\\s*,\\s*\"type\"\\s*:\\s*" + type + "\\s*\\}").matcher(json);
        Set<String> ids = new HashSet<>();
        while (src.find()) {
            ids.add(src.group(1));
        }
        return ids.size();
    }
}
