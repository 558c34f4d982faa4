package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;

/** ApacheBench (ab, from scripts/install-test-tools.sh) against liso serve: many clients, every answer right. */
class ApacheBenchIT {
    private static final int SIZE = 1024;

    @TempDir
    static Path tmp;

    private static LisoProcess server;

    @BeforeAll
    static void start() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("www"));
        Files.write(root.resolve("1k.bin"), new byte[SIZE]);
        server = LisoProcess.start(1, "serve", "--root", root.toString(), "--http", "127.0.0.1:0", "-q",
                "--max-connections", "2000");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static String ab(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("ab", "-q", "-s", "20"));
        cmd.addAll(List.of(args));
        cmd.add(server.url(0) + "1k.bin");
        Path out = tmp.resolve("ab.out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(50, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("ab did not finish in 50 s: " + cmd);
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        return text;
    }

    private static long field(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + ":\\s+(\\d+)").matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    @Test
    void eightHundredKeepAliveClientsGetAHundredThousandRightAnswers() throws Exception {
        String out = ab("-k", "-c", "800", "-n", "100000");
        assertThat(field(out, "Complete requests")).as(out).isEqualTo(100_000);
        assertThat(field(out, "Failed requests")).as(out).isZero();
        assertThat(field(out, "Non-2xx responses")).as(out).isIn(-1L, 0L); // ab prints the line only when > 0
        assertThat(field(out, "Document Length")).as(out).isEqualTo(SIZE);
        assertThat(field(out, "Keep-Alive requests")).as(out).isEqualTo(100_000);
        assertThat(field(out, "Total transferred")).as(out).isGreaterThan(100_000L * SIZE);
    }

    @Test
    void aConnectionPerRequestAlsoWorks() throws Exception {
        String out = ab("-c", "100", "-n", "10000");
        assertThat(field(out, "Complete requests")).as(out).isEqualTo(10_000);
        assertThat(field(out, "Failed requests")).as(out).isZero();
        assertThat(field(out, "Non-2xx responses")).as(out).isIn(-1L, 0L);
        assertThat(field(out, "Document Length")).as(out).isEqualTo(SIZE);
    }
}
