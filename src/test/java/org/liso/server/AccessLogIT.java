package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;
import org.liso.testing.RawClient;
import org.liso.testing.RawConnection;

/**
 * {@code --access-log FILE} writes one Combined Log Format line per response:
 * {@code host - - [dd/Mon/yyyy:HH:mm:ss +0000] "request line" status bytes "Referer" "User-Agent"}, with quotes and
 * backslashes escaped and control bytes written as {@code \xHH}, so a client cannot forge or split lines.
 */
class AccessLogIT {
    /** The whole line; groups: time, request line, status, bytes, referer, user agent. */
    private static final Pattern CLF = Pattern.compile("127\\.0\\.0\\.1 - - \\[([^\\]]+)\\] \"((?:[^\"\\\\]|\\\\.)*)\" "
            + "(\\d{3}) (\\d+|-) \"((?:[^\"\\\\]|\\\\.)*)\" \"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final DateTimeFormatter CLF_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z",
            Locale.ROOT);

    @TempDir
    Path dir;

    @Test
    void oneCombinedLogFormatLinePerResponseWithHostileFieldsEscaped() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("index.html"), "index\n");
        Path log = dir.resolve("access.log");
        try (LisoProcess liso = LisoProcess.start(1, "serve", "--root", root.toString(), "--http", "127.0.0.1:0",
                "--access-log", log.toString(), "-q"); RawConnection c = RawConnection.open(liso.port(0))) {
            RawClient.Reply ok = c.send("GET /index.html?q=1 HTTP/1.1\r\nHost: x\r\n"
                    + "Referer: http://ref.test/a\"b\\c\r\n"
                    + "User-Agent: agent \"quoted\"\tx\" \"forged\r\n\r\n").read();
            assertThat(ok.status()).isEqualTo(200);
            RawClient.Reply missing = c.send("GET /missing HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(missing.status()).isEqualTo(404);
            // The parser refuses a quote or a control byte in the request line (400, then close): such a line must
            // not reach the log raw, where it could end the quoted field early or start a new line.
            RawClient.Reply bad = c.send("GET /\u0001x\" 200 \"-\" \"-\"\r\n HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(bad.status()).isEqualTo(400);
            c.awaitClose();

            List<String> lines = awaitLines(log, 3);
            assertThat(lines).hasSize(3);
            for (String line : lines) {
                assertThat(line.chars().filter(ch -> ch < ' ' || ch == 0x7f))
                        .as("raw control characters in %s", line).isEmpty();
            }

            Matcher first = match(lines.get(0));
            ZonedDateTime when = ZonedDateTime.parse(first.group(1), CLF_TIME);
            assertThat(first.group(1)).endsWith(" +0000");
            assertThat(Duration.between(when, ZonedDateTime.now()).abs()).isLessThan(Duration.ofMinutes(2));
            assertThat(first.group(2)).isEqualTo("GET /index.html?q=1 HTTP/1.1");
            assertThat(first.group(3)).isEqualTo("200");
            assertThat(first.group(4)).as("body bytes of a complete response").isEqualTo("6");
            assertThat(first.group(5)).isEqualTo("http://ref.test/a\\\"b\\\\c");
            assertThat(first.group(6)).isEqualTo("agent \\\"quoted\\\"\\x09x\\\" \\\"forged");

            Matcher second = match(lines.get(1));
            assertThat(second.group(2)).isEqualTo("GET /missing HTTP/1.1");
            assertThat(second.group(3)).isEqualTo("404");
            assertThat(second.group(4)).isEqualTo(missing.header("Content-Length"));
            assertThat(second.group(5)).as("no Referer").isEqualTo("-");
            assertThat(second.group(6)).as("no User-Agent").isEqualTo("-");

            Matcher third = match(lines.get(2));
            assertThat(third.group(3)).isEqualTo("400");
            assertThat(third.group(2)).as("an unparsable request line").isEqualTo("-");
        }
    }

    private static Matcher match(String line) {
        Matcher m = CLF.matcher(line);
        assertThat(m.matches()).as("Combined Log Format: %s", line).isTrue();
        return m;
    }

    /** The log is written out every quarter second: polls until {@code n} lines are there. */
    private static List<String> awaitLines(Path log, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> lines = List.of();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                if (lines.size() >= n) {
                    return lines;
                }
            }
            Thread.sleep(50);
        }
        return lines;
    }
}
