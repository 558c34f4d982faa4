package org.liso.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The classic {@code ./lisod} launcher driven the way the course's graders drive it: a directory laid out like
 * theirs (www/, cgi/cgi_script.py, grader.key, grader.crt, lisod.log, lisod.lock) and the 8 positional arguments.
 * Tests add {@code LISOD_BIND=127.0.0.1} to the environment (not to the arguments) so the server binds loopback only.
 */
public final class Lisod {
    /** Debian's interpreter, which has python3-requests from scripts/install-test-tools.sh (a pyenv one may not). */
    public static final String PYTHON = "/usr/bin/python3";

    public final Path dir;
    public final Path www;
    public final Path cgi;
    public final Path key;
    public final Path cert;
    public final Path log;
    public final Path lock;

    private Lisod(Path dir) {
        this.dir = dir;
        this.www = dir.resolve("www");
        this.cgi = dir.resolve("cgi").resolve("cgi_script.py");
        this.key = dir.resolve("grader.key");
        this.cert = dir.resolve("grader.crt");
        this.log = dir.resolve("lisod.log");
        this.lock = dir.resolve("lisod.lock");
    }

    /** Lays out the graders' files in {@code dir}. */
    public static Lisod prepare(Path dir) throws Exception {
        Lisod l = new Lisod(dir);
        Files.createDirectories(l.www);
        Files.writeString(l.www.resolve("index.html"), "<html>classic</html>\n");
        Files.createDirectories(l.cgi.getParent());
        Files.writeString(l.cgi, "#!/usr/bin/env python3\nimport os\n"
                + "print('Content-Type: text/plain\\r\\n\\r\\n', end='')\nprint('cgi', os.environ.get('HTTPS', ''))\n");
        l.cgi.toFile().setExecutable(true);
        org.liso.transport.tls.KeyMaterial.selfSigned().writePem(dir);
        Files.move(dir.resolve("key.pem"), l.key);
        Files.move(dir.resolve("cert.pem"), l.cert);
        return l;
    }

    /** The repository root: where `make` built ./lisod (the graders run it from there). */
    public static Path repo() {
        return LisoProcess.jar().toAbsolutePath().getParent().getParent();
    }

    public static int freePort() throws IOException {
        return Ports.unused();
    }

    /** The 8 positional arguments, in the handout's order. */
    public List<String> args(int http, int https) {
        return List.of(Integer.toString(http), Integer.toString(https), log.toString(), lock.toString(),
                www.toString(), cgi.toString(), key.toString(), cert.toString());
    }

    /** {@code ./lisod ARGS &} from the repository root, through bash, not waited for (the graders' way). */
    public void launchInBackground(int http, int https) throws IOException, InterruptedException {
        String cmd = "./lisod " + String.join(" ", args(http, https).stream().map(Lisod::quote).toList())
                + " >" + quote(dir.resolve("launcher.out").toString()) + " 2>&1 &";
        Process bash = bash(cmd).start();
        if (!bash.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("bash did not return after backgrounding ./lisod");
        }
    }

    /** {@code ./lisod ARGS} in the foreground of a shell: returns its exit code, stdout+stderr in {@code out}. */
    public Result run(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("./lisod"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo().toFile()).redirectErrorStream(true);
        pb.environment().put("LISOD_BIND", "127.0.0.1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("./lisod did not return: " + out);
        }
        return new Result(p.exitValue(), out);
    }

    public record Result(int exitCode, String out) {
    }

    public static ProcessBuilder bash(String script) {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(repo().toFile());
        pb.environment().put("LISOD_BIND", "127.0.0.1");
        return pb;
    }

    /** The server's pid from the lock-file, waiting up to {@code millis} for it to be written. */
    public long pid(long millis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            String s = Files.exists(lock) ? Files.readString(lock).trim() : "";
            if (!s.isEmpty()) {
                return Long.parseLong(s);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no pid in " + lock + "; launcher said: " + launcherOutput());
            }
            Thread.sleep(10);
        }
    }

    public String launcherOutput() throws IOException {
        Path out = dir.resolve("launcher.out");
        return Files.exists(out) ? Files.readString(out) : "";
    }

    /** Runs {@code script} with {@link #PYTHON}; returns stdout+stderr, failing the caller on a non-zero exit. */
    public static String python(String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(PYTHON, "-c", script));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(PYTHON + " failed (scripts/install-test-tools.sh installs python3-requests): "
                    + out);
        }
        return out;
    }

    /** Runs a command; returns its stdout+stderr and exit code. */
    public static Result exec(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return new Result(p.exitValue(), out);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
