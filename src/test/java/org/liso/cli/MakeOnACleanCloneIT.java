package org.liso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.Lisod;

/**
 * The graders' first step: `make` in a fresh clone (no target/) leaves a ./lisod that starts. The clone is of the
 * committed HEAD, as CI's checkout is; Maven runs offline from ~/.m2 so the test needs no network.
 */
class MakeOnACleanCloneIT {
    @TempDir
    Path tmp;

    @Test
    void makeBuildsEverythingLisodNeeds() throws Exception {
        Path clone = tmp.resolve("clone");
        run(tmp, 60, "git", "clone", "-q", Lisod.repo().toString(), clone.toString());
        assertThat(clone.resolve("target")).doesNotExist();
        run(clone, 600, "make", "MVN_FLAGS=-o");
        assertThat(clone.resolve("target/liso.jar")).isRegularFile();
        assertThat(clone.resolve("target/liso.jsa")).isRegularFile();
        assertThat(Files.getLastModifiedTime(clone.resolve("target/liso.jsa")))
                .isGreaterThan(Files.getLastModifiedTime(clone.resolve("target/liso.jar")));
        assertThat(run(clone, 60, "make", "MVN_FLAGS=-o")).contains("Nothing to be done");

        Lisod lisod = Lisod.prepare(tmp.resolve("run"));
        int http = Lisod.freePort();
        ProcessBuilder pb = new ProcessBuilder("./lisod").directory(clone.toFile()).redirectErrorStream(true);
        pb.command().addAll(lisod.args(http, Lisod.freePort()));
        pb.environment().put("LISOD_BIND", "127.0.0.1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long pid = lisod.pid(1000);
        try {
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).doesNotContain("building");
            assertThat(Files.readString(Path.of("/proc/" + pid + "/cmdline"))).contains(clone.toString());
            org.liso.testing.RawClient.Exchange ex = org.liso.testing.RawClient.send(http,
                    "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 5000, false);
            assertThat(ex.replies().get(0).status()).isEqualTo(200);
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static String run(Path dir, int seconds, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(seconds, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }
}
