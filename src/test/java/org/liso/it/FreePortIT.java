package org.liso.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code liso free-port}: the ports it prints bind, and a held port in a range is skipped. */
class FreePortIT {

    @Test
    void kernelChosenPortsAreDistinctAndBind() throws Exception {
        Child.Result r = Child.liso("free-port", "--count", "3");
        assertThat(r.exit()).as(r.all()).isZero();
        int[] ports = Arrays.stream(r.out().trim().split("\n")).mapToInt(Integer::parseInt).toArray();
        assertThat(ports).hasSize(3).doesNotHaveDuplicates();
        for (int p : ports) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
            }
        }
    }

    @Test
    void rangeSkipsAHeldPortAndJsonParses() throws Exception {
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int p = held.getLocalPort();
            Child.Result r = Child.liso("free-port", "--range", p + "-" + Math.min(65535, p + 30), "--count", "2",
                    "--json");
            assertThat(r.exit()).as(r.all()).isZero();
            Child.Result parsed = Child.run(List.of("python3", "-c",
                    "import json, sys; d = json.load(sys.stdin); print(d['protocol'], *d['ports'])"), r.out());
            String[] f = parsed.out().trim().split(" ");
            assertThat(f[0]).isEqualTo("tcp");
            assertThat(f).hasSize(3);
            assertThat(Integer.parseInt(f[1])).isGreaterThan(p);
        }
        Child.Result udp = Child.liso("free-port", "--udp");
        assertThat(udp.exit()).isZero();
        assertThat(udp.out().trim()).matches("\\d+");
        Child.Result bad = Child.liso("free-port", "--range", "9-1");
        assertThat(bad.exit()).isEqualTo(2);
    }
}
