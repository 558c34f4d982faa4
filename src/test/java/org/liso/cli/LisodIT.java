package org.liso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;
import org.liso.testing.Ports;
import org.liso.testing.RawClient;

/** The classic 8-argument form: detaches, locks, logs to its log-file, serves without Host. */
class LisodIT {
    @TempDir
    Path dir;

    private Process lisod(String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(LisoProcess.java(), "-jar", LisoProcess.jar().toString(),
                "lisod"));
        cmd.addAll(List.of(extra));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    @Test
    void detachesHoldsTheLockAndServes() throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "classic\n");
        org.liso.transport.tls.KeyMaterial.selfSigned().writePem(dir);
        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");
        Path cgi = dir.resolve("app.cgi");
        Files.writeString(cgi, "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\nhttps=%s path=%s\\n' \"$HTTPS\" \"$PATH_INFO\"\n");
        cgi.toFile().setExecutable(true);
        Path log = dir.resolve("lisod.log");
        Path lock = dir.resolve("lisod.lock");
        int http = Ports.unused();
        int https = Ports.unused();
        String[] args = {Integer.toString(http), Integer.toString(https), log.toString(), lock.toString(),
                www.toString(), cgi.toString(), key.toString(), cert.toString(), "--bind", "127.0.0.1"};
        Process first = lisod(args);
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).as("the command returns while the server keeps running")
                .isTrue();
        String out = new String(first.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(first.exitValue()).as(out).isZero();
        long pid = Long.parseLong(Files.readString(lock).trim());
        ProcessHandle server = ProcessHandle.of(pid).orElseThrow();
        try {
            assertThat(server.isAlive()).isTrue();
            assertThat(out).contains("pid " + pid);

            // HTTP/1.0 without Host, as the classic graders send it.
            RawClient.Exchange ex = RawClient.send(http, "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                    2000, false);
            assertThat(ex.replies()).hasSize(1);
            assertThat(ex.replies().get(0).status()).isEqualTo(200);
            assertThat(ex.replies().get(0).bodyText()).isEqualTo("classic\n");
            RawClient.Exchange noHost11 = RawClient.send(http,
                    "GET / HTTP/1.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 2000, false);
            assertThat(noHost11.replies().get(0).status()).isEqualTo(200);

            // HTTPS on the same loop, with the key-file and cert-file given; CGI under /cgi/ over both.
            Process curl = new ProcessBuilder("curl", "-sS", "--cacert", cert.toString(),
                    "https://localhost:" + https + "/cgi/x/y", "http://127.0.0.1:" + http + "/cgi/z")
                    .redirectErrorStream(true).start();
            assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("https=on path=/x/y\nhttps= path=/z\n");

            Process second = lisod(args);
            assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String secondOut = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(second.exitValue()).isEqualTo(69);
            assertThat(secondOut).contains("pid " + pid).contains(lock.toString());
        } finally {
            server.destroy();
            server.onExit().get(15, TimeUnit.SECONDS);
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(lines.get(0)).startsWith("liso ").contains("lisod started").contains("pid " + pid);
        assertThat(lines).anyMatch(l -> l.contains("\"GET / HTTP/1.0\" 200"));
        assertThat(lines).anyMatch(l -> l.contains(" INFO serve stopped"));
    }

    @Test
    void aPortInUseIsExplainedAndTheExitCodeSaysUnavailable() throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        org.liso.transport.tls.KeyMaterial.selfSigned().writePem(dir);
        Path key = dir.resolve("key.pem");
        Path cgi = dir.resolve("x.cgi");
        Files.writeString(cgi, "#!/bin/sh\n");
        cgi.toFile().setExecutable(true);
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Process p = lisod(Integer.toString(taken.getLocalPort()), Integer.toString(Ports.unused()),
                    dir.resolve("l.log").toString(), dir.resolve("l.lock").toString(), www.toString(),
                    cgi.toString(), key.toString(), dir.resolve("cert.pem").toString(), "--bind", "127.0.0.1");
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).isEqualTo(69);
            assertThat(out).contains("127.0.0.1:" + taken.getLocalPort()).contains("in use")
                    .doesNotContain("Exception").doesNotContain("\tat ");
        }
    }
}
