package org.liso.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real processes for the integration tests: the shaded liso jar run with {@code java -jar}, and python3 scripts that
 * hold sockets and print what they hold. Every child is ended by its own PID in {@link #close}.
 */
final class Child implements AutoCloseable {

    /** A finished command: its exit code and both streams. */
    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    final Process process;
    final BufferedReader stdout;

    private Child(Process process) {
        this.process = process;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static String jar() {
        String jar = System.getProperty("liso.jar");
        assertThat(jar).as("liso.jar system property (run through failsafe)").isNotNull();
        assertThat(Path.of(jar)).exists();
        return jar;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The command line that runs liso with {@code args}. */
    static List<String> lisoCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xshare:auto", "-XX:+UseSerialGC", "-jar", jar()));
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    /** Runs liso to completion (at most 60 s). */
    static Result liso(String... args) throws IOException, InterruptedException {
        return run(lisoCommand(args));
    }

    static Result run(List<String> cmd) throws IOException, InterruptedException {
        return run(cmd, "");
    }

    /** Runs {@code cmd} with {@code input} on its stdin. */
    static Result run(List<String> cmd, String input) throws IOException, InterruptedException {
        Path in = Files.createTempFile("liso-in", ".txt");
        Files.writeString(in, input);
        Path out = Files.createTempFile("liso-out", ".txt");
        Path err = Files.createTempFile("liso-err", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(in.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("timed out: " + cmd);
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Starts a long-running process; stderr is inherited so its log shows in the test output. */
    static Child start(List<String> cmd) throws IOException {
        return new Child(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** Starts liso as a server; its stderr log is read through {@link #line()} (merged into stdout). */
    static Child startLiso(String... args) throws IOException {
        return new Child(new ProcessBuilder(lisoCommand(args)).redirectErrorStream(true).start());
    }

    /** Reads lines until one contains {@code marker}; returns it. */
    String awaitLine(String marker) throws IOException {
        while (true) {
            String l = line();
            if (l.contains(marker)) {
                return l;
            }
        }
    }

    /**
     * Starts python3 running {@code script}; the script prints one line when its sockets are ready and then waits
     * for stdin to close. Returns the child; {@link #line()} reads what it printed.
     */
    static Child python(String script) throws IOException {
        return start(List.of("python3", "-c", script));
    }

    String line() throws IOException {
        String l = stdout.readLine();
        assertThat(l).as("child printed nothing (exited with %s)", process.isAlive() ? "-" : process.exitValue())
                .isNotNull();
        return l;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** The python3 prologue every socket-holding script starts with. */
    static final String PY = "import socket, sys, os, time\n";

    /** The python3 epilogue: report, then wait until the test closes our stdin or ends us. */
    static String pyReady(String expr) {
        return "print(" + expr + ", flush=True)\nsys.stdin.read()\n";
    }
}
