package org.liso.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;

/**
 * What packaging/ ships, checked with the tools that will read it: systemd-analyze accepts the unit without a
 * warning and it has the settings README promises; its ExecStart runs (with the test's root, address and log); the
 * ambient capability it relies on lets a JVM running as nobody serve port 80; the logrotate snippet parses, and a
 * rotation done the same way (rename, then the reopen signal) sends new lines to a new file and loses none.
 */
class ProductionPackagingIT {
    private static final Path UNIT = Path.of("packaging/liso.service");
    private static final Path LOGROTATE = Path.of("packaging/liso.logrotate");

    @TempDir
    Path dir;

    @Test
    void theUnitVerifiesAndSaysWhatReadmePromises() throws Exception {
        Child.Result verify = Child.run(List.of("systemd-analyze", "verify", UNIT.toAbsolutePath().toString()));
        assertThat(verify.exit()).as(verify.all()).isZero();
        assertThat(verify.all()).as("no warning either (an unknown key only warns)").isEmpty();
        assertThat(Files.readAllLines(UNIT)).contains("DynamicUser=yes", "AmbientCapabilities=CAP_NET_BIND_SERVICE",
                "ProtectSystem=strict", "ReadOnlyPaths=/srv/www", "Restart=on-failure", "StandardOutput=journal",
                "StandardError=journal", "ExecReload=/bin/kill -HUP $MAINPID");

        // The negative control: a misspelt key is what the empty output above rules out.
        Path typo = dir.resolve("liso.service");
        Files.writeString(typo, Files.readString(UNIT).replace("ProtectSystem=", "ProtectSytem="));
        assertThat(Child.run(List.of("systemd-analyze", "verify", typo.toString())).all())
                .contains("Unknown key 'ProtectSytem'");
    }

    @Test
    void theUnitsCommandLineRuns() throws Exception {
        Path root = site();
        List<String> cmd = new ArrayList<>();
        for (String word : execStart()) {
            cmd.add(switch (word) {
                case "/usr/bin/java" -> LisoProcess.java();
                case "/usr/local/lib/liso/liso.jar" -> LisoProcess.jar().toString();
                case "/srv/www" -> root.toString();
                case "[::]:80" -> "127.0.0.1:0";
                case "/var/log/liso/access.log" -> dir.resolve("access.log").toString();
                default -> word;
            });
        }
        try (LisoProcess liso = LisoProcess.startCommand(1, cmd)) {
            assertThat(get(liso.url(0))).isEqualTo(200);
            awaitLines(dir.resolve("access.log"), 1);
        }
    }

    @Test
    void anAmbientCapabilityLetsTheJvmServePort80AsNobody() throws Exception {
        assertThat(System.getProperty("user.name")).as("needs root to become nobody").isEqualTo("root");
        Path root = site();
        Path spool = Files.createDirectories(dir.resolve("spool")); // nobody may not write the machine's /tmp
        Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> serve = List.of(LisoProcess.java(), "-jar", LisoProcess.jar().toString(), "serve", "--root",
                root.toString(), "--http", "127.0.0.1:80", "--no-https", "--cgi-body-dir", spool.toString());
        List<String> nobody = List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups");

        List<String> without = new ArrayList<>(nobody);
        without.add("--inh-caps=-all");
        without.addAll(serve);
        Child.Result denied = Child.run(without);
        assertThat(denied.exit()).as("without the capability: " + denied.all()).isEqualTo(77);

        List<String> with = new ArrayList<>(nobody);
        with.addAll(List.of("--inh-caps=+net_bind_service", "--ambient-caps=+net_bind_service"));
        with.addAll(serve);
        try (LisoProcess liso = LisoProcess.startCommand(1, with)) {
            assertThat(liso.url(0)).isEqualTo("http://127.0.0.1:80/");
            assertThat(get(liso.url(0))).isEqualTo(200);
            String status = Files.readString(Path.of("/proc/" + liso.pid() + "/status"));
            assertThat(status).containsPattern("Uid:\\s+65534\\s");
            assertThat(status).as("CAP_NET_BIND_SERVICE (bit 10) only").contains("CapAmb:\t0000000000000400");
        }
    }

    @Test
    void theLogrotateSnippetParsesAndRotationByTheReopenSignalLosesNoLine() throws Exception {
        Path state = dir.resolve("logrotate.state");
        Child.Result debug = Child.run(List.of("logrotate", "-d", "-s", state.toString(),
                LOGROTATE.toAbsolutePath().toString()));
        assertThat(debug.exit()).as(debug.all()).isZero();
        assertThat(debug.all()).doesNotContainIgnoringCase("error");

        Path logs = Files.createDirectories(dir.resolve("log"));
        Path access = logs.resolve("access.log");
        try (LisoProcess liso = LisoProcess.start(1, "serve", "--root", site().toString(), "--http", "127.0.0.1:0",
                "--access-log", access.toString(), "-q")) {
            // The shipped snippet with this test's directory and pid for the unit's path and `systemctl kill`.
            String conf = Files.readString(LOGROTATE).replace("/var/log/liso", logs.toString())
                    .replaceAll("systemctl kill [^\n]*", "kill -USR1 " + liso.pid()).replace("daily", "size 1");
            Path confFile = dir.resolve("liso.logrotate");
            Files.writeString(confFile, conf);
            Files.setPosixFilePermissions(confFile, PosixFilePermissions.fromString("rw-r--r--"));
            assertThat(get(liso.url(0))).isEqualTo(200);
            awaitLines(access, 1);
            Child.Result rotate = Child.run(List.of("logrotate", "-f", "-s", state.toString(), confFile.toString()));
            assertThat(rotate.exit()).as(rotate.all()).isZero();
            assertThat(logs.resolve("access.log.1")).exists();
            // The reopen happens on the signal handler's thread: poll for the new file rather than guess a time.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.exists(access) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(get(liso.url(0) + "after")).isEqualTo(404);
            assertThat(awaitLines(access, 1).get(0)).contains("GET /after ");
            assertThat(Files.readAllLines(logs.resolve("access.log.1"))).hasSize(1);
        }
    }

    /** The words of ExecStart, its continuation lines joined (no word of it is quoted). */
    private static List<String> execStart() throws Exception {
        Matcher m = Pattern.compile("(?m)^ExecStart=((?:[^\n]*\\\\\n)*[^\n]*)$").matcher(Files.readString(UNIT));
        assertThat(m.find()).isTrue();
        return List.of(m.group(1).replace("\\\n", " ").trim().split("\\s+"));
    }

    private Path site() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("index.html"), "hello\n");
        // nobody must reach the root through the temporary directory; its parent (/tmp, mode 1777) is left alone
        for (Path p = root; p != null && p.startsWith(dir); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(root.resolve("index.html"), PosixFilePermissions.fromString("rw-r--r--"));
        return root;
    }

    private static int get(String url) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout(10_000);
        c.setReadTimeout(10_000);
        try {
            int status = c.getResponseCode();
            (status < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes();
            return status;
        } finally {
            c.disconnect();
        }
    }

    private static List<String> awaitLines(Path log, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> lines = List.of();
        while (System.nanoTime() < deadline) {
            lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
            if (lines.size() >= n) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(lines).as("lines in " + log).hasSizeGreaterThanOrEqualTo(n);
        return lines;
    }
}
