package org.liso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The asynchronous log writer: order, reopen after a move, a bounded queue that drops and counts, close. */
class LogWriterTest {
    @TempDir
    Path dir;

    private static void awaitContains(Path file, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(Files.exists(file) && Files.readString(file).contains(text))) {
            assertThat(System.nanoTime()).as("'%s' in %s", text, file).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static long descriptorsOn(Path file) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(file);
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        }
    }

    @Test
    void linesKeepTheirOrderAReopenFollowsTheMoveAndCloseFlushesAndCloses() throws Exception {
        Path log = dir.resolve("access.log");
        LogWriter w = LogWriter.toFile("access", log);
        for (int i = 0; i < 1000; i++) {
            w.line("line " + i);
        }
        awaitContains(log, "line 999");
        assertThat(Files.readAllLines(log)).hasSize(1000).startsWith("line 0", "line 1");

        Path moved = dir.resolve("access.log.1");
        Files.move(log, moved);
        w.reopen();
        w.line("after the move");
        awaitContains(log, "after the move");
        assertThat(Files.readString(moved)).doesNotContain("after the move");

        w.line("last");
        w.close();
        assertThat(Files.readAllLines(log)).containsExactly("after the move", "last");
        assertThat(descriptorsOn(log.toRealPath())).as("descriptors left on the file").isZero();
        w.line("after close");
        assertThat(Files.readString(log)).doesNotContain("after close");
    }

    @Test
    void moveToSwitchesFilesAfterTheLinesQueuedBeforeItAndRefusesAPathItCannotOpen() throws Exception {
        Path first = dir.resolve("first.log");
        Path second = dir.resolve("second.log");
        LogWriter w = LogWriter.toFile("access", first);
        w.line("one");
        w.moveTo(second);
        w.line("two");
        awaitContains(second, "two");
        assertThat(Files.readAllLines(first)).containsExactly("one");

        assertThatThrownBy(() -> w.moveTo(dir.resolve("no/such/dir/x.log"))).isInstanceOf(IOException.class);
        w.line("three");
        w.close();
        assertThat(Files.readAllLines(second)).containsExactly("two", "three");
        assertThat(descriptorsOn(first.toRealPath())).as("descriptors left on the first file").isZero();
        assertThatThrownBy(() -> LogWriter.toStream("error", new ByteArrayOutputStream()).moveTo(first))
                .isInstanceOf(IllegalStateException.class);
    }

    /** An output stream that blocks its writer until released: a disk that stalls. */
    private static final class StallingStream extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            bytes.write(b, off, len);
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aFullQueueDropsCountsAndReportsWithoutBlockingTheCaller() throws Exception {
        StallingStream disk = new StallingStream();
        LogWriter w = LogWriter.toStream("error", disk, 4);
        Log.Sink before = Log.sink();
        Log.setSink(w);
        try {
            w.line("first");
            assertThat(disk.entered.await(10, TimeUnit.SECONDS)).as("the writer is stuck on the disk").isTrue();
            long start = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                w.line("queued " + i);
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("callers never wait")
                    .isLessThan(1000);
            assertThat(w.dropped()).isEqualTo(6);
            disk.release.countDown();
            w.close();
            assertThat(disk.text()).contains("first\n", "queued 0\n", "queued 3\n").doesNotContain("queued 4")
                    .contains("WARN log error log lines dropped, its queue was full count=6");
        } finally {
            Log.setSink(before);
        }
    }

    @Test
    void socketAddressesPrintWithoutTheirSlash() {
        String line = Log.format(0, Log.Level.INFO, "http", "x", "peer", new InetSocketAddress("127.0.0.1", 50002),
                "v6", new InetSocketAddress("::1", 443));
        assertThat(line).endsWith("INFO http x peer=127.0.0.1:50002 v6=[0:0:0:0:0:0:0:1]:443");
    }
}
