package org.liso;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The error log is one writer for every loop (and the CGI pumps, and signal handlers): lines said at the same time
 * by several threads come out whole, each once, and each thread's lines in the order it said them.
 */
class LogWriterConcurrencyTest {
    private static final int THREADS = 4;
    private static final int LINES = 3_000;
    private static final Pattern LINE = Pattern.compile(
            "\\S+Z WARN loop-(\\d) fault seen n=(\\d+) detail=\"x{200} with \\\\\"quotes\\\\\"\"");

    @TempDir
    Path dir;

    @Test
    void linesFromManyThreadsAreWholeAndInEachThreadsOrder() throws Exception {
        Path file = dir.resolve("error.log");
        LogWriter writer = LogWriter.toFile("error", file, THREADS * LINES + 16);
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            String component = "loop-" + t;
            Thread th = new Thread(() -> {
                try {
                    start.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < LINES; i++) {
                    writer.line(Log.format(System.currentTimeMillis(), Log.Level.WARN, component, "fault seen",
                            "n", i, "detail", "x".repeat(200) + " with \"quotes\""));
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join(30_000);
        }
        writer.close();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(THREADS * LINES);
        Map<String, Integer> next = new HashMap<>();
        for (String l : lines) {
            Matcher m = LINE.matcher(l);
            assertThat(m.matches()).as("whole line: %s", l).isTrue();
            int expected = next.getOrDefault(m.group(1), 0);
            assertThat(Integer.parseInt(m.group(2))).as("order of loop-%s", m.group(1)).isEqualTo(expected);
            next.put(m.group(1), expected + 1);
        }
    }
}
