package org.liso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;
import org.liso.testing.LisoRun;

/**
 * serve checks its whole command line before it acts: a bad one makes no certificate, prints no fingerprint and binds
 * nothing; an option that cannot apply is an error, not silently nothing.
 */
class ValidationFirstIT {
    @TempDir
    Path dir;

    @Test
    void aMissingRootFailsBeforeACertificateIsMade() throws Exception {
        LisoRun r = LisoRun.of("serve", "--root", dir.resolve("nonexistent").toString(), "--http", "127.0.0.1:0",
                "--https", "127.0.0.1:0");
        assertThat(r.exitCode()).isEqualTo(78);
        assertThat(r.stdout()).as("no fingerprint, no listener announced").isEmpty();
        assertThat(r.errorLines()).containsExactly("liso serve: document root is not a readable directory: "
                + dir.resolve("nonexistent"));
    }

    @Test
    void noHttpsWithAnHttpsOptionIsAUsageError() throws Exception {
        Files.writeString(dir.resolve("index.html"), "hi\n");
        String[][] cases = {{"--hsts", "5"}, {"--tls-protocols", "TLSv1.3"}, {"--key", "k.pem", "--cert", "c.pem"},
                {"--https", "127.0.0.1:0"}, {"--handshake-timeout", "5s"}, {"--no-tls-resumption"}};
        for (String[] c : cases) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("serve", "--root",
                    dir.toString(), "--http", "127.0.0.1:0", "--no-https"));
            args.addAll(java.util.List.of(c));
            LisoRun r = LisoRun.of(args.toArray(new String[0]));
            assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.stderr()).isEqualTo(2);
            assertThat(r.stdout()).as(String.join(" ", args)).isEmpty();
            assertThat(r.errorLines()).containsExactly("liso serve: --no-https and " + c[0] + " exclude each other",
                    "Try 'liso serve --help'");
        }
    }

    @Test
    void anHttpsOptionWithHttpsOffIsAUsageError() throws Exception {
        Files.writeString(dir.resolve("index.html"), "hi\n");
        LisoRun r = LisoRun.of("serve", "--root", dir.toString(), "--http", "127.0.0.1:0", "--hsts", "365d");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.errorLines().get(0)).isEqualTo("liso serve: --hsts applies to HTTPS, which is off (add --https ADDR,"
                + " or --key and --cert)");
    }

    @Test
    void aWrongProtocolNameIsRefusedWithTheNamesTheFlagAccepts() throws Exception {
        LisoRun r = LisoRun.of("serve", "--http", "127.0.0.1:0", "--https", "127.0.0.1:0", "--tls-protocols",
                "TLSv1.3,TLS1.2");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stdout()).as("no certificate made before the error").isEmpty();
        assertThat(r.errorLines()).containsExactly(
                "liso serve: --tls-protocols: 'TLS1.2' is not a protocol liso serves (accepted: TLSv1.3, TLSv1.2)",
                "Try 'liso serve --help'");
        LisoRun old = LisoRun.of("serve", "--http", "127.0.0.1:0", "--https", "127.0.0.1:0", "--tls-protocols",
                "SSLv3");
        assertThat(old.exitCode()).isEqualTo(2);
        assertThat(old.stderr()).contains("'SSLv3' is not a protocol").doesNotContain("SSLv2Hello");
        LisoRun suite = LisoRun.of("serve", "--http", "127.0.0.1:0", "--https", "127.0.0.1:0", "--tls-ciphers",
                "TLS_RSA_WITH_RC4_128_MD5");
        assertThat(suite.exitCode()).isEqualTo(2);
        assertThat(suite.stdout()).isEmpty();
        assertThat(suite.stderr()).contains("'TLS_RSA_WITH_RC4_128_MD5' is not a cipher suite")
                .contains("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void lisodRefusesABadLimitOnTheTerminalBeforeItMakesItsLogFile() throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        Path log = dir.resolve("lisod.log");
        LisoRun r = LisoRun.of("lisod", "0", "0", log.toString(), dir.resolve("lisod.lock").toString(), www.toString(),
                "/bin/true", dir.resolve("k.pem").toString(), dir.resolve("c.pem").toString(), "--idle-timeout", "0");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.errorLines().get(0)).startsWith("liso lisod: --idle-timeout must be above 0");
        assertThat(log).as("nothing made before the command line was checked").doesNotExist();
    }

    @Test
    void aProtocolNameInAnotherCaseIsServed() throws Exception {
        try (LisoProcess liso = LisoProcess.start(2, "serve", "--http", "127.0.0.1:0", "--https", "127.0.0.1:0",
                "--tls-protocols", "tlsv1.2", "-q")) {
            assertThat(liso.url(1)).startsWith("https://127.0.0.1:");
        }
    }
}
