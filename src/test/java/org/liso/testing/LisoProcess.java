package org.liso.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real server as a child process ({@code java -jar target/liso.jar ...}), for integration tests. Reads the
 * announced URLs from stdout; stops the process it started, by its pid.
 */
public final class LisoProcess implements AutoCloseable {
    private static final Pattern URL = Pattern.compile("(https?|tcp)://(\\S+?):(\\d+)/");

    private final Process process;
    private final List<String> urls = new ArrayList<>();
    private final List<String> announced = new ArrayList<>();
    private final Path stderr;

    private LisoProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
    }

    public static Path jar() {
        String p = System.getProperty("liso.jar");
        Path jar = p != null ? Path.of(p) : Path.of("target", "liso.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no jar at " + jar + ": run `mvn package` first");
        }
        return jar;
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Starts {@code liso ARGS...} and waits until it has announced {@code listeners} URLs. */
    public static LisoProcess start(int listeners, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx256m", "-XX:+UseSerialGC", "-jar",
                jar().toString()));
        cmd.addAll(List.of(args));
        return startCommand(listeners, cmd);
    }

    /**
     * Starts an arbitrary command line that ends up exec'ing liso (e.g. {@code bash -c 'ulimit -n 256; exec java
     * -Xmx64m -jar ...'}), so that {@link #pid()} is the server's own pid, and waits for {@code listeners} URLs.
     */
    public static LisoProcess startCommand(int listeners, List<String> cmd) throws IOException, InterruptedException {
        Path err = Files.createTempFile("liso-stderr", ".log");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        LisoProcess lp = new LisoProcess(p, err);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (lp.urls.size() < listeners) {
            String line = out.readLine();
            if (line == null || System.nanoTime() > deadline) {
                String said = Files.readString(err); // before close(), which deletes the file
                lp.close();
                throw new IOException("liso exited before listening: " + said);
            }
            lp.announced.add(line);
            Matcher m = URL.matcher(line);
            if (m.find()) {
                lp.urls.add(m.group(0));
            }
        }
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // keep the pipe from filling
                }
            } catch (IOException ignored) {
                // process ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        return lp;
    }

    /** The lines stdout said up to the last announced URL (certificate, TLS engine, listeners). */
    public List<String> announced() {
        return List.copyOf(announced);
    }

    public String url(int i) {
        return urls.get(i);
    }

    public int port(int i) {
        Matcher m = URL.matcher(urls.get(i));
        if (!m.find()) {
            throw new IllegalStateException(urls.get(i));
        }
        return Integer.parseInt(m.group(3));
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    public String stderr() throws IOException {
        return Files.readString(stderr);
    }

    /** SIGTERM, then SIGKILL after 10 s; returns the exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
        try {
            Files.deleteIfExists(stderr);
        } catch (IOException ignored) {
            // temp file
        }
    }
}
