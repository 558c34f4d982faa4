package org.liso.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * KernelBuffers reads the sysctls themselves, not its fallbacks: read here through a BufferedReader (one read of the
 * whole text from position 0), the way a sysctl answers in full.
 */
class KernelBuffersTest {
    private static List<String> fields(String sysctl) throws Exception {
        return List.of(Files.readAllLines(Path.of(sysctl)).get(0).trim().split("\\s+"));
    }

    @Test
    void theFiguresAreTheKernelsOwn() throws Exception {
        Path rmem = Path.of("/proc/sys/net/ipv4/tcp_rmem");
        assumeThat(Files.isReadable(rmem)).as("Linux with /proc/sys").isTrue();
        long rmemMax = Long.parseLong(fields("/proc/sys/net/ipv4/tcp_rmem").get(2));
        long wmemMax = Long.parseLong(fields("/proc/sys/net/ipv4/tcp_wmem").get(2));
        long coreRmem = Long.parseLong(fields("/proc/sys/net/core/rmem_max").get(0));
        long coreWmem = Long.parseLong(fields("/proc/sys/net/core/wmem_max").get(0));
        assertThat(KernelBuffers.maxTcpReceive()).isEqualTo(Math.max(rmemMax, 2 * coreRmem));
        assertThat(KernelBuffers.maxTcpSend()).isEqualTo(Math.max(wmemMax, 2 * coreWmem));
        assertThat(KernelBuffers.maxPipe()).isEqualTo(Long.parseLong(fields("/proc/sys/fs/pipe-max-size").get(0)));
        long somaxconn = Long.parseLong(fields("/proc/sys/net/core/somaxconn").get(0));
        assertThat(KernelBuffers.acceptQueue(1 << 20)).isEqualTo(somaxconn + 1);
    }
}
