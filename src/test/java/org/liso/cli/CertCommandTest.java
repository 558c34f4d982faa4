package org.liso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.transport.tls.KeyMaterial;

class CertCommandTest {

    @Test
    void writesALoadablePairAndPrintsItsFingerprint(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("tls");
        String stdout = runCapturing("cert", "--out", out.toString());
        KeyMaterial m = KeyMaterial.load(out.resolve("key.pem"), out.resolve("cert.pem"), null);
        assertThat(stdout).contains("SHA-256 fingerprint " + m.fingerprintSha256())
                .contains("curl --cacert " + out.resolve("cert.pem"));
        Process p = new ProcessBuilder("openssl", "x509", "-in", out.resolve("cert.pem").toString(), "-noout",
                "-ext", "subjectAltName").redirectErrorStream(true).start();
        String san = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(p.waitFor()).isZero();
        assertThat(san).contains("DNS:localhost").contains("IP Address:127.0.0.1").contains("IP Address:0:0:0:0:0:0:0:1");
    }

    @Test
    void refusesToOverwriteWithoutForce(@TempDir Path dir) throws Exception {
        assertThat(Main.run("cert", "--out", dir.toString(), "--quiet")).isZero();
        String first = Files.readString(dir.resolve("cert.pem"));
        assertThat(Main.run("cert", "--out", dir.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(Files.readString(dir.resolve("cert.pem"))).isEqualTo(first);
        String json = runCapturing("cert", "--out", dir.toString(), "--force", "--rsa", "--json");
        assertThat(Files.readString(dir.resolve("cert.pem"))).isNotEqualTo(first);
        assertThat(json).startsWith("{").contains("\"key_type\":\"RSA-2048\"")
                .contains("\"sha256\":\"" + KeyMaterial.load(dir.resolve("key.pem"), dir.resolve("cert.pem"), null)
                        .fingerprintSha256() + "\"");
        assertThat(List.of(Files.list(dir).toArray())).hasSize(2);
    }

    private static String runCapturing(String... args) {
        PrintStream before = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run(args)).isZero();
        } finally {
            System.setOut(before);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
