package org.liso.cgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;

/**
 * CGI output is never compressed unless --compress-cgi says so (BREACH); with it, a script's text 200 is gzipped
 * for curl --compressed and python3 requests, streamed chunk by chunk, with Vary on both codings.
 */
class CgiCompressionIT {
    /** 3 writes with pauses between them, so that the gzip stream spans several pipe reads. */
    private static final String SCRIPT = """
            #!/bin/sh
            printf 'Content-Type: text/html\\r\\nContent-Length: 30000\\r\\n\\r\\n'
            for i in 1 2 3; do head -c 10000 /dev/zero | tr '\\000' "$i"; sleep 0.1; done
            """;

    @TempDir
    Path tmp;

    private static String expected() {
        return "1".repeat(10000) + "2".repeat(10000) + "3".repeat(10000);
    }

    private LisoProcess serve(String... extra) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("www"));
        Path script = tmp.resolve("page.sh");
        Files.writeString(script, SCRIPT);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> args = new ArrayList<>(List.of("serve", "--root", root.toString(), "--http", "127.0.0.1:0",
                "--no-https", "--cgi", script.toString()));
        args.addAll(List.of(extra));
        return LisoProcess.start(1, args.toArray(String[]::new));
    }

    private static String[] curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "-D", "-"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(all).isZero();
        int split = all.indexOf("\r\n\r\n");
        return new String[] {all.substring(0, split + 2), all.substring(split + 4)};
    }

    @Test
    void offByDefaultEvenForAClientThatTakesGzip() throws Exception {
        try (LisoProcess liso = serve()) {
            String[] r = curl("--compressed", liso.url(0) + "cgi/");
            assertThat(r[0]).doesNotContain("Content-Encoding").doesNotContain("Vary")
                    .contains("Content-Length: 30000\r\n");
            assertThat(r[1]).isEqualTo(expected());
        }
    }

    @Test
    void withCompressCgiCurlAndRequestsGetGzip() throws Exception {
        try (LisoProcess liso = serve("--compress-cgi")) {
            String[] gz = curl("--compressed", liso.url(0) + "cgi/");
            assertThat(gz[0]).contains("Content-Encoding: gzip\r\n").contains("Vary: Accept-Encoding\r\n")
                    .doesNotContain("Content-Length: 30000");
            assertThat(gz[1]).isEqualTo(expected());
            String[] plain = curl(liso.url(0) + "cgi/");
            assertThat(plain[0]).doesNotContain("Content-Encoding").contains("Vary: Accept-Encoding\r\n")
                    .contains("Content-Length: 30000\r\n");
            assertThat(plain[1]).isEqualTo(expected());
            Process py = new ProcessBuilder("/usr/bin/python3", "-c", String.join("\n",
                    "import requests, sys",
                    "r = requests.get(sys.argv[1], timeout=10)",
                    "assert r.headers['Content-Encoding'] == 'gzip', r.headers",
                    "assert r.text == '1' * 10000 + '2' * 10000 + '3' * 10000, len(r.text)",
                    "print('ok')"), liso.url(0) + "cgi/").redirectErrorStream(true).start();
            String out = new String(py.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(py.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(out).as(out).isEqualTo("ok\n");
        }
    }
}
