package org.liso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;
import org.liso.testing.Lisod;

/**
 * The release archive (scripts/dist.sh): built from target/liso.jar, unpacked, and run as the demo on a PATH with no
 * Java and no Maven on it — only the few tools the launcher and the demo CGI use — within the size budget.
 */
class DistIT {
    /** The budget for the unpacked tree. */
    private static final long MAX_UNPACKED_BYTES = 60_000_000L;

    @TempDir
    Path tmp;

    private static String run(List<String> cmd, Path dir) throws Exception {
        Path log = Files.createTempFile("dist", ".log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean ended = p.waitFor(15, TimeUnit.MINUTES);
        String out = Files.readString(log);
        Files.delete(log);
        if (!ended) {
            p.destroyForcibly();
        }
        assertThat(ended).as("%s did not end: %s", cmd, out).isTrue();
        assertThat(p.exitValue()).as("%s: %s", cmd, out).isZero();
        return out;
    }

    private Path tools() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("tools"));
        // What ./liso runs (bash, dirname, readlink, sed, find) and what the demo CGI needs (env, python3).
        for (String name : List.of("bash", "dirname", "readlink", "sed", "find", "env")) {
            Files.createSymbolicLink(bin.resolve(name), Path.of("/usr/bin", name));
        }
        Files.createSymbolicLink(bin.resolve("python3"), Path.of("/usr/bin/python3"));
        return bin;
    }

    private static String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void theArchiveRunsTheDemoWithoutAJdk() throws Exception {
        Path repo = Lisod.repo();
        String built = run(List.of(repo.resolve("scripts/dist.sh").toString(), "--jar",
                LisoProcess.jar().toAbsolutePath().toString(), "--out", tmp.resolve("dist").toString(), "--no-deb"),
                repo);
        Matcher size = Pattern.compile("unpacked (\\d+) bytes").matcher(built);
        assertThat(size.find()).as(built).isTrue();
        System.out.println("DistIT: " + built.lines().filter(l -> l.startsWith("dist.sh:")).findFirst().orElse(""));
        assertThat(Long.parseLong(size.group(1))).as("unpacked size").isLessThanOrEqualTo(MAX_UNPACKED_BYTES);

        Path archive;
        try (var files = Files.list(tmp.resolve("dist"))) {
            archive = files.filter(f -> f.getFileName().toString().matches("liso-.*\\.tar\\.gz")).findFirst()
                    .orElseThrow();
        }
        Path box = Files.createDirectories(tmp.resolve("bare machine"));
        run(List.of("tar", "xf", archive.toString()), box);
        Path liso = box.resolve("liso/bin/liso");
        assertThat(box.resolve("liso/runtime/bin/java")).isExecutable();
        assertThat(box.resolve("liso/runtime/bin/javac")).as("a runtime, not a JDK").doesNotExist();

        Path bin = tools();
        String path = "PATH=" + bin;
        String noJava = run(List.of("/usr/bin/env", "-i", path, bin.resolve("bash").toString(), "-c",
                "command -v java || command -v mvn || echo none"), box);
        assertThat(noJava.trim()).isEqualTo("none");

        // The demo (the bundled site, its CGI, HTTPS with a self-signed certificate), on free loopback ports.
        try (LisoProcess demo = LisoProcess.startCommand(2, List.of("/usr/bin/env", "-i", path,
                "HOME=" + tmp, bin.resolve("bash").toString(), liso.toString(), "serve", "--http", "127.0.0.1:0",
                "--https", "127.0.0.1:0"))) {
            String http = demo.url(0);
            String https = demo.url(1);
            assertThat(curl("-o", "/dev/null", "-w", "%{http_code}", http)).isEqualTo("200");
            assertThat(curl("-k", https + "cgi/")).contains("REQUEST_METHOD");
            assertThat(curl("-k", "--compressed", "-D", "-", "-o", "/dev/null", https))
                    .startsWith("HTTP/2 200").containsIgnoringCase("Content-Encoding: gzip");
            assertThat(Files.readString(Path.of("/proc", Long.toString(demo.pid()), "cmdline")))
                    .startsWith(box.resolve("liso/runtime/bin/java").toString());
        }
    }
}
