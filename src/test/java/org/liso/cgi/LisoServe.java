package org.liso.cgi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.liso.testing.LisoProcess;

/** {@code liso serve --root DIR --cgi ...} as a child process ({@link LisoProcess}), with what the CGI tests inspect. */
final class LisoServe implements AutoCloseable {
    final LisoProcess liso;
    final Process process;
    final int port;
    final Path errorLog;

    LisoServe(Path dir, String... args) throws IOException, InterruptedException {
        errorLog = Files.createTempFile(dir, "error", ".log");
        List<String> all = new ArrayList<>(List.of("serve", "--http", "127.0.0.1:0", "--no-https", "--root",
                dir.toString(), "--error-log", errorLog.toString()));
        all.addAll(List.of(args));
        liso = LisoProcess.start(1, all.toArray(new String[0]));
        process = liso.process();
        port = liso.port(0);
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    String errorLogText() throws IOException {
        return Files.readString(errorLog);
    }

    /** Open file descriptors of the server process. */
    long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + process.pid() + "/fd"))) {
            return fds.count();
        }
    }

    /** Children of the server in state Z (exited, never waited for). */
    long zombieChildren() {
        return process.toHandle().children().filter(LisoServe::zombie).count();
    }

    private static boolean zombie(ProcessHandle h) {
        try {
            String stat = Files.readString(Path.of("/proc/" + h.pid() + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | UncheckedIOException gone) {
            return false;
        }
    }

    /** Waits (bounded) until the server has no child processes left, and returns how many remain. */
    long awaitNoChildren() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (process.toHandle().descendants().anyMatch(h -> !zombie(h)) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return process.toHandle().descendants().filter(h -> !zombie(h)).count();
    }

    @Override
    public void close() throws InterruptedException {
        liso.close();
    }
}
