package org.liso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.Lisod;

/**
 * A start of ./lisod that fails: the command exits non-zero with the reason on stderr, the log-file says the same
 * after its header line, and no empty lock-file is left behind.
 */
class LisodFailedStartIT {
    @TempDir
    Path tmp;

    @Test
    void aPortInUseIsExplainedOnStderrAndInTheLogFileAndLeavesNoLockFile() throws Exception {
        Lisod lisod = Lisod.prepare(tmp);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Lisod.Result r = lisod.run(lisod.args(taken.getLocalPort(), Lisod.freePort()));
            assertThat(r.exitCode()).as(r.out()).isEqualTo(ExitCodes.UNAVAILABLE);
            String why = "Cannot listen on TCP 127.0.0.1:" + taken.getLocalPort() + ": the address is already in use";
            assertThat(r.out()).contains(why).doesNotContain("Exception").doesNotContain("\tat ");
            // The start line, what it said while starting (the TLS engine), and the one error last.
            java.util.List<String> lines = Files.readAllLines(lisod.log);
            assertThat(lines.get(0)).contains(" lisod started ");
            assertThat(lines).last().asString().contains(" ERROR lisod not started: " + why);
            assertThat(lines.subList(1, lines.size() - 1)).allMatch(l -> l.contains(" INFO "));
            assertThat(lisod.lock).doesNotExist();
        }
    }

    @Test
    void aMissingWwwFolderIsExplainedInTheLogFileToo() throws Exception {
        Lisod lisod = Lisod.prepare(tmp);
        Files.delete(lisod.www.resolve("index.html"));
        Files.delete(lisod.www);
        Lisod.Result r = lisod.run(lisod.args(Lisod.freePort(), Lisod.freePort()));
        assertThat(r.exitCode()).as(r.out()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.out()).contains("www-folder is not a directory: " + lisod.www);
        assertThat(Files.readString(lisod.log)).contains(" ERROR lisod not started: www-folder is not a directory");
        assertThat(lisod.lock).doesNotExist();
    }

    @Test
    void aLockFileThatExistedBeforeIsKept() throws Exception {
        Lisod lisod = Lisod.prepare(tmp);
        Files.writeString(lisod.lock, "");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Lisod.Result r = lisod.run(lisod.args(taken.getLocalPort(), Lisod.freePort()));
            assertThat(r.exitCode()).as(r.out()).isEqualTo(ExitCodes.UNAVAILABLE);
        }
        assertThat(lisod.lock).as("not ours to remove").exists().isEmptyFile();
    }
}
