package org.liso.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What a process holds, read from /proc (Linux): open file descriptors, threads, resident memory. */
public record ProcStats(long fds, long threads, long rssKiB) {

    public static ProcStats of(long pid) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        return new ProcStats(count(proc.resolve("fd")), count(proc.resolve("task")), rssKiB(proc));
    }

    /**
     * Polls until the process holds at most {@code before}'s descriptors and threads (the loop closes connections
     * asynchronously), for up to {@code millis}; returns the last reading.
     */
    public static ProcStats settle(long pid, ProcStats before, long millis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        ProcStats now = of(pid);
        while ((now.fds > before.fds || now.threads > before.threads) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = of(pid);
        }
        return now;
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    private static long rssKiB(Path proc) throws IOException {
        for (String line : Files.readAllLines(proc.resolve("status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
