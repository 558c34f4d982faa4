package org.liso.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;

/**
 * {@code liso serve --fastcgi '*.php=unix:...'} against a private php-fpm from Debian: a PHP page, a 10 MiB POST, a
 * slow page within and beyond the timeout, and php-fpm stopped (502).
 */
class FastCgiPhpIT {

    @TempDir
    Path dir;

    private Path site() throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.php"), String.join("\n",
                "<?php",
                "header('X-From: php');",
                "foreach (['SCRIPT_NAME', 'SCRIPT_FILENAME', 'DOCUMENT_ROOT', 'PATH_INFO', 'QUERY_STRING',",
                "          'REQUEST_METHOD', 'SERVER_PROTOCOL'] as $k) {",
                "    echo $k, '=', $_SERVER[$k] ?? '(unset)', \"\\n\";",
                "}",
                "echo 'x=', $_GET['x'] ?? '', \"\\n\";",
                ""));
        Files.writeString(www.resolve("upload.php"), String.join("\n",
                "<?php",
                "$body = file_get_contents('php://input');",
                "echo strlen($body), ' ', hash('sha256', $body), ' ', $_SERVER['CONTENT_LENGTH'], \"\\n\";",
                ""));
        Files.writeString(www.resolve("slow.php"), String.join("\n",
                "<?php",
                "usleep((int) $_GET['ms'] * 1000);",
                "echo \"slept\\n\";",
                ""));
        Files.writeString(www.resolve("missing.php"), "<?php http_response_code(404); echo \"gone\\n\";\n");
        return www;
    }

    private static LisoProcess serve(Path www, PhpFpm fpm, String... flags) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("serve", "--http", "127.0.0.1:0",
                "--no-https", "--root", www.toString(), "--fastcgi", "*.php=" + fpm.address()));
        args.addAll(java.util.List.of(flags));
        return LisoProcess.start(1, args.toArray(String[]::new));
    }

    private static String url(LisoProcess liso, String path) {
        return "http://127.0.0.1:" + liso.port(0) + path;
    }

    @Test
    void aPhpPageGetsItsScriptAndPathInfo() throws Exception {
        Path www = site();
        String root = www.toAbsolutePath().normalize().toString();
        try (PhpFpm fpm = PhpFpm.start(dir, 2); LisoProcess liso = serve(www, fpm)) {
            Curl.Reply r = Curl.run("-i", url(liso, "/index.php/more/path?x=%C3%A9t%C3%A9"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).contains("X-From: php\r\n")
                    .contains("SCRIPT_NAME=/index.php\n")
                    .contains("SCRIPT_FILENAME=" + root + "/index.php\n")
                    .contains("DOCUMENT_ROOT=" + root + "\n")
                    .contains("PATH_INFO=/more/path\n")
                    .contains("QUERY_STRING=x=%C3%A9t%C3%A9\n")
                    .contains("REQUEST_METHOD=GET\n")
                    .contains("SERVER_PROTOCOL=HTTP/1.1\n")
                    .contains("x=été\n");
            assertThat(Curl.run(url(liso, "/missing.php")).status()).as("the script's own status").isEqualTo(404);
            assertThat(Curl.run(url(liso, "/absent.php")).status()).as("no such file: php-fpm not asked")
                    .isEqualTo(404);
            // A dot segment in the script's path never becomes its file name (here it would name index.php).
            assertThat(Curl.run("--path-as-is", url(liso, "/sub/../index.php")).status()).isEqualTo(400);
            assertThat(Curl.run("--path-as-is", url(liso, "/sub/%2e%2e/index.php")).status()).isEqualTo(400);
            Curl.Reply head = Curl.run("-I", url(liso, "/index.php"));
            assertThat(head.status()).isEqualTo(200);
            // Many requests over kept connections: every one answered in full.
            for (int i = 0; i < 50; i++) {
                assertThat(Curl.run(url(liso, "/index.php?x=" + i)).body()).contains("x=" + i + "\n");
            }
        }
    }

    @Test
    void aTenMebibytePostReachesPhpWhole() throws Exception {
        Path www = site();
        byte[] big = new byte[10 << 20];
        new Random(3).nextBytes(big);
        Path upload = Files.write(dir.resolve("upload.bin"), big);
        try (PhpFpm fpm = PhpFpm.start(dir, 2); LisoProcess liso = serve(www, fpm)) {
            String expected = big.length + " " + FastCgiResponderIT.sha256(big) + " " + big.length + "\n";
            Curl.Reply r = Curl.run("-H", "Content-Type: application/octet-stream", "--data-binary", "@" + upload,
                    url(liso, "/upload.php"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(expected);
            Curl.Reply chunked = Curl.run("-H", "Content-Type: application/octet-stream", "-H",
                    "Transfer-Encoding: chunked", "--data-binary", "@" + upload, url(liso, "/upload.php"));
            assertThat(chunked.body()).isEqualTo(expected);
        }
    }

    @Test
    void aSlowPageIsAwaitedUpToTheTimeoutThen504() throws Exception {
        Path www = site();
        try (PhpFpm fpm = PhpFpm.start(dir, 2); LisoProcess liso = serve(www, fpm, "--fastcgi-timeout", "2s")) {
            Curl.Reply within = Curl.run(url(liso, "/slow.php?ms=500"));
            assertThat(within.status()).isEqualTo(200);
            assertThat(within.body()).isEqualTo("slept\n");
            long t0 = System.nanoTime();
            assertThat(Curl.run(url(liso, "/slow.php?ms=6000")).status()).isEqualTo(504);
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(1_500L, 5_500L);
            assertThat(Curl.run(url(liso, "/index.php")).status()).as("php-fpm still answers").isEqualTo(200);
        }
    }

    @Test
    void aStoppedPhpFpmIs502() throws Exception {
        Path www = site();
        try (PhpFpm fpm = PhpFpm.start(dir, 2); LisoProcess liso = serve(www, fpm)) {
            assertThat(Curl.run(url(liso, "/index.php")).status()).isEqualTo(200);
            fpm.stop();
            Curl.Reply r = Curl.run(url(liso, "/index.php"));
            assertThat(r.status()).isEqualTo(502);
            assertThat(Curl.run(url(liso, "/index.php")).status()).isEqualTo(502);
            assertThat(liso.stderr()).contains("fastcgi");
        }
    }
}
