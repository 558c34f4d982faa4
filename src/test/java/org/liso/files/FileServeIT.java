package org.liso.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.liso.files.LisoServeProcess.curl;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The static-file handler behind the real server, driven by curl over loopback. */
class FileServeIT {
    private static final long HUGE = 3L * 1024 * 1024 * 1024 + 5;
    private static final long MARK_AT = 3_000_000_000L;

    @TempDir
    static Path tmp;

    private static Path root;
    private static byte[] big;
    private static LisoServeProcess server;

    @BeforeAll
    static void start() throws Exception {
        root = Files.createDirectories(tmp.resolve("www"));
        DemoSite.extractTo(root);
        Files.writeString(root.resolve("hello.txt"), "hello, static world\n");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/index.html"), "<p>sub</p>");
        big = new byte[48 << 20];
        new Random(7).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        try (RandomAccessFile f = new RandomAccessFile(root.resolve("huge.bin").toFile(), "rw")) {
            f.setLength(HUGE);
            f.seek(MARK_AT);
            f.write("MARK".getBytes(StandardCharsets.US_ASCII));
        }
        Files.writeString(tmp.resolve("secret.txt"), "do not serve");
        Files.createSymbolicLink(root.resolve("escape.txt"), tmp.resolve("secret.txt"));
        server = LisoServeProcess.start(root, List.of());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static String url(String path) {
        return server.url + path;
    }

    private static String header(String head, String name) {
        Matcher m = Pattern.compile("(?im)^" + name + ":\\s*(.*?)\\r?$").matcher(head);
        return m.find() ? m.group(1) : null;
    }

    private static String status(String... args) throws Exception {
        String[] all = new String[args.length + 4];
        all[0] = "-o";
        all[1] = "/dev/null";
        all[2] = "-w";
        all[3] = "%{http_code}";
        System.arraycopy(args, 0, all, 4, args.length);
        return curl(all).text();
    }

    @Test
    void getAndHeadAgree() throws Exception {
        LisoServeProcess.Result get = curl("-D", "-", url("/hello.txt"));
        assertThat(get.text()).startsWith("HTTP/1.1 200").endsWith("hello, static world\n");
        assertThat(header(get.text(), "Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(header(get.text(), "Content-Length")).isEqualTo("20");
        assertThat(header(get.text(), "Accept-Ranges")).isEqualTo("bytes");
        LisoServeProcess.Result head = curl("-I", url("/hello.txt"));
        assertThat(header(head.text(), "ETag")).isEqualTo(header(get.text(), "ETag"));
        assertThat(header(head.text(), "Content-Length")).isEqualTo("20");
        assertThat(header(head.text(), "Last-Modified")).isEqualTo(header(get.text(), "Last-Modified"));
    }

    @Test
    void headsAndGetsShareOneConnectionWithoutStrayBodies() throws Exception {
        LisoServeProcess.Result r = curl("-v", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null", "-o",
                "/dev/null", url("/"), url("/style.css"), url("/liso.svg"), url("/hello.txt"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Pattern.compile("Re-using existing connection").matcher(r.err()).results().count()).isEqualTo(3);
        assertThat(r.err()).contains("image/svg+xml").contains("text/css");
        LisoServeProcess.Result heads = curl("-I", url("/big.bin"), url("/hello.txt"), url("/"));
        assertThat(heads.exit()).as(heads.err()).isZero();
        assertThat(heads.text()).contains("Content-Length: " + big.length).contains("Content-Length: 20");
        assertThat(Pattern.compile("HTTP/1.1 200").matcher(heads.text()).results().count()).isEqualTo(3);
    }

    @Test
    void largeFileArrivesIntact() throws Exception {
        LisoServeProcess.Result r = curl(url("/big.bin"));
        assertThat(r.out().length).isEqualTo(big.length);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        assertThat(HexFormat.of().formatHex(sha.digest(r.out())))
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(big)));
    }

    @Test
    void rangesIncludingPastTwoGibibytes() throws Exception {
        LisoServeProcess.Result part = curl("-D", "-", "-r", "7-12", url("/hello.txt"));
        assertThat(part.text()).startsWith("HTTP/1.1 206").endsWith("static");
        assertThat(header(part.text(), "Content-Range")).isEqualTo("bytes 7-12/20");
        LisoServeProcess.Result mark = curl("-D", "-", "-r", MARK_AT + "-" + (MARK_AT + 3), url("/huge.bin"));
        assertThat(mark.text()).startsWith("HTTP/1.1 206").endsWith("MARK");
        assertThat(header(mark.text(), "Content-Range"))
                .isEqualTo("bytes " + MARK_AT + "-" + (MARK_AT + 3) + "/" + HUGE);
        assertThat(header(curl("-I", url("/huge.bin")).text(), "Content-Length")).isEqualTo(Long.toString(HUGE));
        LisoServeProcess.Result bad = curl("-D", "-", "-o", "/dev/null", "-r", "100-", url("/hello.txt"));
        assertThat(bad.text()).startsWith("HTTP/1.1 416");
        assertThat(header(bad.text(), "Content-Range")).isEqualTo("bytes */20");
    }

    @Test
    void conditionalRequestsGive304() throws Exception {
        String head = curl("-I", url("/style.css")).text();
        String etag = header(head, "ETag");
        String lastModified = header(head, "Last-Modified");
        LisoServeProcess.Result r = curl("-D", "-", "-H", "If-None-Match: " + etag, url("/style.css"));
        assertThat(r.text()).startsWith("HTTP/1.1 304");
        assertThat(header(r.text(), "ETag")).isEqualTo(etag);
        assertThat(r.text()).endsWith("\r\n\r\n");
        assertThat(status("-H", "If-Modified-Since: " + lastModified, url("/style.css"))).isEqualTo("304");
        assertThat(status("-H", "If-None-Match: \"nope\"", url("/style.css"))).isEqualTo("200");
        assertThat(status("-r", "0-3", "-H", "If-Range: \"nope\"", url("/style.css"))).isEqualTo("200");
        assertThat(status("-r", "0-3", "-H", "If-Range: " + etag, url("/style.css"))).isEqualTo("206");
    }

    @Test
    void pathsCannotLeaveTheRoot() throws Exception {
        assertThat(status("--path-as-is", url("/../../../../etc/passwd"))).isEqualTo("404");
        assertThat(status("--path-as-is", url("/%2e%2e/%2e%2e/etc/passwd"))).isEqualTo("404");
        assertThat(status(url("/..%2f..%2fetc%2fpasswd"))).isEqualTo("400");
        assertThat(status(url("/hello.txt%00"))).isEqualTo("400");
        assertThat(status(url("/escape.txt"))).isEqualTo("403");
        assertThat(status(url("/nope.html"))).isEqualTo("404");
    }

    @Test
    void aSymlinkLeavingTheRootIsLoggedOncePerIntervalNotPerRequest() throws Exception {
        long before = escapeLines().size();
        for (int i = 0; i < 20; i++) {
            assertThat(status(url("/escape.txt"))).isEqualTo("403");
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<String> lines = escapeLines();
        while (lines.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            lines = escapeLines();
        }
        assertThat(lines).as("the operator hears of it").isNotEmpty();
        // 20 requests well within one interval: at most one line (none if another test's request opened it).
        assertThat(lines.size() - before).as("lines for 20 requests").isLessThanOrEqualTo(1);
        assertThat(lines.get(0)).contains("WARN files").contains("escape.txt").contains("secret.txt");
    }

    private static List<String> escapeLines() throws Exception {
        return server.stderr().lines().filter(l -> l.contains("symlink leads outside the root")).toList();
    }

    @Test
    void directoriesAndMethods() throws Exception {
        LisoServeProcess.Result r = curl("-D", "-", "-o", "/dev/null", url("/sub?x=1"));
        assertThat(r.text()).startsWith("HTTP/1.1 301");
        assertThat(header(r.text(), "Location")).isEqualTo("/sub/?x=1");
        assertThat(curl("-L", url("/sub")).text()).isEqualTo("<p>sub</p>");
        LisoServeProcess.Result post = curl("-D", "-", "-o", "/dev/null", "-d", "x=1", url("/hello.txt"));
        assertThat(post.text()).startsWith("HTTP/1.1 405");
        assertThat(header(post.text(), "Allow")).isEqualTo("GET, HEAD");
        // 501 is about the server, which does not know the resource there: it must not list methods that
        // contradict the 405's (RFC 9110 §10.2.1: Allow lists what the target resource supports).
        LisoServeProcess.Result put = curl("-D", "-", "-o", "/dev/null", "-X", "PUT", "-d", "x", url("/hello.txt"));
        assertThat(put.text()).startsWith("HTTP/1.1 501");
        assertThat(header(put.text(), "Allow")).isNull();
    }
}
