package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.LogWriter;
import org.liso.loop.ConnectionBudget;
import org.liso.server.spi.Body;
import org.liso.server.spi.Response;
import org.liso.testing.KeepAliveLoad;
import org.liso.transport.TransportFactory;

/**
 * Two loops log to one access-log file at once: each formats its lines in a buffer of its own and hands whole lines
 * to the one writer (its queue is the one order of the file), so the file has every line, none torn or mixed with
 * another. 8,000 lines stay below the writer's queue, so none may be dropped either.
 */
class LoopsAccessLogIT {
    private static final byte[] BODY = "ok\n".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern LINE = Pattern.compile(
            "127\\.0\\.0\\.1 - - \\[[^\\]]+\\] \"GET (/long-[a]{300}|/s) HTTP/1\\.1\" 200 3 \"-\" \"-\"");

    @TempDir
    Path dir;

    @Test
    void linesFromBothLoopsAreWholeAndAllThere() throws Exception {
        Path file = dir.resolve("access.log");
        LogWriter writer = LogWriter.toFile("access", file);
        ServerLoops loops = new ServerLoops(2, "log", ServerConfig.DEFAULT,
                ex -> ex.respond(Response.of(200, "text/plain", Body.bytes(java.nio.ByteBuffer.wrap(BODY)))),
                writer, new ConnectionBudget(1024), ServerLoops.Accepting.REUSEPORT);
        InetSocketAddress a = loops.listen(new InetSocketAddress("127.0.0.1", 0), TransportFactory.PLAIN, 1024);
        Thread runner = new Thread(() -> {
            try {
                loops.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        runner.start();
        KeepAliveLoad.Result r;
        try {
            r = KeepAliveLoad.run(a.getPort(), 200, List.of(new KeepAliveLoad.Target("/long-" + "a".repeat(300), BODY),
                    new KeepAliveLoad.Target("/s", BODY)), 40, 60_000, 90_000);
        } finally {
            loops.shutdown(5_000);
            runner.join(15_000);
            writer.close();
        }
        assertThat(r.clean()).as("%s", r.problems()).isTrue();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> bad = lines.stream().filter(l -> !LINE.matcher(l).matches()).limit(5).toList();
        assertThat(bad).as("torn or mixed lines").isEmpty();
        assertThat((long) lines.size()).as("one line per response").isEqualTo(r.ok());
        Map<Boolean, Long> byTarget = lines.stream().collect(Collectors.partitioningBy(l -> l.contains("/long-"),
                Collectors.counting()));
        assertThat(byTarget.get(true)).isPositive();
        assertThat(byTarget.get(false)).isPositive();
        assertThat(writer.dropped()).isZero();
    }
}
