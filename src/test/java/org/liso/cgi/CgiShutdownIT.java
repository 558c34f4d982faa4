package org.liso.cgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while a CGI script runs: the script and every process it started are stopped within the grace period,
 * its client gets 503 (no head was sent), the server exits within grace + 1 s, and no process of the script's
 * tree outlives the server.
 */
class CgiShutdownIT {
    /**
     * ServerRunner's grace period plus what the JVM may take to exit beyond it on a loaded machine: far less than
     * the scripts' 30 s sleep that a server waiting for them would take.
     */
    private static final long EXIT_BOUND_MILLIS = 5_000 + 3_000;

    @TempDir
    Path dir;

    /** A script that never answers, with a child and a grandchild (sh -c … &), all sleeping 30 s. */
    private Path sleeper() throws IOException {
        Path script = dir.resolve("sleeper.cgi");
        Files.writeString(script, "#!/bin/sh\nsh -c 'sleep 30; true' &\nsleep 30\n");
        script.toFile().setExecutable(true);
        return script;
    }

    private static Process curl(String url) throws IOException {
        return new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "40", url)
                .redirectErrorStream(true).start();
    }

    /** Polls until the server has at least {@code n} live descendants (the script tree is up) and returns them. */
    private static List<ProcessHandle> awaitTree(Process server, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<ProcessHandle> tree = List.of();
        while (System.nanoTime() < deadline) {
            tree = server.toHandle().descendants().filter(CgiShutdownIT::running).toList();
            if (tree.size() >= n) {
                return tree;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("script tree never came up: " + tree);
    }

    /** Alive and not a zombie (an exited process whose parent has not reaped it yet holds nothing). */
    private static boolean running(ProcessHandle h) {
        try {
            String stat = Files.readString(Path.of("/proc/" + h.pid() + "/stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | UncheckedIOException gone) {
            return false;
        }
    }

    private static String commandLine(ProcessHandle h) {
        return h.pid() + " " + h.info().commandLine().orElse("?");
    }

    @Test
    void sigtermStopsTheScriptTreeAnswers503AndExitsWithinTheGrace() throws Exception {
        try (LisoServe server = new LisoServe(dir, "--cgi", sleeper().toString())) {
            Process client = curl(server.url("/cgi/slow"));
            // sh (the script) and its sleep, sh -c and its sleep (forked, not exec-ed: "; true" follows): four processes.
            List<ProcessHandle> tree = awaitTree(server.process, 4);
            long start = System.nanoTime();
            server.process.destroy(); // SIGTERM
            assertThat(server.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("CgiShutdownIT: exit %d ms after SIGTERM, tree %s%n", millis,
                    tree.stream().map(ProcessHandle::pid).toList());
            assertThat(server.process.exitValue()).isZero();
            assertThat(millis).as("exit after SIGTERM (ms)").isLessThan(EXIT_BOUND_MILLIS);

            assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String status = new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(status).as("the client waiting for a head").isEqualTo("503");
            assertThat(tree.stream().filter(CgiShutdownIT::running).map(CgiShutdownIT::commandLine))
                    .as("processes of the script's tree left after the server").isEmpty();
            assertThat(server.errorLogText()).contains("terminating it");
        }
    }

    @Test
    void aShorterShutdownGraceStopsTheScriptSooner() throws Exception {
        try (LisoServe server = new LisoServe(dir, "--cgi", sleeper().toString(), "--shutdown-grace", "2")) {
            Process client = curl(server.url("/cgi/slow"));
            List<ProcessHandle> tree = awaitTree(server.process, 4);
            long start = System.nanoTime();
            server.process.destroy();
            assertThat(server.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // Sooner than the default grace (5 s) could end, with room for a loaded machine beyond the 2 s.
            assertThat(millis).as("exit after SIGTERM (ms) with a 2 s grace").isLessThan(5_000);
            assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("503");
            assertThat(tree.stream().filter(CgiShutdownIT::running).map(CgiShutdownIT::commandLine)).isEmpty();
        }
    }

    @Test
    void aScriptKilledByItsTimeoutLeavesNoOrphanWhenTheServerStops() throws Exception {
        try (LisoServe server = new LisoServe(dir, "--cgi", sleeper().toString(), "--cgi-timeout", "2")) {
            Process client = curl(server.url("/cgi/slow"));
            List<ProcessHandle> tree = awaitTree(server.process, 4);
            server.process.destroy();
            long start = System.nanoTime();
            assertThat(server.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(millis).as("exit after SIGTERM (ms)").isLessThan(EXIT_BOUND_MILLIS);
            assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String status = new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(status).isIn("503", "504");
            assertThat(tree.stream().filter(CgiShutdownIT::running).map(CgiShutdownIT::commandLine))
                    .as("processes of the script's tree left after the server").isEmpty();
        }
    }
}
