package org.liso.http2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;

/** The HTTP/2 flags of {@code liso serve}: --no-h2, --h2c, --h2-max-streams, and their usage errors. */
class Http2FlagsIT {
    @TempDir
    Path tmp;

    private Path root() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(root.resolve("index.html"), "hello over h2\n");
        return root;
    }

    @Test
    void noH2OffersOnlyHttp11AndLeavesThePrefaceToHttp11() throws Exception {
        try (LisoProcess liso = LisoProcess.start(2, "serve", "--root", root().toString(), "--http", "127.0.0.1:0",
                "--https", "127.0.0.1:0", "--no-h2")) {
            String https = liso.url(0).startsWith("https") ? liso.url(0) : liso.url(1);
            String http = liso.url(0).startsWith("https") ? liso.url(1) : liso.url(0);
            Http2ClientsIT.Run tls = Http2ClientsIT.curl("--http2", "-v", "-o", "/dev/null", https);
            assertThat(tls.err()).contains("ALPN: offers h2,http/1.1").contains("ALPN: server accepted http/1.1");
            assertThat(afterPreface(java.net.URI.create(http).getPort())).startsWith("HTTP/1.1 505 ");
        }
    }

    /** What a server says to the HTTP/2 preface, to its close. */
    private static String afterPreface(int port) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(ServerSession.PREFACE);
            return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void withoutH2cAPlainListenerIsHttp11Only() throws Exception {
        try (LisoProcess liso = LisoProcess.start(1, "serve", "--root", root().toString(), "--http",
                "127.0.0.1:0")) {
            assertThat(afterPreface(liso.port(0))).startsWith("HTTP/1.1 505 "); // RFC 9110 §15.6.6, then closed
        }
    }

    @Test
    void h2MaxStreamsIsAnnouncedAndEnforced() throws Exception {
        try (LisoProcess liso = LisoProcess.start(1, "serve", "--root", root().toString(), "--http",
                "127.0.0.1:0", "--h2c", "--h2-max-streams", "2")) {
            try (WireClient c = WireClient.open(liso.port(0))) {
                c.preface(Settings.INITIAL_WINDOW_SIZE, 0).send(); // every answer waits: its stream stays open
                assertThat(c.next()).startsWith("SETTINGS 0 streams=2 ");
                c.settingsAck().get(1, "/").get(3, "/").get(5, "/").send();
                assertThat(c.until(f -> f.startsWith("RST_STREAM") || f.startsWith("GOAWAY")))
                        .isEqualTo("RST_STREAM 5 REFUSED_STREAM");
            }
        }
    }

    @Test
    void badValuesAreUsageErrors() throws Exception {
        for (String[] flags : new String[][] {{"--h2-max-frame", "1k"}, {"--h2-max-streams", "0"},
            {"--h2-max-header-list", "100"}, {"--no-h2", "--h2c"}}) {
            java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(LisoProcess.java(), "-jar",
                    LisoProcess.jar().toString(), "serve", "--root", root().toString(), "--http", "127.0.0.1:0"));
            cmd.addAll(java.util.List.of(flags));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(String.join(" ", flags) + ": " + out).isEqualTo(2);
            assertThat(out).as(String.join(" ", flags)).contains(flags[0]);
        }
    }
}
