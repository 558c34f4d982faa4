package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;

/**
 * Keep-alive as real clients use it, beyond what FileServeIT covers (GET/HEAD/Range/304 one by one, and reuse across
 * 200s): curl reusing one connection across 404, 304, 206, 405 with a body, HTTP/1.0 keep-alive, and python3's
 * http.client sending every kind of request on one socket.
 */
class CurlIT {
    private static final String HELLO = "hello, keep-alive\n";
    private static final int BIG = 300_000;

    @TempDir
    static Path tmp;

    private static LisoProcess server;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(root.resolve("hello.txt"), HELLO);
        byte[] big = new byte[BIG];
        new Random(3).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        server = LisoProcess.start(1, "serve", "--root", root.toString(), "--http", "127.0.0.1:0", "-q");
        base = server.url(0).substring(0, server.url(0).length() - 1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** Runs a command, bounded; returns stdout + "\n---stderr---\n" + stderr and checks the exit code is 0. */
    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("did not finish: " + List.of(cmd));
        }
        String all = out + "\n---stderr---\n" + err.get();
        assertThat(p.exitValue()).as(all).isZero();
        return all;
    }

    private static long count(String text, String regex) {
        return Pattern.compile(regex, Pattern.MULTILINE).matcher(text).results().count();
    }

    private static String etag() throws Exception {
        String head = run("curl", "-sS", "-I", base + "/hello.txt");
        return head.lines().filter(l -> l.regionMatches(true, 0, "ETag:", 0, 5)).findFirst().orElseThrow()
                .substring(5).trim();
    }

    @Test
    void curlKeepsOneConnectionAcrossErrorsConditionalsRangesAndABodyItDoesNotWant() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-v", "--max-time", "20",
                "-o", "/dev/null", base + "/missing.txt",
                "--next", "-o", "/dev/null", "-H", "If-None-Match: " + etag(), base + "/hello.txt",
                "--next", "-o", "/dev/null", "-r", "0-4", base + "/hello.txt",
                "--next", "-o", "/dev/null", "-d", "x=1", base + "/hello.txt",
                "--next", "-o", "/dev/null", base + "/big.bin",
                "--next", base + "/hello.txt"));
        String out = run(cmd.toArray(String[]::new));
        assertThat(count(out, "^< HTTP/1.1 (\\d+)")).isEqualTo(6);
        assertThat(out).contains("< HTTP/1.1 404").contains("< HTTP/1.1 304").contains("< HTTP/1.1 206")
                .contains("< HTTP/1.1 405").contains("< HTTP/1.1 200");
        assertThat(count(out, "Re-using existing connection")).as(out).isEqualTo(5);
        assertThat(out).startsWith(HELLO).doesNotContain("Connection: close");
    }

    @Test
    void http10ClientsAskingForKeepAliveKeepTheirConnection() throws Exception {
        String out = run("curl", "-sS", "-v", "--max-time", "20", "--http1.0", "-H", "Connection: keep-alive",
                "-w", "size=%{size_download}\\n", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null",
                base + "/hello.txt", base + "/big.bin", base + "/hello.txt");
        assertThat(count(out, "^< HTTP/1.0 200|^< HTTP/1.1 200")).as(out).isEqualTo(3);
        assertThat(count(out, "(?i)^< Connection: keep-alive")).as(out).isEqualTo(3);
        assertThat(count(out, "Re-using existing connection")).as(out).isEqualTo(2);
        assertThat(out).startsWith("size=" + HELLO.length() + "\nsize=" + BIG + "\nsize=" + HELLO.length() + "\n");
    }

    @Test
    void pythonHttpClientSendsEveryKindOfRequestOnOneSocket() throws Exception {
        Path script = tmp.resolve("one_connection.py");
        try (var in = CurlIT.class.getResourceAsStream("one_connection.py")) {
            Files.write(script, in.readAllBytes());
        }
        String out = run("python3", script.toString(), Integer.toString(server.port(0)));
        List<String> lines = out.substring(0, out.indexOf("\n---stderr---")).lines().toList();
        assertThat(lines).hasSize(8);
        assertThat(lines).allSatisfy(l -> assertThat(l).contains("\"sockets\": 1").contains("\"connection\": null"));
        assertThat(lines.get(0)).contains("\"status\": 200", "\"length\": " + HELLO.length());
        assertThat(lines.get(1)).contains("\"status\": 200", "\"length\": 0");
        assertThat(lines.get(2)).contains("\"status\": 206", "\"body\": \"hello\"", "bytes 0-4/" + HELLO.length());
        assertThat(lines.get(3)).contains("\"status\": 304", "\"length\": 0");
        assertThat(lines.get(4)).contains("\"status\": 404");
        assertThat(lines.get(5)).contains("\"status\": 405");
        assertThat(lines.get(6)).contains("\"status\": 200", "\"length\": " + BIG);
        assertThat(lines.get(7)).contains("\"status\": 200", "\"body\": \"hello, keep-alive\\n\"");
    }
}
