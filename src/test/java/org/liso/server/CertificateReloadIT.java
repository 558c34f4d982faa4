package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;
import org.liso.transport.tls.KeyMaterial;

/** kill -HUP makes liso serve pick up a new key and certificate; a bad pair is refused and the old one stays. */
class CertificateReloadIT {
    @TempDir
    Path dir;

    private static String fingerprintServed(int port) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", "openssl s_client -connect 127.0.0.1:" + port
                + " -servername localhost </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        return out.substring(out.indexOf('=') + 1);
    }

    private static void hangUp(LisoProcess liso) throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(liso.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    @Test
    void sighupReloadsTheFilesAndABadPairKeepsTheOldOne() throws Exception {
        Path live = Files.createDirectories(dir.resolve("live"));
        KeyMaterial first = KeyMaterial.selfSigned();
        first.writePem(live);
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "hi\n");
        try (LisoProcess liso = LisoProcess.start(2, "serve", "--root", www.toString(), "--http", "127.0.0.1:0",
                "--https", "127.0.0.1:0", "--key", live.resolve("key.pem").toString(), "--cert",
                live.resolve("cert.pem").toString())) {
            int https = liso.port(1);
            assertThat(fingerprintServed(https)).isEqualTo(first.fingerprintSha256());

            KeyMaterial second = KeyMaterial.selfSigned();
            Path staged = Files.createDirectories(dir.resolve("staged"));
            second.writePem(staged);
            Files.copy(staged.resolve("key.pem"), live.resolve("key.pem"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(staged.resolve("cert.pem"), live.resolve("cert.pem"), StandardCopyOption.REPLACE_EXISTING);
            hangUp(liso);
            assertThat(waitForFingerprint(https, second.fingerprintSha256())).as("new pair served after SIGHUP")
                    .isTrue();

            // A certificate that does not match the key: refused, the second pair stays in service.
            KeyMaterial third = KeyMaterial.selfSigned();
            Path other = Files.createDirectories(dir.resolve("other"));
            third.writePem(other);
            Files.copy(other.resolve("cert.pem"), live.resolve("cert.pem"), StandardCopyOption.REPLACE_EXISTING);
            hangUp(liso);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!liso.stderr().contains("reload rejected") && System.nanoTime() < deadline) {
                Thread.sleep(100); // the poll interval of this deadline-bounded wait
            }
            assertThat(liso.stderr()).contains("reload rejected");
            assertThat(fingerprintServed(https)).isEqualTo(second.fingerprintSha256());
        }
    }

    /** Writes a fresh pair into {@code live}, the key encrypted (PKCS#8, AES-256) with {@code password}. */
    private KeyMaterial encryptedPair(Path live, String password, String name) throws Exception {
        KeyMaterial m = KeyMaterial.selfSigned();
        Path plain = Files.createDirectories(dir.resolve(name));
        m.writePem(plain);
        Process p = new ProcessBuilder("openssl", "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in",
                plain.resolve("key.pem").toString(), "-out", live.resolve("key.pem").toString(), "-passout",
                "pass:" + password).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        Files.copy(plain.resolve("cert.pem"), live.resolve("cert.pem"), StandardCopyOption.REPLACE_EXISTING);
        return m;
    }

    @Test
    void sighupReloadsAnEncryptedKeyWithItsPassword() throws Exception {
        Path live = Files.createDirectories(dir.resolve("live"));
        KeyMaterial first = encryptedPair(live, "s3cret", "first");
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "hi\n");
        java.util.List<String> cmd = java.util.List.of("env", "LISO_TEST_KEY_PW=s3cret", LisoProcess.java(),
                "-Xmx128m", "-jar", LisoProcess.jar().toString(), "serve", "--root", www.toString(), "--http",
                "127.0.0.1:0", "--https", "127.0.0.1:0", "--key", live.resolve("key.pem").toString(), "--cert",
                live.resolve("cert.pem").toString(), "--key-password-env", "LISO_TEST_KEY_PW");
        try (LisoProcess liso = LisoProcess.startCommand(2, cmd)) {
            int https = liso.port(1);
            assertThat(fingerprintServed(https)).isEqualTo(first.fingerprintSha256());
            KeyMaterial second = encryptedPair(live, "s3cret", "second");
            hangUp(liso);
            assertThat(waitForFingerprint(https, second.fingerprintSha256()))
                    .as("new encrypted pair served after SIGHUP; stderr: %s", liso.stderr()).isTrue();
        }
    }

    private static boolean waitForFingerprint(int port, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (fingerprintServed(port).equals(expected)) {
                return true;
            }
            Thread.sleep(200); // the poll interval of this deadline-bounded wait (each poll runs openssl)
        }
        return false;
    }
}
