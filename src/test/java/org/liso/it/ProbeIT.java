package org.liso.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code liso probe} against real listeners on loopback: open, refused, timed out, unresolvable, UDP. */
class ProbeIT {

    private static final String HOLD = Child.PY
            + "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()\n"
            + "closed = socket.socket(); closed.bind(('127.0.0.1', 0)); cp = closed.getsockname()[1]; closed.close()\n"
            + Child.pyReady("s.getsockname()[1], cp");

    @Test
    void openAndRefusedPortsWithNcMessagesAndExitCodes() throws Exception {
        try (Child py = Child.python(HOLD)) {
            String[] ports = py.line().split(" ");
            Child.Result open = Child.liso("probe", "127.0.0.1", ports[0]);
            assertThat(open.exit()).as(open.all()).isZero();
            assertThat(open.out().trim()).isEqualTo("Connection to 127.0.0.1 " + ports[0] + " port [tcp/*] succeeded!");

            Child.Result refused = Child.liso("probe", "127.0.0.1", ports[1]);
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.out().trim())
                    .isEqualTo("connect to 127.0.0.1 port " + ports[1] + " (tcp) failed: Connection refused");

            Child.Result json = Child.liso("probe", "localhost", ports[0], "-4", "--json");
            Child.Result parsed = Child.run(List.of("python3", "-c", "import json, sys\n"
                    + "d = json.load(sys.stdin); r = d['results'][0]\n"
                    + "print(d['addresses'][0], d['all_open'], r['port'], r['status'])"), json.out());
            assertThat(parsed.out().trim()).isEqualTo("127.0.0.1 True " + ports[0] + " open");
        }
    }

    @Test
    void rangeIsProbedConcurrentlyAndReportedInPortOrder() throws Exception {
        try (Child py = Child.python(HOLD)) {
            int port = Integer.parseInt(py.line().split(" ")[0]);
            int from = Math.max(1025, port - 40);
            int to = Math.min(65535, port + 40);
            Child.Result r = Child.liso("probe", "127.0.0.1", from + "-" + to, "--max-in-flight", "8",
                    "--timeout", "2s");
            assertThat(r.exit()).isEqualTo(1);
            String[] lines = r.out().trim().split("\n");
            assertThat(lines).hasSize(to - from + 1);
            for (int i = 0; i < lines.length; i++) {
                assertThat(lines[i]).contains(" " + (from + i) + " ");
            }
            assertThat(lines[port - from]).isEqualTo("Connection to 127.0.0.1 " + port + " port [tcp/*] succeeded!");
        }
    }

    @Test
    void longRangeOnATerminalDrawsAProgressBar() throws Exception {
        // script(1) gives the child a pseudo-terminal, as a user's shell would.
        String cmd = String.join(" ", Child.lisoCommand("probe", "127.0.0.1", "1025-1224", "--timeout", "500ms"));
        Child.Result r = Child.run(List.of("script", "-qec", cmd, "/dev/null"));
        assertThat(r.out()).contains("] 200/200").containsPattern("\\r\\[#* *] \\d+/200")
                .contains("connect to 127.0.0.1 port 1025 (tcp)");
        Child.Result piped = Child.liso("probe", "127.0.0.1", "1025-1224", "--timeout", "500ms");
        assertThat(piped.all()).doesNotContain("/200");
    }

    @Test
    void fullBacklogTimesOut() throws Exception {
        // backlog 0 and nobody accepting: once the queue is full the kernel drops new SYNs, so connect hangs.
        String script = Child.PY
                + "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(0)\n"
                + "cs = [socket.socket() for _ in range(4)]\n"
                + "[c.setblocking(False) for c in cs]\n"
                + "[c.connect_ex(s.getsockname()) for c in cs]\n"
                + "time.sleep(0.3)\n"
                + Child.pyReady("s.getsockname()[1]");
        try (Child py = Child.python(script)) {
            String port = py.line();
            Child.Result r = Child.liso("probe", "127.0.0.1", port, "--timeout", "1s");
            assertThat(r.exit()).as(r.all()).isEqualTo(1);
            assertThat(r.out().trim())
                    .isEqualTo("connect to 127.0.0.1 port " + port + " (tcp) timed out: Operation now in progress");
        }
    }

    /** A hosts file of our own: the JDK resolves from it alone, so no DNS server is asked anything. */
    private static List<String> withHosts(Path hosts, String... args) {
        List<String> cmd = new ArrayList<>(Child.lisoCommand(args));
        cmd.add(1, "-Djdk.net.hosts.file=" + hosts);
        return cmd;
    }

    @Test
    void everyAddressOfANameIsTriedAsNcDoes() throws Exception {
        // both.test resolves to 127.0.0.1 then ::1 (the JDK puts IPv4 first); only ::1 listens.
        Path hosts = Files.createTempFile("hosts", "");
        Files.writeString(hosts, "::1 both.test\n127.0.0.1 both.test\n");
        String script = Child.PY
                + "s = socket.socket(socket.AF_INET6); s.bind(('::1', 0)); s.listen()\n"
                + "port = s.getsockname()[1]\n"
                + "try:\n    t = socket.socket(); t.bind(('127.0.0.1', port)); t.close()\n"
                + "except OSError:\n    sys.exit(3)\n"
                + Child.pyReady("port");
        try (Child py = Child.python(script)) {
            String port = py.line();
            Child.Result r = Child.run(withHosts(hosts, "probe", "both.test", port));
            assertThat(r.exit()).as(r.all()).isZero();
            assertThat(r.out()).isEqualTo("connect to both.test (127.0.0.1) port " + port
                    + " (tcp) failed: Connection refused\n"
                    + "Connection to both.test (::1) " + port + " port [tcp/*] succeeded!\n");
            Child.Result json = Child.run(withHosts(hosts, "probe", "both.test", port, "--json"));
            Child.Result parsed = Child.run(List.of("python3", "-c", "import json, sys\n"
                    + "d = json.load(sys.stdin); r = d['results'][0]\n"
                    + "print(d['addresses'], r['address'], r['status'], [a['status'] for a in r['attempts']])"),
                    json.out());
            assertThat(parsed.out().trim()).isEqualTo("['127.0.0.1', '::1'] ::1 open ['refused', 'open']");
            Child.Result v4 = Child.run(withHosts(hosts, "probe", "both.test", port, "-4"));
            assertThat(v4.exit()).isEqualTo(1);
        } finally {
            Files.delete(hosts);
        }
    }

    @Test
    void zeroTimeoutIsAUsageErrorNotATimeout() throws Exception {
        try (Child py = Child.python(HOLD)) {
            String port = py.line().split(" ")[0];
            Child.Result r = Child.liso("probe", "127.0.0.1", port, "-w", "0");
            assertThat(r.exit()).as(r.all()).isEqualTo(2);
            assertThat(r.err()).contains("--timeout must be at least 1ms");
            assertThat(r.out()).doesNotContain("timed out");
        }
    }

    @Test
    void unresolvedNameHasTheSameJsonShape() throws Exception {
        Path hosts = Files.createTempFile("hosts", "");
        Files.writeString(hosts, "127.0.0.1 localhost\n");
        try (Child py = Child.python(HOLD)) {
            String port = py.line().split(" ")[0];
            String keys = "import json, sys; d = json.load(sys.stdin); print(sorted(d), d['error'], d['results'])";
            Child.Result bad = Child.run(withHosts(hosts, "probe", "nosuch.invalid", port, "--json"));
            Child.Result good = Child.run(withHosts(hosts, "probe", "localhost", port, "--json"));
            String badKeys = Child.run(List.of("python3", "-c", keys), bad.out()).out().trim();
            String goodKeys = Child.run(List.of("python3", "-c", keys), good.out()).out().trim();
            assertThat(badKeys).startsWith("['addresses', 'all_open', 'error', 'host', 'message', 'protocol', 'results']"
                    + " name not resolved []");
            assertThat(goodKeys).startsWith("['addresses', 'all_open', 'error', 'host', 'message', 'protocol',"
                    + " 'results'] None [{");
        } finally {
            Files.delete(hosts);
        }
    }

    @Test
    void unresolvableNameIsSaidPlainly() throws Exception {
        // The JDK resolves only from this file, so the test asks no DNS server anything.
        Path hosts = Files.createTempFile("hosts", "");
        Files.writeString(hosts, "127.0.0.1 localhost\n");
        try {
            List<String> cmd = new ArrayList<>(Child.lisoCommand("probe", "nosuch.invalid", "80"));
            cmd.add(1, "-Djdk.net.hosts.file=" + hosts);
            Child.Result r = Child.run(cmd);
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("getaddrinfo for host \"nosuch.invalid\" port 80: Name or service not known");
            assertThat(r.out()).isEmpty();
        } finally {
            Files.delete(hosts);
        }
    }

    @Test
    void udpRefusedSilentAndAnswered() throws Exception {
        String script = Child.PY
                + "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1', 0))\n"
                + "c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); c.bind(('127.0.0.1', 0));"
                + " cp = c.getsockname()[1]; c.close()\n"
                + Child.pyReady("u.getsockname()[1], cp");
        try (Child py = Child.python(script); Child echo = Child.startLiso("listen", "udp4:0", "--echo")) {
            String[] ports = py.line().split(" ");
            String echoPort = echo.awaitLine("listening").replaceAll(".*127\\.0\\.0\\.1:(\\d+).*", "$1");
            Child.Result refused = Child.liso("probe", "127.0.0.1", ports[1], "--udp", "--timeout", "1s");
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.out()).contains("(udp) failed: Connection refused");
            Child.Result silent = Child.liso("probe", "127.0.0.1", ports[0], "--udp", "--timeout", "500ms");
            assertThat(silent.exit()).isZero();
            assertThat(silent.out()).contains("[udp/*] succeeded! (no reply: open or filtered)");
            Child.Result answered = Child.liso("probe", "127.0.0.1", echoPort, "--udp", "--timeout", "2s");
            assertThat(answered.exit()).as(answered.all()).isZero();
            assertThat(answered.out().trim())
                    .isEqualTo("Connection to 127.0.0.1 " + echoPort + " port [udp/*] succeeded!");
        }
    }
}
