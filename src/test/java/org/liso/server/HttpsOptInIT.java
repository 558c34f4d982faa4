package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
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

/**
 * HTTPS is opt-in: a site started with only --http opens no HTTPS listener, so two sites run side by side; and two
 * listeners on one address are a usage error (exit 2), not "in use by" the server itself.
 */
class HttpsOptInIT {
    @TempDir
    Path dir;

    private Path www() throws IOException {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "hi\n");
        return www;
    }

    private static List<String> liso(String... args) {
        List<String> cmd = new ArrayList<>(List.of(LisoProcess.java(), "-Xmx128m", "-jar",
                LisoProcess.jar().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Holds 127.0.0.1:8443 (the default HTTPS address) for the test, or finds it held by another process already. */
    private static ServerSocket holdDefaultHttpsPort() {
        try {
            return new ServerSocket(8443, 1, InetAddress.getByName("127.0.0.1"));
        } catch (IOException takenAlready) {
            return null; // someone else holds it: just as good for this test
        }
    }

    @Test
    void twoSitesWithOnlyHttpRunSideBySide() throws Exception {
        Path www = www();
        ServerSocket held = holdDefaultHttpsPort();
        try (LisoProcess first = LisoProcess.startCommand(1, liso("serve", "--root", www.toString(), "--http",
                "127.0.0.1:0"));
                LisoProcess second = LisoProcess.startCommand(1, liso("serve", "--root", www.toString(), "--http",
                        "127.0.0.1:0"))) {
            assertThat(first.url(0)).startsWith("http://127.0.0.1:");
            assertThat(second.url(0)).startsWith("http://127.0.0.1:");
            assertThat(first.process().isAlive()).isTrue();
            assertThat(second.process().isAlive()).isTrue();
            assertThat(first.stderr() + second.stderr()).doesNotContain("8443");
        } finally {
            if (held != null) {
                held.close();
            }
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void httpAndHttpsOnOneAddressIsAUsageError() throws Exception {
        String addr = "127.0.0.1:" + Ports.unused();
        Result r = run(liso("serve", "--root", www().toString(), "--http", addr, "--https", addr));
        assertThat(r.exit()).as(r.output()).isEqualTo(2);
        assertThat(r.output()).contains("cannot share " + addr).doesNotContain("in use");
    }

    @Test
    void lisodWithOnePortTwiceIsAUsageError() throws Exception {
        org.liso.transport.tls.KeyMaterial.selfSigned().writePem(dir);
        Path cgi = dir.resolve("app.cgi");
        Files.writeString(cgi, "#!/bin/sh\n");
        cgi.toFile().setExecutable(true);
        String port = Integer.toString(Ports.unused());
        Result r = run(liso("lisod", port, port, dir.resolve("l.log").toString(), dir.resolve("l.lock").toString(),
                www().toString(), cgi.toString(), dir.resolve("key.pem").toString(),
                dir.resolve("cert.pem").toString(), "--bind", "127.0.0.1", "--foreground"));
        assertThat(r.exit()).as(r.output()).isEqualTo(2);
        assertThat(r.output()).contains("cannot share 127.0.0.1:" + port).doesNotContain("in use");
    }

    @Test
    void helpSaysHttpsIsOptIn() throws Exception {
        Result r = run(liso("serve", "--help"));
        assertThat(r.exit()).isZero();
        assertThat(r.output()).contains("HTTPS is opt-in");
    }
}
