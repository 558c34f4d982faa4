package org.liso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;
import org.liso.testing.LisoRun;
import org.liso.testing.RawClient;

/** Sizes and durations with units, as a user types them, on real processes: honoured, shown, or refused clearly. */
class CliUnitsIT {
    @TempDir
    Path root;

    @Test
    void serveHonoursASizeAndADurationWithUnits() throws Exception {
        Files.writeString(root.resolve("index.html"), "hi\n");
        try (LisoProcess liso = LisoProcess.start(1, "serve", "--root", root.toString(), "--http", "127.0.0.1:0",
                "--max-body", "1k", "--idle-timeout", "500ms", "--header-timeout", "2s", "--shutdown-grace", "1s",
                "-q")) {
            String body = "x".repeat(1025);
            RawClient.Exchange big = RawClient.send(liso.port(0), ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII), 2000, false);
            assertThat(big.replies()).isNotEmpty();
            assertThat(big.replies().get(0).status()).as("1k is 1024 bytes: 1025 is too large").isEqualTo(413);
            try (Socket s = new Socket("127.0.0.1", liso.port(0))) {
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                long start = System.nanoTime();
                while (in.read() >= 0) {
                    // the response, then the end of the connection when it has been idle for 500 ms
                }
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertThat(millis).as("closed after 500ms idle, not the default 60 s").isLessThan(5_000);
            }
        }
    }

    @Test
    void echoTakesUnitsToo() throws Exception {
        try (LisoProcess echo = LisoProcess.start(1, "echo", "--port", "0", "--buffer", "4k", "--idle-timeout",
                "300ms", "--shutdown-grace", "1s")) {
            try (Socket s = new Socket("127.0.0.1", echo.port(0))) {
                s.setSoTimeout(10_000);
                long start = System.nanoTime();
                assertThat(s.getInputStream().read()).as("an idle client is closed").isEqualTo(-1);
                assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
            }
        }
    }

    @Test
    void garbageIsAUsageErrorNamingTheOptionAndTheForms() throws Exception {
        LisoRun r = LisoRun.of("serve", "--max-body", "10MB");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("--max-body").contains("'10MB' is not a size").contains("10M, 1G");
        LisoRun t = LisoRun.of("serve", "--idle-timeout", "-5s");
        assertThat(t.exitCode()).isEqualTo(2);
        assertThat(t.stderr()).contains("--idle-timeout").contains("'-5s' is not a duration").contains("500ms");
        LisoRun p = LisoRun.of("probe", "127.0.0.1", "1", "--timeout", "soon");
        assertThat(p.exitCode()).isEqualTo(2);
        assertThat(p.stderr()).contains("--timeout").contains("'soon' is not a duration");
        assertThat(LisoRun.of("listen", "tcp4:0", "--receive-buffer", "4G").stderr())
                .contains("--receive-buffer must be below 2G");
    }

    @Test
    void helpShowsTheFormsAndDefaultsInThem() throws Exception {
        LisoRun r = LisoRun.of("serve", "--help");
        assertThat(r.exitCode()).isZero();
        String help = r.stdout().replaceAll("\\s+", " ");
        assertThat(help).contains("--max-body=SIZE").contains("(default: 16M)").contains("--idle-timeout=TIME")
                .contains("(default: 1m)").contains("10M").contains("500ms");
    }
}
