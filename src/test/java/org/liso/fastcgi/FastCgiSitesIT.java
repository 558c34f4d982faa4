package org.liso.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;

/**
 * With virtual hosts, a FastCGI application is told the document root of the site the request is for — the
 * SCRIPT_FILENAME PHP-FPM runs and DOCUMENT_ROOT — not the default site's, so two sites on one PHP-FPM pool each run
 * their own scripts.
 */
class FastCgiSitesIT {
    @TempDir
    Path dir;

    @Test
    void eachSiteNamesItsOwnScriptFileAndDocumentRoot() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a")).toRealPath();
        Path b = Files.createDirectories(dir.resolve("b")).toRealPath();
        try (Responder app = Responder.start(dir, "unix:" + dir.resolve("app.sock"));
                LisoProcess liso = LisoProcess.start(1, "serve", "--http", "127.0.0.1:0", "--no-https",
                        "--site", "a.test=" + a, "--site", "*=" + b, "--fastcgi", "/app=" + app.address)) {
            String url = "http://127.0.0.1:" + liso.port(0) + "/app/env";
            Curl.Reply forA = Curl.run("-H", "Host: a.test", url);
            Curl.Reply forOther = Curl.run("-H", "Host: other.test", url);
            assertThat(forA.status()).isEqualTo(200);
            assertThat(field(forA.body(), "SCRIPT_FILENAME")).isEqualTo(a + "/app");
            assertThat(field(forA.body(), "DOCUMENT_ROOT")).isEqualTo(a.toString());
            assertThat(field(forA.body(), "PATH_TRANSLATED")).isEqualTo(a + "/env");
            assertThat(forOther.status()).isEqualTo(200);
            assertThat(field(forOther.body(), "SCRIPT_FILENAME")).isEqualTo(b + "/app");
            assertThat(field(forOther.body(), "DOCUMENT_ROOT")).isEqualTo(b.toString());
        }
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\": (\"(?:[^\"\\\\]|\\\\.)*\"|\\d+)").matcher(json);
        return m.find() ? m.group(1).replaceAll("^\"|\"$", "") : null;
    }
}
