package org.liso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;
import org.liso.testing.LisoRun;
import org.liso.testing.Tool;

/**
 * {@code liso serve --config liso.toml} as an operator runs it: the file's settings reach curl and python requests,
 * flags win over it, a typo stops the start with its line, {@code --print-config} prints what is in effect, and
 * {@code kill -HUP} applies a changed file in place and says which changes wait for a restart.
 */
class ConfigFileIT {
    @TempDir
    Path dir;

    private Path www;
    private Path other;

    @BeforeEach
    void sites() throws IOException {
        www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "from www\n");
        other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("index.html"), "from other\n");
    }

    private Path config(String toml) throws IOException {
        Path f = dir.resolve("liso.toml");
        Files.writeString(f, toml);
        return f;
    }

    private static Tool curl(String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("curl", "-s", "--max-time", "20"));
        cmd.addAll(java.util.List.of(args));
        return Tool.run(30, cmd);
    }

    @Test
    void theFilesSettingsReachCurlAndRequestsAndFlagsWin() throws Exception {
        Path f = config("""
                # liso serve --config liso.toml
                root = "%s"
                http = "127.0.0.1:0"
                header = ["X-From: file", "X-Kept: file"]
                server-header = "example"
                """.formatted(www));
        try (LisoProcess liso = LisoProcess.start(1, "serve", "--config", f.toString(), "--server-header", "flag")) {
            String url = "http://127.0.0.1:" + liso.port(0) + "/";
            String head = curl("-si", url).output();
            assertThat(head).contains("X-From: file", "X-Kept: file", "Server: flag", "from www");
            Path py = dir.resolve("client.py");
            Files.writeString(py, """
                    import sys, requests
                    r = requests.get(sys.argv[1], timeout=20)
                    assert r.status_code == 200 and r.text == "from www\\n", r.text
                    assert r.headers["X-From"] == "file" and r.headers["Server"] == "flag", r.headers
                    print("requests ok")
                    """);
            assertThat(Tool.run(60, "/usr/bin/python3", py.toString(), url).output()).contains("requests ok");
        }
    }

    @Test
    void anUnknownKeyStopsTheStartWithItsLine() throws Exception {
        Path f = config("root = \"%s\"\nhttp = \"127.0.0.1:0\"\n\n[cgi]\ntimout = \"5s\"\n".formatted(www));
        LisoRun run = LisoRun.of("serve", "--config", f.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.stderr()).contains(f + ":5:1: unknown key 'cgi-timout' (did you mean cgi-timeout?)");
        assertThat(run.stdout()).doesNotContain("http://");
    }

    @Test
    void printConfigShowsWhatIsInEffectAndReadsBack() throws Exception {
        Path f = config("root = \"%s\"\nlist-dirs = true\nsite = [\"a.test=%s\"]\n".formatted(www, other));
        LisoRun run = LisoRun.of("serve", "--config", f.toString(), "--max-body", "2M", "--print-config");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("\nroot = \"" + www + "\"\n", "\nlist-dirs = true\n",
                "\nmax-body = \"2M\"\n", "\nsite = [\"a.test=" + other + "\"]\n", "\n# cgi = (not set)\n",
                "\nidle-timeout = \"", "\nmax-connections = ");
        Path printed = dir.resolve("printed.toml");
        Files.writeString(printed, run.stdout());
        LisoRun again = LisoRun.of("serve", "--config", printed.toString(), "--print-config");
        assertThat(again.stdout().lines().skip(1).toList()).isEqualTo(run.stdout().lines().skip(1).toList());
    }

    private static void hangUp(LisoProcess liso) throws Exception {
        assertThat(Tool.run(10, "kill", "-HUP", Long.toString(liso.pid())).exitCode()).isZero();
    }

    private static void awaitStderr(LisoProcess liso, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!liso.stderr().contains(text)) {
            assertThat(System.nanoTime()).as("'%s' in stderr: %s", text, liso.stderr()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void sighupAppliesWhatCanChangeAndNamesWhatWaitsForARestart() throws Exception {
        String before = """
                http = "127.0.0.1:0"
                header = ["X-Generation: 1"]
                site = ["a.test=%s", "*=%s"]
                max-connections = 100
                """.formatted(www, other);
        Path f = config(before);
        try (LisoProcess liso = LisoProcess.start(1, "serve", "--config", f.toString())) {
            String url = "http://127.0.0.1:" + liso.port(0) + "/";
            assertThat(curl("-si", "-H", "Host: a.test", url).output()).contains("X-Generation: 1", "from www");

            config(before.replace("X-Generation: 1", "X-Generation: 2").replace("a.test=" + www, "a.test=" + other)
                    .replace("max-connections = 100", "max-connections = 50"));
            hangUp(liso);
            awaitStderr(liso, "SIGHUP: configuration re-read");
            assertThat(liso.stderr()).contains("applied=header,site")
                    .contains("SIGHUP: ignored, these take a restart keys=max-connections");
            assertThat(curl("-si", "-H", "Host: a.test", url).output()).contains("X-Generation: 2", "from other");

            // A file that no longer reads changes nothing, and says where it is wrong.
            Files.writeString(f, Files.readString(f) + "max-conections = 5\n");
            hangUp(liso);
            awaitStderr(liso, "configuration not re-read");
            assertThat(liso.stderr()).contains(f + ":5:1: unknown key 'max-conections'");
            assertThat(curl("-si", "-H", "Host: a.test", url).output()).contains("X-Generation: 2", "from other");
            assertThat(liso.stop()).isZero();
        }
    }

    private Path[] pair(String name) throws Exception {
        Path key = dir.resolve(name + ".key");
        Path cert = dir.resolve(name + ".crt");
        Tool t = Tool.run(60, "openssl", "req", "-x509", "-nodes", "-days", "2", "-subj", "/CN=" + name, "-newkey",
                "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-keyout", key.toString(), "-out", cert.toString());
        assertThat(t.exitCode()).as(t.output()).isZero();
        return new Path[] {key, cert};
    }

    private static String subject(int port) throws Exception {
        return Tool.run(30, "bash", "-c", "openssl s_client -connect 127.0.0.1:" + port
                + " -servername a.test </dev/null 2>/dev/null | openssl x509 -noout -subject").output();
    }

    @Test
    void sighupSwitchesASiteToTheCertificateTheFileNowNames() throws Exception {
        Path[] first = pair("first.a.test");
        Path[] second = pair("second.a.test");
        String before = """
                http = "127.0.0.1:0"
                https = "127.0.0.1:0"
                site = ["a.test=%s", "*=%s"]
                site-cert = ["a.test=%s,%s"]
                """.formatted(www, other, first[0], first[1]);
        Path f = config(before);
        try (LisoProcess liso = LisoProcess.start(2, "serve", "--config", f.toString())) {
            int port = liso.port(1);
            assertThat(subject(port)).contains("CN = first.a.test");
            config(before.replace(first[0] + "," + first[1], second[0] + "," + second[1]));
            hangUp(liso);
            awaitStderr(liso, "SIGHUP: site certificates reloaded");
            assertThat(liso.stderr()).contains("applied=site-cert");
            assertThat(subject(port)).contains("CN = second.a.test");
        }
    }
}
