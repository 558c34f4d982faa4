package org.liso.fastcgi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private php-fpm (Debian's package, installed by scripts/install-test-tools.sh): its own configuration, a Unix
 * socket in a temporary directory, in the foreground as the current user, ended by its PID.
 */
final class PhpFpm implements AutoCloseable {
    final Process process;
    final Path socket;
    final Path log;

    private PhpFpm(Process process, Path socket, Path log) {
        this.process = process;
        this.socket = socket;
        this.log = log;
    }

    /** The php-fpm binary: php-fpm on PATH or Debian's versioned /usr/sbin/php-fpmX.Y. */
    static String binary() throws IOException {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin")) {
            Path plain = Path.of(dir, "php-fpm");
            if (Files.isExecutable(plain)) {
                return plain.toString();
            }
            try (Stream<Path> files = Files.list(Path.of(dir))) {
                var found = files.filter(f -> f.getFileName().toString().matches("php-fpm\\d+\\.\\d+"))
                        .filter(Files::isExecutable).sorted().toList();
                if (!found.isEmpty()) {
                    return found.get(found.size() - 1).toString();
                }
            } catch (IOException ignored) {
                // no such directory
            }
        }
        throw new IOException("php-fpm is not installed: run scripts/install-test-tools.sh");
    }

    static PhpFpm start(Path dir, int children) throws IOException, InterruptedException {
        return start(dir, children, false);
    }

    /**
     * @param dynamic pm = dynamic, starting one worker and growing to {@code children} as its idle ones run out,
     *                instead of pm = static with all {@code children} from the start
     * @param pool    more lines for the pool's section (pm.max_requests = N, ...)
     */
    static PhpFpm start(Path dir, int children, boolean dynamic, String... pool)
            throws IOException, InterruptedException {
        Path socket = dir.resolve("fpm.sock");
        Path log = dir.resolve("fpm.log");
        boolean root = "root".equals(System.getProperty("user.name"));
        String conf = String.join("\n",
                "[global]",
                "pid = " + dir.resolve("fpm.pid"),
                "error_log = " + log,
                "daemonize = no",
                "[liso-test]",
                root ? "user = root" : "",
                "listen = " + socket,
                dynamic ? "pm = dynamic" : "pm = static",
                "pm.max_children = " + children,
                dynamic ? "pm.start_servers = 1\npm.min_spare_servers = 1\npm.max_spare_servers = 1" : "",
                "catch_workers_output = yes",
                "clear_env = yes",
                "php_admin_value[post_max_size] = 64M",
                "php_admin_value[upload_max_filesize] = 64M",
                "php_admin_value[memory_limit] = 256M",
                "php_admin_value[max_execution_time] = 0",
                String.join("\n", pool),
                "");
        Path confFile = Files.writeString(dir.resolve("fpm.conf"), conf);
        List<String> cmd = new ArrayList<>(List.of(binary(), "-F", "-n", "-y", confFile.toString()));
        if (root) {
            cmd.add("-R"); // php-fpm refuses root without it; the tests run as whoever runs them
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("fpm.out").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(socket)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("php-fpm did not start: " + Files.readString(dir.resolve("fpm.out"))
                        + (Files.exists(log) ? Files.readString(log) : ""));
            }
            Thread.sleep(20);
        }
        return new PhpFpm(p, socket, log);
    }

    String address() {
        return "unix:" + socket;
    }

    /** SIGTERM to the master (which ends its children), SIGKILL if it lingers; waits until it is gone. */
    void stop() throws InterruptedException {
        List<ProcessHandle> children = process.toHandle().descendants().toList();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            children.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (children.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
