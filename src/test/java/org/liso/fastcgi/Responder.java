package org.liso.fastcgi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The Python FastCGI responder of src/test/resources (responder.py) as a child process, ended by its PID. */
final class Responder implements AutoCloseable {
    final Process process;
    /** What it listens on, as --fastcgi takes it: unix:/path or 127.0.0.1:port. */
    final String address;
    final Path events;

    private Responder(Process process, String address, Path events) {
        this.process = process;
        this.address = address;
        this.events = events;
    }

    /** @param where {@code unix:/path} or {@code 127.0.0.1:0} */
    static Responder start(Path dir, String where) throws IOException {
        return start(dir, where, false);
    }

    /** @param closeAlways every connection closes after its first request, FCGI_KEEP_CONN or not */
    static Responder start(Path dir, String where, boolean closeAlways) throws IOException {
        Path script = dir.resolve("responder.py");
        if (!Files.exists(script)) {
            try (InputStream in = Responder.class.getResourceAsStream("responder.py")) {
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path events = Files.createTempFile(dir, "events", ".log");
        List<String> cmd = new java.util.ArrayList<>(List.of("python3", script.toString(), where, events.toString()));
        if (closeAlways) {
            cmd.add("--close-always");
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine(); // printed once the socket listens
        if (line == null || !line.startsWith("listening ")) {
            p.destroyForcibly();
            throw new IOException("responder.py did not start: " + line);
        }
        return new Responder(p, line.substring("listening ".length()), events);
    }

    List<String> events() throws IOException {
        return Files.readAllLines(events);
    }

    /** Waits (up to 20 s) until an event line matches, and returns it. */
    String awaitEvent(Predicate<String> wanted) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            for (String line : events()) {
                if (wanted.test(line)) {
                    return line;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no such event within 20 s; events: " + events());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
