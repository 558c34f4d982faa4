package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;
import org.liso.testing.RawConnection;

/**
 * {@code liso serve} behind proxies, end to end: with {@code --proxy-protocol} the client a PROXY header names is
 * the CGI script's REMOTE_ADDR and REMOTE_PORT and the access log's host, whether curl sends the header
 * ({@code --haproxy-protocol}, v1) or a raw v2 header does; with {@code --forwarded-headers} a trusted peer's
 * X-Forwarded-For does the same; without the flags those headers change nothing; half a setup is a usage error.
 */
class ServeBehindProxyIT {
    private static final byte[] V2_TCP4 = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A,
            0x21, 0x11, 0x00, 0x0C, (byte) 203, 0, 113, 9, 127, 0, 0, 1, (byte) 0x9c, 0x40, 0x00, 0x50};

    @TempDir
    Path dir;

    private Path site() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("index.html"), "index\n");
        return root;
    }

    private Path script() throws Exception {
        Path s = dir.resolve("who.cgi");
        Files.writeString(s, "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n'\n"
                + "echo \"REMOTE_ADDR=$REMOTE_ADDR REMOTE_PORT=$REMOTE_PORT\"\n");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
        return s;
    }

    @Test
    void theProxiedClientIsWhatCgiAndTheAccessLogSee() throws Exception {
        Path log = dir.resolve("access.log");
        try (LisoProcess liso = LisoProcess.start(1, "serve", "--root", site().toString(), "--http", "127.0.0.1:0",
                "--cgi", script().toString(), "--access-log", log.toString(), "--proxy-protocol",
                "--trusted-proxies", "127.0.0.1", "-q")) {
            try (RawConnection c = RawConnection.open(liso.port(0))) {
                c.send(V2_TCP4);
                String body = c.send("GET /cgi/ HTTP/1.1\r\nHost: x\r\n\r\n").read().bodyText();
                assertThat(body).isEqualTo("REMOTE_ADDR=203.0.113.9 REMOTE_PORT=40000\n");
            }
            String viaCurl = run("curl", "-sS", "--max-time", "20", "--haproxy-protocol", liso.url(0) + "cgi/");
            assertThat(viaCurl).startsWith("REMOTE_ADDR=127.0.0.1 REMOTE_PORT=");
            String plain = run("curl", "-sS", "--max-time", "20", "-o", "/dev/null", "-w", "%{http_code}",
                    liso.url(0));
            assertThat(plain).as("a client without a header gets no answer").isEqualTo("000");
            // Two lines, one per answered client; with several loops their order in the file is the order the loops
            // handed them over, not that of the requests, so each is found by whom it names.
            List<String> lines = awaitLines(log, 2);
            assertThat(lines).hasSize(2)
                    .anyMatch(l -> l.startsWith("203.0.113.9 - - [") && l.contains("\"GET /cgi/ HTTP/1.1\" 200"))
                    .anyMatch(l -> l.startsWith("127.0.0.1 - - ["));
        }
    }

    @Test
    void onlyTheListenerThatAsksReadsAHeaderAndOnHttpsItComesBeforeTls() throws Exception {
        try (LisoProcess liso = LisoProcess.start(2, "serve", "--root", site().toString(), "--http", "127.0.0.1:0",
                "--https", "127.0.0.1:0", "--cgi", script().toString(), "--proxy-protocol=https",
                "--trusted-proxies", "127.0.0.1", "-q")) {
            String https = liso.url(0).startsWith("https:") ? liso.url(0) : liso.url(1);
            String http = liso.url(0).startsWith("https:") ? liso.url(1) : liso.url(0);
            assertThat(run("curl", "-sSk", "--max-time", "20", "--haproxy-protocol", https + "cgi/"))
                    .startsWith("REMOTE_ADDR=127.0.0.1 REMOTE_PORT=");
            assertThat(run("curl", "-sSk", "--max-time", "20", "-o", "/dev/null", "-w", "%{http_code}", https))
                    .as("TLS without the header first").isEqualTo("000");
            assertThat(run("curl", "-sS", "--max-time", "20", http + "cgi/"))
                    .as("the plain listener reads no header").startsWith("REMOTE_ADDR=127.0.0.1 ");
        }
    }

    @Test
    void forwardedHeadersAreFollowedOnlyWhenAskedAndOnlyFromTrustedPeers() throws Exception {
        String[] base = {"serve", "--root", site().toString(), "--http", "127.0.0.1:0", "--cgi",
                script().toString(), "-q"};
        try (LisoProcess liso = LisoProcess.start(1, concat(base, "--forwarded-headers", "--trusted-proxies",
                "127.0.0.0/8"))) {
            assertThat(run("curl", "-sS", "--max-time", "20", "-H", "X-Forwarded-For: 1.1.1.1, 198.51.100.4",
                    liso.url(0) + "cgi/")).isEqualTo("REMOTE_ADDR=198.51.100.4 REMOTE_PORT=0\n");
            assertThat(run("curl", "-sS", "--max-time", "20", "-H", "Forwarded: for=\"[2001:db8::7]:4711\"",
                    liso.url(0) + "cgi/")).isEqualTo("REMOTE_ADDR=2001:db8:0:0:0:0:0:7 REMOTE_PORT=4711\n");
        }
        try (LisoProcess liso = LisoProcess.start(1, concat(base, "--forwarded-headers", "--trusted-proxies",
                "10.0.0.0/8"))) {
            assertThat(run("curl", "-sS", "--max-time", "20", "-H", "X-Forwarded-For: 198.51.100.4",
                    liso.url(0) + "cgi/")).as("the peer is not trusted").startsWith("REMOTE_ADDR=127.0.0.1 ");
        }
        try (LisoProcess liso = LisoProcess.start(1, base)) {
            assertThat(run("curl", "-sS", "--max-time", "20", "-H", "X-Forwarded-For: 198.51.100.4",
                    liso.url(0) + "cgi/")).as("never by default").startsWith("REMOTE_ADDR=127.0.0.1 ");
        }
    }

    @Test
    void halfASetupIsAUsageError() throws Exception {
        Path root = site();
        assertUsage("--proxy-protocol needs --trusted-proxies", "--root", root.toString(), "--proxy-protocol");
        assertUsage("--forwarded-headers needs --trusted-proxies", "--root", root.toString(), "--forwarded-headers");
        assertUsage("--trusted-proxies applies to", "--root", root.toString(), "--trusted-proxies", "127.0.0.1");
        assertUsage("did you mean 10.0.0.0/8", "--root", root.toString(), "--proxy-protocol", "--trusted-proxies",
                "10.0.0.1/8");
        assertUsage("names a listener that is off", "--root", root.toString(), "--proxy-protocol=https",
                "--trusted-proxies", "127.0.0.1");
    }

    private void assertUsage(String message, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(LisoProcess.java(), "-jar",
                LisoProcess.jar().toString(), "serve", "--http", "127.0.0.1:0"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(2);
        assertThat(out).contains(message);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    private static List<String> awaitLines(Path log, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> lines = List.of();
        while (System.nanoTime() < deadline) {
            lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            if (lines.size() >= n) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(lines).hasSizeGreaterThanOrEqualTo(n);
        return lines;
    }
}
