package org.liso.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/left-behind.sh, which scripts/test.sh runs around the suite, on a real git repository: a file a run
 * leaves outside target/ fails it by name (as r1.txt and an openssl {@code -sess_out} file once were committed);
 * what target/ holds, and what was already changed before the run, do not.
 */
class LeftBehindIT {
    private static final Path SCRIPT = Path.of("scripts/left-behind.sh").toAbsolutePath();

    @TempDir
    Path dir;
    Path clone;
    Path before;

    @BeforeEach
    void aCommittedClone() throws Exception {
        clone = Files.createDirectory(dir.resolve("clone"));
        Files.writeString(clone.resolve(".gitignore"), "target/\n");
        Files.writeString(clone.resolve("README.md"), "one\n");
        git("init", "-q");
        git("add", "-A");
        git("-c", "user.name=t", "-c", "user.email=t@localhost", "commit", "-q", "-m", "first");
        before = dir.resolve("before");
    }

    @Test
    void aFileLeftInTheCloneFailsTheRunByName() throws Exception {
        snapshot();
        Files.writeString(clone.resolve("r1.txt"), "ran\n");
        Files.createDirectories(clone.resolve("sub"));
        Files.writeString(clone.resolve("sub/s.pem"), "-----BEGIN SSL SESSION PARAMETERS-----\n");
        Result r = check();
        assertThat(r.exit).as(r.err).isEqualTo(1);
        assertThat(r.err).contains("own temporary directory").contains("r1.txt").contains("sub/s.pem");
    }

    @Test
    void aTrackedFileTheRunChangesFailsIt() throws Exception {
        snapshot();
        Files.writeString(clone.resolve("README.md"), "two\n");
        Result r = check();
        assertThat(r.exit).as(r.err).isEqualTo(1);
        assertThat(r.err).contains("README.md");
    }

    @Test
    void targetAndWhatWasChangedBeforeTheRunPass() throws Exception {
        Files.writeString(clone.resolve("README.md"), "edited before the run\n");
        Files.writeString(clone.resolve("notes.txt"), "mine\n");
        snapshot();
        Files.createDirectories(clone.resolve("target/failsafe-reports"));
        Files.writeString(clone.resolve("target/failsafe-reports/x.txt"), "report\n");
        Result r = check();
        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.err).isEmpty();
    }

    @Test
    void aFileChangedBeforeAndAgainByTheRunFailsIt() throws Exception {
        Files.writeString(clone.resolve("README.md"), "edited before the run\n");
        snapshot();
        Files.writeString(clone.resolve("README.md"), "and by the run\n");
        Result r = check();
        assertThat(r.exit).as(r.err).isEqualTo(1);
        assertThat(r.err).contains("README.md");
    }

    private void snapshot() throws Exception {
        Result r = run(List.of(SCRIPT.toString(), "snapshot", clone.toString()));
        assertThat(r.exit).as(r.err).isZero();
        Files.writeString(before, r.out);
    }

    private Result check() throws Exception {
        return run(List.of(SCRIPT.toString(), "check", clone.toString(), before.toString()));
    }

    private void git(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", clone.toString()));
        cmd.addAll(List.of(args));
        Result r = run(cmd);
        assertThat(r.exit).as(r.err).isZero();
    }

    private record Result(int exit, String out, String err) {}

    private Result run(List<String> cmd) throws IOException, InterruptedException {
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("timed out: " + cmd);
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
