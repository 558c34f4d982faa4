package org.liso.cgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;
import org.liso.testing.Tool;

/**
 * With virtual hosts, the one CGI script maps PATH_INFO into the document root of the site the request is for
 * (PATH_TRANSLATED, RFC 3875 §4.1.6), not the default site's; the slots stay shared.
 */
class CgiSitesIT {
    @TempDir
    Path dir;

    @Test
    void pathTranslatedIsUnderTheRequestsSite() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a")).toRealPath();
        Path b = Files.createDirectories(dir.resolve("b")).toRealPath();
        Path script = dir.resolve("translated.sh");
        Files.writeString(script, "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n%s\\n' \"$PATH_TRANSLATED\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        try (LisoProcess liso = LisoProcess.start(1, "serve", "--http", "127.0.0.1:0", "--no-https",
                "--site", "a.test=" + a, "--site", "*=" + b, "--cgi", script.toString())) {
            String url = "http://127.0.0.1:" + liso.port(0) + "/cgi/page";
            assertThat(curl("-H", "Host: a.test", url)).isEqualTo(a + "/page\n");
            assertThat(curl("-H", "Host: other.test", url)).isEqualTo(b + "/page\n");
        }
    }

    private static String curl(String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("curl", "-s", "--max-time", "20"));
        cmd.addAll(java.util.List.of(args));
        return Tool.run(30, cmd).output();
    }
}
