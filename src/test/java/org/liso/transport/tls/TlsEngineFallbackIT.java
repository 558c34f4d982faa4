package org.liso.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;

/**
 * Which engine the real server serves with, and the fallback: a copy of the jar without Conscrypt's native
 * libraries is what a machine whose OS or CPU has no build gets — the loader really fails there, and JSSE serves.
 */
class TlsEngineFallbackIT {
    @TempDir
    static Path dir;
    static Path noNative;
    static Path root;

    @BeforeAll
    static void stripNativeLibraries() throws IOException {
        root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("index.html"), "engine test\n");
        noNative = dir.resolve("liso-no-native.jar");
        int dropped = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(LisoProcess.jar()));
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(noNative))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().startsWith("META-INF/native/")) {
                    dropped++;
                    continue;
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
        }
        assertThat(dropped).as("native libraries in the jar").isGreaterThanOrEqualTo(2);
    }

    @Test
    void theJarServesHttpsWithTheNativeEngineAndSaysSo() throws Exception {
        try (LisoProcess liso = serve(LisoProcess.jar())) {
            assertThat(liso.announced()).contains("liso serve: TLS engine native BoringSSL (Conscrypt 2.9.0)");
            assertThat(curl(liso.port(1))).isEqualTo("200 engine test\n");
        }
    }

    @Test
    void withoutTheNativeLibraryJsseServesAndTheReasonIsLogged() throws Exception {
        try (LisoProcess liso = serve(noNative)) {
            assertThat(liso.announced()).anyMatch(l -> l.startsWith("liso serve: TLS engine jdk JSSE"));
            assertThat(curl(liso.port(1))).isEqualTo("200 engine test\n");
            assertThat(liso.stderr()).contains("native TLS engine unavailable, serving with JSSE")
                    .contains("reason=");
        }
    }

    @Test
    void tlsProviderJdkChoosesJsseWhereNativeWouldLoad() throws Exception {
        try (LisoProcess liso = serve(LisoProcess.jar(), "--tls-provider", "jdk")) {
            assertThat(liso.announced()).anyMatch(l -> l.startsWith("liso serve: TLS engine jdk JSSE"));
            assertThat(curl(liso.port(1))).isEqualTo("200 engine test\n");
        }
    }

    @Test
    void tlsProviderNativeWithoutTheLibraryIsAConfigurationError() throws Exception {
        Process p = new ProcessBuilder(LisoProcess.java(), "-Xmx128m", "-jar", noNative.toString(), "serve",
                "--root", root.toString(), "--http", "127.0.0.1:0", "--https", "127.0.0.1:0", "--tls-provider",
                "native").redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(78);
        assertThat(out).contains("--tls-provider native: the native TLS engine cannot serve");
    }

    @Test
    void anUnknownProviderIsAUsageError() throws Exception {
        Process p = new ProcessBuilder(LisoProcess.java(), "-Xmx128m", "-jar", LisoProcess.jar().toString(), "serve",
                "--https", "127.0.0.1:0", "--tls-provider", "openssl").redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(2);
        assertThat(out).contains("--tls-provider: 'openssl' is not an engine (accepted: auto, native, jdk)");
    }

    private static LisoProcess serve(Path jar, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(LisoProcess.java(), "-Xmx256m", "-XX:+UseSerialGC", "-jar",
                jar.toString(), "serve", "--root", root.toString(), "--http", "127.0.0.1:0", "--https",
                "127.0.0.1:0"));
        cmd.addAll(List.of(extra));
        return LisoProcess.startCommand(2, cmd);
    }

    /** "STATUS BODY" of a GET over HTTPS with curl (the self-signed certificate is not checked here). */
    private static String curl(int port) throws Exception {
        Process p = new ProcessBuilder("curl", "-sk", "--max-time", "30", "-w", "%{http_code} ",
                "-o", dir.resolve("body").toString(), "https://127.0.0.1:" + port + "/").start();
        try (InputStream in = p.getInputStream(); OutputStream ignored = p.getOutputStream()) {
            String code = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return code + Files.readString(dir.resolve("body"));
        }
    }
}
