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

    /** doctor warns about ports in the ephemeral range; free-port --outside-ephemeral hands out none of them. */
    @Test
    void freePortAndDoctorAgreeOnTheEphemeralRange() throws Exception {
        Child.Result kernel = Child.liso("free-port", "--json");
        Child.Result range = Child.run(List.of("python3", "-c", "import json, sys; d = json.load(sys.stdin);"
                + " print(*d['ephemeral_range'], *d['ports'])"), kernel.out());
        String[] f = range.out().trim().split(" ");
        int low = Integer.parseInt(f[0]);
        int high = Integer.parseInt(f[1]);
        int chosen = Integer.parseInt(f[2]);
        assertThat(chosen).isBetween(low, high);
        assertThat(Child.liso("doctor", "127.0.0.1:" + chosen).out())
                .contains("lies in net.ipv4.ip_local_port_range " + low + "-" + high)
                .contains("liso free-port --outside-ephemeral");

        Child.Result outside = Child.liso("free-port", "--outside-ephemeral", "--count", "3");
        assertThat(outside.exit()).as(outside.all()).isZero();
        for (String line : outside.out().trim().split("\n")) {
            int p = Integer.parseInt(line);
            assertThat(p < low || p > high).as("port %d outside %d-%d", p, low, high).isTrue();
            Child.Result doctor = Child.liso("doctor", "127.0.0.1:" + p);
            assertThat(doctor.exit()).as(doctor.all()).isZero();
            assertThat(doctor.out()).doesNotContain("ip_local_port_range");
        }
    }

    /**
     * A reserved port inside the range is one the kernel never hands out, so doctor does not warn about it; and a
     * link-local address is named with its interface. Both in a network namespace of our own (root), so the
     * host's settings stay as they are.
     */
    @Test
    void reservedPortsAndLinkLocalScopesAreSaid() throws Exception {
        assertThat(System.getProperty("user.name")).as("needs root to unshare a network namespace").isEqualTo("root");
        String doctor = String.join(" ", Child.lisoCommand("doctor"));
        Child.Result r = Child.run(List.of("unshare", "-n", "sh", "-c", "ip link set lo up"
                + " && ip -6 addr add fe80::99/64 dev lo nodad"
                + " && sysctl -qw net.ipv4.ip_local_port_range='40000 40010'"
                + " && sysctl -qw net.ipv4.ip_local_reserved_ports=40005"
                + " && " + doctor + " 127.0.0.1:40005 && echo ==== && " + doctor + " 127.0.0.1:40006"
                + " && echo ==== && " + doctor + " '[fe80::99]:40020'"));
        assertThat(r.exit()).as(r.all()).isZero();
        String[] parts = r.out().split("====");
        assertThat(parts[0]).doesNotContain("ip_local_port_range");
        assertThat(parts[1]).contains("port 40006 lies in net.ipv4.ip_local_port_range 40000-40010");
        assertThat(parts[2]).contains("link-local address fe80::99 belongs to one interface (lo)")
                .contains("[fe80::99%lo]");
    }
}
