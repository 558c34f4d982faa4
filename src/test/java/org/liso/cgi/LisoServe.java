package org.liso.cgi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** {@code java -jar liso.jar serve --http 127.0.0.1:0 ...} as a child process, for the CGI integration tests. */
final class LisoServe implements AutoCloseable {
    private static final Pattern ANNOUNCE = Pattern.compile("liso serve: http://127\\.0\\.0\\.1:(\\d+)/");

    final Process process;
    final int port;
    final Path errorLog;

    LisoServe(Path dir, String... args) throws IOException {
        String jar = System.getProperty("liso.jar", "target/liso.jar");
        errorLog = Files.createTempFile(dir, "error", ".log");
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx256m", "-jar", jar, "serve", "--http", "127.0.0.1:0", "--no-https",
                "--root", dir.toString(), "--error-log", errorLog.toString()));
        cmd.addAll(List.of(args));
        process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(errorLog.toFile())).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        Matcher m = line == null ? null : ANNOUNCE.matcher(line);
        if (m == null || !m.find()) {
            process.destroyForcibly();
            throw new IllegalStateException("server did not start: " + line + "\n" + Files.readString(errorLog));
        }
        port = Integer.parseInt(m.group(1));
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
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
