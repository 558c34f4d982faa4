package org.liso.cgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.Jdks;
import org.liso.testing.LisoProcess;

/**
 * Scripts started by Liso's own posix_spawn (Java 22+, FFM) against the JDK's spawn on the same JVM (chosen by an
 * explicit {@code -Djdk.lang.Process.launchMechanism}): the script sees the same environment, working directory,
 * descriptors, stdin and arguments; its stderr and exit status are logged the same way; a script that outlives its
 * timeout is killed with what it started and reaped; no zombies and no descriptors are left behind. Runs liso on a
 * JDK 22+ ({@code LISO_JDK22}, else the newest under /usr/lib/jvm). On Java 17 every other CGI test covers the
 * JDK's spawn, the fallback.
 */
class CgiPosixSpawnIT {
    private static final String SCRIPT = "#!/bin/sh\n"
            + "printf 'Content-Type: text/plain\\r\\n\\r\\n'\n"
            + "echo \"args=$#\"\n"
            + "echo \"pwd=$(pwd)\"\n"
            + "env | LC_ALL=C sort\n"
            // builtins only: a pipeline's own pipes would show up in the listing, depending on timing
            + "echo fds; for f in /proc/$$/fd/*; do printf '%s ' \"${f##*/}\"; done; echo\n"
            + "echo \"stdin=$(cat)\"\n"
            + "echo 'a line on stderr' >&2\n"
            + "exit 3\n";

    @TempDir
    Path dir;

    @Test
    void theScriptSeesWhatTheJdksSpawnGivesIt() throws Exception {
        Path script = script("probe.cgi", SCRIPT);
        String own;
        String jdk;
        try (Liso liso = new Liso(script, List.of())) {
            own = liso.get("/cgi/x?a=1", "");
            assertThat(liso.log()).contains("scripts start by posix_spawn (FFM)");
            assertThat(liso.awaitLog("line=\"a line on stderr\"")).isTrue();
            assertThat(liso.awaitLog("script exited request=1 status=3")).isTrue();
        }
        try (Liso liso = new Liso(script, List.of("-Djdk.lang.Process.launchMechanism=POSIX_SPAWN"))) {
            jdk = liso.get("/cgi/x?a=1", "");
            assertThat(liso.log()).contains("scripts start by the JDK");
            assertThat(liso.awaitLog("line=\"a line on stderr\"")).isTrue();
            assertThat(liso.awaitLog("script exited request=1 status=3")).isTrue();
        }
        assertThat(own).startsWith("HTTP/1.1 200").contains("pwd=" + dir.toRealPath()).contains("args=0")
                .contains("QUERY_STRING=a=1").contains("stdin=\n");
        // 0-2, and at most the shell's own (dash keeps its script on 10) and the listing's directory: nothing of ours
        String fds = own.substring(own.indexOf("fds\n") + 4, own.indexOf(" \nstdin="));
        assertThat(fds.split(" ")).contains("0", "1", "2").hasSizeLessThanOrEqualTo(5);
        assertThat(comparable(own)).isEqualTo(comparable(jdk));
    }

    @Test
    void aPostBodyReachesStdinAndManyRunsLeaveNoZombiesNorDescriptors() throws Exception {
        Path script = script("echo.cgi", "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n'\ncat\n");
        try (Liso liso = new Liso(script, List.of())) {
            assertThat(liso.get("/cgi/e", "hello body")).endsWith("\r\n\r\nhello body");
            long fds = liso.openFds();
            for (int i = 0; i < 200; i++) {
                assertThat(liso.get("/cgi/e", "n" + i)).endsWith("\r\n\r\nn" + i);
            }
            assertThat(liso.awaitNoChildren()).isZero();
            assertThat(liso.openFds()).isLessThanOrEqualTo(fds + 2);
        }
    }

    @Test
    void aScriptPastItsTimeoutIsKilledWithItsChildrenAndReaped() throws Exception {
        Path script = script("slow.cgi", "#!/bin/sh\nsleep 60 &\nsleep 60\n");
        try (Liso liso = new Liso(script, List.of(), "--cgi-timeout", "1s")) {
            assertThat(liso.get("/cgi/s", "")).startsWith("HTTP/1.1 504");
            assertThat(liso.awaitNoChildren()).isZero();
        }
    }

    private Path script(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    /** The body without the ports (the server's and the client's), the only things that differ between runs. */
    private static String comparable(String response) {
        return body(response).replaceAll("(SERVER|REMOTE)_PORT=\\d+", "$1_PORT=N");
    }

    /** liso serve on a JDK 22+ with --cgi SCRIPT, debug logging to a file. */
    private final class Liso implements AutoCloseable {
        private final LisoProcess liso;
        private final Path log;

        Liso(Path script, List<String> jvmFlags, String... flags) throws Exception {
            log = Files.createTempFile(dir, "error", ".log");
            List<String> cmd = new ArrayList<>(List.of(
                    Jdks.jdk22().resolve("bin/java").toString(), "-Xmx128m",
                    "-XX:+UseSerialGC"));
            cmd.addAll(jvmFlags);
            cmd.addAll(List.of("-jar", LisoProcess.jar().toString(), "serve", "--http", "127.0.0.1:0",
                    "--no-https", "--root", dir.toString(), "--cgi", script.toString(), "--error-log",
                    log.toString(), "--verbose"));
            cmd.addAll(List.of(flags));
            liso = LisoProcess.startCommand(1, cmd);
        }

        String get(String path, String body) throws IOException {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", liso.port(0)), 5000);
                s.setSoTimeout(20_000);
                OutputStream out = s.getOutputStream();
                String method = body.isEmpty() ? "GET" : "POST";
                // HTTP/1.0: the body ends with the connection, not chunked
                String head = method + " " + path + " HTTP/1.0\r\nHost: t\r\n"
                        + (body.isEmpty() ? "" : "Content-Length: " + body.length() + "\r\n") + "\r\n";
                out.write((head + body).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                InputStream in = s.getInputStream();
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
        }

        /** The error log and stderr (where what is said before the log file opens goes). */
        String log() throws IOException {
            return Files.readString(log) + liso.stderr();
        }

        boolean awaitLog(String text) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!log().contains(text)) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(20);
            }
            return true;
        }

        long openFds() throws IOException {
            try (var fds = Files.list(Path.of("/proc/" + liso.pid() + "/fd"))) {
                return fds.count();
            }
        }

        long awaitNoChildren() throws InterruptedException {
            ProcessHandle server = liso.process().toHandle();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (server.descendants().findAny().isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            return server.descendants().count();
        }

        @Override
        public void close() throws Exception {
            liso.close();
        }
    }
}
