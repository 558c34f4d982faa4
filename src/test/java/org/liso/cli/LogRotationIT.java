package org.liso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;
import org.liso.testing.RawClient;

/**
 * What logrotate does to a running server: {@code mv access.log access.log.1; kill -HUP pid} (lighttpd style) or
 * {@code kill -USR1 pid} (nginx style). The server keeps running and the requests after the signal land in the new
 * file, none in the moved one; the error log reopens too. Also: a client reset is a DEBUG line, its peer printed as
 * {@code 127.0.0.1:PORT}.
 */
class LogRotationIT {
    @TempDir
    Path dir;

    private Path www() throws IOException {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "hi\n");
        return www;
    }

    private static void signal(String name, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private static void get(int port, String path) throws IOException {
        RawClient.send(port, ("GET " + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII), 2000, false);
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    /** Sends requests for {@code path} until one shows up in {@code log} (the writer is asynchronous). */
    private static void requestUntilLogged(LisoProcess liso, int port, String path, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!read(log).contains(path)) {
            assertThat(liso.process().isAlive()).as("server alive; stderr: %s", liso.stderr()).isTrue();
            assertThat(System.nanoTime()).as("%s logged in %s", path, log).isLessThan(deadline);
            get(port, path);
            Thread.sleep(50);
        }
    }

    private static void awaitContains(Path file, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!read(file).contains(text)) {
            assertThat(System.nanoTime()).as("'%s' in %s: %s", text, file, read(file)).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** One rotation: move both logs aside, signal, and see the next requests (and error lines) in new files. */
    private void rotate(LisoProcess liso, String signal, String suffix, Path access, Path error) throws Exception {
        int port = liso.port(0);
        String before = "/before-" + signal;
        String after = "/after-" + signal;
        requestUntilLogged(liso, port, before, access);
        Path movedAccess = dir.resolve(access.getFileName() + suffix);
        Path movedError = dir.resolve(error.getFileName() + suffix);
        Files.move(access, movedAccess);
        if (!error.equals(access)) {
            Files.move(error, movedError);
        }
        signal(signal, liso.pid());
        // The signal is handled asynchronously: the error log's new file says when it was (the access log's reopen
        // was queued before it, so every request from now on belongs in the new access log).
        awaitContains(error, "log reopened");
        requestUntilLogged(liso, port, after, access);
        assertThat(read(movedAccess)).contains(before).doesNotContain(after);
        assertThat(liso.process().isAlive()).isTrue();
    }

    @Test
    void serveWithoutKeyFilesReopensItsLogsOnHupAndUsr1() throws Exception {
        Path access = dir.resolve("access.log");
        Path error = dir.resolve("error.log");
        try (LisoProcess liso = LisoProcess.start(1, "serve", "--root", www().toString(), "--http", "127.0.0.1:0",
                "--no-https", "--access-log", access.toString(), "--error-log", error.toString())) {
            rotate(liso, "HUP", ".1", access, error);
            rotate(liso, "USR1", ".2", access, error);
            assertThat(liso.stop()).isZero();
            assertThat(read(error)).contains("INFO serve stopped");
        }
    }

    @Test
    void lisodReopensItsLogFileOnHupAndUsr1() throws Exception {
        org.liso.transport.tls.KeyMaterial.selfSigned().writePem(dir);
        Path cgi = dir.resolve("app.cgi");
        Files.writeString(cgi, "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\nok\\n'\n");
        cgi.toFile().setExecutable(true);
        Path log = dir.resolve("lisod.log");
        try (LisoProcess liso = LisoProcess.start(2, "lisod", "0", "0", log.toString(),
                dir.resolve("lisod.lock").toString(), www().toString(), cgi.toString(),
                dir.resolve("key.pem").toString(), dir.resolve("cert.pem").toString(), "--bind", "127.0.0.1",
                "--foreground")) {
            rotate(liso, "HUP", ".1", log, log);
            rotate(liso, "USR1", ".2", log, log);
        }
    }

    @Test
    void aClientResetIsADebugLineWithAPlainPeer() throws Exception {
        Path error = dir.resolve("error.log");
        try (LisoProcess liso = LisoProcess.start(1, "serve", "--root", www().toString(), "--http", "127.0.0.1:0",
                "--no-https", "--error-log", error.toString(), "--verbose")) {
            int localPort;
            try (SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", liso.port(0)))) {
                localPort = ((InetSocketAddress) c.getLocalAddress()).getPort();
                c.write(java.nio.ByteBuffer.wrap("GET / HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII)));
                c.setOption(StandardSocketOptions.SO_LINGER, 0); // close sends RST
            }
            String peer = "peer=127.0.0.1:" + localPort;
            awaitContains(error, peer);
            List<String> lines = Files.readAllLines(error).stream().filter(l -> l.contains(peer)).toList();
            assertThat(lines).allMatch(l -> l.contains(" DEBUG http connection closed "), "DEBUG reset lines");
            assertThat(read(error)).doesNotContain("peer=/127.0.0.1");
        }
    }
}
