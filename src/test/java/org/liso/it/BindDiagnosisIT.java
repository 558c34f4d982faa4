package org.liso.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every diagnosis of {@code liso doctor} (and of a server's failed bind) produced by the real command against a
 * real situation on loopback.
 */
class BindDiagnosisIT {

    private static final String HOLD_TCP = Child.PY
            + "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()\n"
            + Child.pyReady("s.getsockname()[1]");

    @Test
    void portHeldByAnotherProcessIsNamedByWhoAndDoctor() throws Exception {
        try (Child py = Child.python(HOLD_TCP)) {
            int port = Integer.parseInt(py.line());
            Child.Result doctor = Child.liso("doctor", "127.0.0.1:" + port);
            assertThat(doctor.exit()).as(doctor.all()).isEqualTo(1);
            assertThat(doctor.out()).contains("already in use (EADDRINUSE) by pid " + py.pid() + " (")
                    .contains("python3 -c import socket")
                    .contains("liso who " + port + " --kill").contains("liso free-port")
                    // the kernel chose the port from the ephemeral range, which doctor warns about
                    .contains("warning: port " + port + " lies in net.ipv4.ip_local_port_range");

            Child.Result json = Child.liso("doctor", "127.0.0.1:" + port, "--json");
            assertThat(json.out()).contains("\"cause\":\"IN_USE\"").contains("\"bindable\":false")
                    .contains("\"pid\":" + py.pid());

            Child.Result who = Child.liso("who", Integer.toString(port));
            assertThat(who.exit()).isZero();
            assertThat(who.out()).containsPattern("tcp +127\\.0\\.0\\.1:" + port + " +\\*:\\* +LISTEN +listen +"
                    + py.pid() + " +\\S+ +python3 +\\S*python3 -c import socket");

            // A server's own failed bind says the same, in one paragraph, with exit code 69.
            Child.Result listen = Child.liso("listen", "tcp4:" + port);
            assertThat(listen.exit()).isEqualTo(69);
            assertThat(listen.err()).contains("Cannot listen on TCP 127.0.0.1:" + port)
                    .contains("by pid " + py.pid()).doesNotContain("Exception");
        }
    }

    /** A server that closes first, so its ends of the connections stay in TIME-WAIT after it exits. */
    private static int leaveTimeWait(boolean reuseAddress) throws Exception {
        Child.Result made = Child.run(List.of("python3", "-c", Child.PY
                + "l = socket.socket()\n"
                + (reuseAddress ? "l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n" : "")
                + "l.bind(('127.0.0.1', 0)); l.listen()\n"
                + "c = socket.create_connection(l.getsockname()); a, _ = l.accept()\n"
                + "port = l.getsockname()[1]\n"
                + "a.close(); time.sleep(0.2); c.close(); l.close()\n"
                + "print(port)\n"));
        assertThat(made.exit()).as(made.all()).isZero();
        return Integer.parseInt(made.out().trim());
    }

    @Test
    void timeWaitOfAReuseaddrServerIsExplainedAsFixedBySoReuseaddr() throws Exception {
        int port = leaveTimeWait(true);
        Child.Result doctor = Child.liso("doctor", "127.0.0.1:" + port);
        assertThat(doctor.exit()).as(doctor.all()).isZero();
        assertThat(doctor.out()).contains("bind without SO_REUSEADDR: EADDRINUSE")
                .contains("bind with SO_REUSEADDR:    ok").contains("TIME-WAIT").contains("Liso sets SO_REUSEADDR");
        Child.Result who = Child.liso("who", Integer.toString(port), "--all");
        assertThat(who.out())
                .containsPattern("127\\.0\\.0\\.1:" + port + " +127\\.0\\.0\\.1:\\d+ +TIME-WAIT +server +- +- +- +\\(kernel\\)");
        // And a real server binds there at once.
        try (Child listen = Child.startLiso("listen", "tcp4:" + port)) {
            assertThat(listen.awaitLine("listening")).contains("127.0.0.1:" + port);
        }
    }

    @Test
    void timeWaitOfAServerWithoutReuseaddrBlocksUntilItExpires() throws Exception {
        int port = leaveTimeWait(false);
        Child.Result doctor = Child.liso("doctor", "127.0.0.1:" + port);
        assertThat(doctor.exit()).as(doctor.all()).isEqualTo(1);
        assertThat(doctor.out()).contains("no process listens").contains("(TIME-WAIT) still hold port " + port)
                .contains("their previous owner did not set it");
    }

    @Test
    void privilegedPortAsUnprivilegedUserGivesTheFourRemedies() throws Exception {
        int limit = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start")).get(0));
        assertThat(limit).as("this test needs privileged ports (net.ipv4.ip_unprivileged_port_start > 1)")
                .isGreaterThan(1);
        int port = Math.min(80, limit - 1);
        List<String> cmd = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            // setpriv drops uid, gid and (with them) every capability, as for a normal user.
            cmd.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--inh-caps=-all"));
        }
        cmd.addAll(Child.lisoCommand("doctor", "127.0.0.1:" + port));
        Child.Result doctor = Child.run(cmd);
        assertThat(doctor.exit()).as(doctor.all()).isEqualTo(1);
        assertThat(doctor.out()).contains("permission denied (EACCES)")
                .contains("port " + port + " is below net.ipv4.ip_unprivileged_port_start=" + limit)
                .contains("lacks CAP_NET_BIND_SERVICE").contains("AmbientCapabilities=CAP_NET_BIND_SERVICE")
                .contains("sysctl -w net.ipv4.ip_unprivileged_port_start=" + port).contains("REDIRECT --to-ports")
                .contains("authbind").doesNotContain("setcap cap_net_bind_service=+ep on");
    }

    /**
     * The remedies doctor gives for EACCES, carried out: the capability made ambient (what systemd's
     * AmbientCapabilities= does) lets an unprivileged JVM bind the port, unlike file capabilities on java; and a
     * lowered ip_unprivileged_port_start, set in a network namespace of its own so the host keeps its setting.
     */
    @Test
    void privilegedPortRemediesWorkForAJvm() throws Exception {
        assertThat(System.getProperty("user.name")).as("needs root to drop to nobody and to unshare").isEqualTo("root");
        String nobody = "setpriv --reuid=nobody --regid=nogroup --clear-groups ";
        List<String> ambient = new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=nogroup",
                "--clear-groups", "--inh-caps=+net_bind_service", "--ambient-caps=+net_bind_service"));
        ambient.addAll(Child.lisoCommand("doctor", "127.0.0.1:80"));
        Child.Result withCap = Child.run(ambient);
        assertThat(withCap.exit()).as(withCap.all()).isZero();
        assertThat(withCap.out()).contains("TCP 127.0.0.1:80 is free");

        String doctor = String.join(" ", Child.lisoCommand("doctor", "127.0.0.1:80"));
        Child.Result sysctl = Child.run(List.of("unshare", "-n", "sh", "-c", "ip link set lo up && sysctl -qw"
                + " net.ipv4.ip_unprivileged_port_start=80 && " + nobody + "--inh-caps=-all " + doctor));
        assertThat(sysctl.exit()).as(sysctl.all()).isZero();
        assertThat(sysctl.out()).contains("TCP 127.0.0.1:80 is free");
    }

    @Test
    void addressNotOnThisHostListsTheHostsAddresses() throws Exception {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): bound, never sent to.
        Child.Result doctor = Child.liso("doctor", "192.0.2.1:8080");
        assertThat(doctor.exit()).isEqualTo(1);
        assertThat(doctor.out()).contains("192.0.2.1 is not an address of this host (EADDRNOTAVAIL)")
                .contains("This host has: ").contains("127.0.0.1").contains("EADDRNOTAVAIL (Cannot assign");
    }

    @Test
    void dualStackBindIsBlockedByAnIpv4Listener() throws Exception {
        try (Child py = Child.python(HOLD_TCP)) {
            int port = Integer.parseInt(py.line());
            // doctor's own bind of [::] lasts only as long as the check; nothing is sent.
            Child.Result doctor = Child.liso("doctor", "[::]:" + port);
            assertThat(doctor.exit()).as(doctor.all()).isEqualTo(1);
            assertThat(doctor.out()).contains("by pid " + py.pid())
                    .contains("a bind to [::] is dual-stack and needs the IPv4 port too")
                    // every alternative offered is one that binds: [::1] does, 0.0.0.0 meets the listener too
                    .contains("[::1]:" + port + " binds now (checked)").doesNotContain("0.0.0.0");
        }
    }

    @Test
    void fdLimitIsNamedWithTheLimitAndTheRemedy() throws Exception {
        // A server binding many addresses under `ulimit -n 16` runs out of descriptors at one of the binds.
        StringBuilder cmd = new StringBuilder("ulimit -n 16 && exec");
        for (String part : Child.lisoCommand("listen", "-q")) {
            cmd.append(' ').append(part);
        }
        for (int i = 0; i < 24; i++) {
            cmd.append(" tcp4:0");
        }
        Child.Result listen = Child.run(List.of("sh", "-c", cmd.toString()));
        assertThat(listen.exit()).as(listen.all()).isEqualTo(69);
        assertThat(listen.err()).contains("this process has reached its limit of 16 open files (EMFILE)")
                .contains("ulimit -n").contains("LimitNOFILE");
    }

    @Test
    void doctorReportsDescriptorHeadroomAndNeverCrashesAtTheLimit() throws Exception {
        String doctor = String.join(" ", Child.lisoCommand("doctor", "127.0.0.1:1"));
        // The JVM raises its soft limit to the hard one at startup (-XX:+MaxFDLimit), so both are set here.
        Child.Result low = Child.run(List.of("bash", "-c", "ulimit -n 16 && exec " + doctor));
        assertThat(low.all()).containsPattern("file descriptors: +\\d+ open, soft limit 16, hard limit 16")
                .containsPattern("warning: file descriptors: .*: \\d+ left, so a server here fails \\(EMFILE\\)")
                .contains("ulimit -n 65536` as root (the hard limit is 16)");
        for (int limit : new int[] {7, 8, 10}) {
            Child.Result tiny = Child.run(List.of("bash", "-c", "ulimit -n " + limit + " && exec " + doctor));
            assertThat(tiny.all()).as("ulimit -n %d", limit).contains("soft limit " + limit)
                    .doesNotContain("Exception").doesNotContain("\tat ");
        }
    }
}
