package org.liso.diag;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds a /proc tree the way the kernel lays it out (net tables captured on a real host, fd links named
 * {@code socket:[inode]}, NUL-separated cmdline, status with Uid) and checks the inode → process join.
 */
class SocketOwnersTest {

    @TempDir
    Path proc;

    @Test
    void joinsSocketInodesToProcesses() throws IOException {
        Files.createDirectories(proc.resolve("net"));
        for (String t : new String[] {"tcp", "tcp6", "udp", "udp6"}) {
            Files.writeString(proc.resolve("net").resolve(t), ProcNetTest.sample(t));
        }
        process(4242, 1000, "python3\0-m\0http.server\0", "socket:[6753]", "socket:[6756]", "/dev/null", "pipe:[77]");
        process(4343, 0, "", "socket:[6764]");
        Files.createDirectories(proc.resolve("self"));
        Files.createDirectories(proc.resolve("4444"));
        Path passwd = proc.resolve("passwd");
        Files.writeString(passwd, "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n");

        SocketTable table = SocketTable.fromProc(proc, UserNames.load(passwd));

        assertThat(table.listeners(true, false)).extracting(o -> o.socket().localText())
                .containsExactlyInAnyOrder("0.0.0.0:2024", "127.0.0.1:41073", "*:53803");
        OwnedSocket held = table.onPort(41073, true, false, false).get(0);
        assertThat(held.owners()).singleElement().satisfies(p -> {
            assertThat(p.pid()).isEqualTo(4242);
            assertThat(p.user()).isEqualTo("alice");
            assertThat(p.commandLine()).isEqualTo("python3 -m http.server");
            assertThat(p.command()).isEqualTo("python3");
        });
        assertThat(table.onPort(41073, true, false, true)).hasSize(3);
        assertThat(table.onPort(54224, false, true, true)).singleElement()
                .satisfies(o -> assertThat(o.owners().get(0).commandLine()).isEqualTo("[kworker]"));
        // The TIME-WAIT socket (inode 0) belongs to nobody; the process without an fd directory is counted.
        assertThat(table.onPort(41073, true, false, true).stream().filter(o -> o.owners().isEmpty()))
                .singleElement().satisfies(o -> assertThat(o.socket().state()).isEqualTo(TcpState.TIME_WAIT));
        assertThat(table.unreadable()).isEqualTo(1);
    }

    @Test
    void conflictsFollowLinuxBindRules() throws IOException {
        Files.createDirectories(proc.resolve("net"));
        for (String t : new String[] {"tcp", "tcp6", "udp", "udp6"}) {
            Files.writeString(proc.resolve("net").resolve(t), ProcNetTest.sample(t));
        }
        SocketTable table = SocketTable.fromProc(proc, UserNames.load(proc.resolve("none")));
        // [::]:53803 is dual-stack: it blocks 0.0.0.0 and 127.0.0.1 on that port.
        assertThat(table.conflicting(Addresses.parse("0.0.0.0:53803", "").getAddress(), 53803, false))
                .anySatisfy(o -> assertThat(o.socket().localText()).isEqualTo("*:53803"));
        // 127.0.0.1:41073 blocks 0.0.0.0 (wildcard) and [::] (dual-stack) but not 127.0.0.2.
        assertThat(table.conflicting(Addresses.parse("0.0.0.0:1", "").getAddress(), 41073, false)).isNotEmpty();
        assertThat(table.conflicting(Addresses.parse("[::]:1", "").getAddress(), 41073, false)).isNotEmpty();
        assertThat(table.conflicting(Addresses.parse("127.0.0.2:1", "").getAddress(), 41073, false)).isEmpty();
        assertThat(table.conflicting(Addresses.parse("[::1]:1", "").getAddress(), 41073, false)).isEmpty();
        // UDP and TCP ports are separate.
        assertThat(table.conflicting(Addresses.parse("127.0.0.1:1", "").getAddress(), 40823, false)).isEmpty();
        assertThat(table.conflicting(Addresses.parse("127.0.0.1:1", "").getAddress(), 40823, true)).hasSize(1);
    }

    private void process(int pid, int uid, String cmdline, String... fdTargets) throws IOException {
        Path dir = proc.resolve(Integer.toString(pid));
        Files.createDirectories(dir.resolve("fd"));
        Files.write(dir.resolve("cmdline"), cmdline.getBytes(StandardCharsets.UTF_8));
        String name = cmdline.isEmpty() ? "kworker" : cmdline.split("\0")[0];
        Files.writeString(dir.resolve("status"), "Name:\t" + name + "\nUmask:\t0022\nState:\tS (sleeping)\nUid:\t" + uid
                + "\t" + uid + "\t" + uid + "\t" + uid + "\n");
        for (int i = 0; i < fdTargets.length; i++) {
            Files.createSymbolicLink(dir.resolve("fd").resolve(Integer.toString(i + 3)), Path.of(fdTargets[i]));
        }
    }
}
