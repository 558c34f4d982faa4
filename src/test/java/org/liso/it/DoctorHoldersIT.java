package org.liso.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code liso doctor} against ports held by something other than a plain listener: a connection left in CLOSE-WAIT
 * by a live process, and a SO_REUSEPORT group of two processes. Real sockets in python3 children.
 */
class DoctorHoldersIT {

    /**
     * A listener accepts a connection, the client closes, the listener closes; the accepted socket is never closed,
     * so it sits in CLOSE-WAIT (recv returning b'' proves the FIN arrived before we report ready).
     */
    private static String closeWait(boolean reuseAddress) {
        return Child.PY
                + "l = socket.socket()\n"
                + (reuseAddress ? "l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n" : "")
                + "l.bind(('127.0.0.1', 0)); l.listen()\n"
                + "c = socket.create_connection(l.getsockname()); a, _ = l.accept()\n"
                + "port = l.getsockname()[1]\n"
                + "c.close(); assert a.recv(1) == b''; l.close()\n"
                + Child.pyReady("port");
    }

    @Test
    void closeWaitNamesTheProcessAndNeverPromisesExpiry() throws Exception {
        try (Child py = Child.python(closeWait(false))) {
            int port = Integer.parseInt(py.line());
            Child.Result doctor = Child.liso("doctor", "127.0.0.1:" + port);
            assertThat(doctor.exit()).as(doctor.all()).isEqualTo(1);
            assertThat(doctor.out()).contains("pid " + py.pid() + " (")
                    .contains("in CLOSE-WAIT: the peer closed, and the process has not closed its end")
                    .contains("CLOSE-WAIT never expires").contains("liso who " + port + " --kill")
                    .doesNotContain("about 60 s").doesNotContain("Wait,");
            Child.Result json = Child.liso("doctor", "127.0.0.1:" + port, "--json");
            assertThat(json.out()).contains("\"cause\":\"IN_USE_CONNECTION\"");
        }
    }

    @Test
    void closeWaitOfAReuseaddrListenerIsNotCalledTimeWait() throws Exception {
        try (Child py = Child.python(closeWait(true))) {
            int port = Integer.parseInt(py.line());
            Child.Result doctor = Child.liso("doctor", "127.0.0.1:" + port);
            assertThat(doctor.exit()).as(doctor.all()).isZero();
            String paragraph = doctor.out().split("\n\n")[0];
            assertThat(paragraph).contains("pid " + py.pid() + " (").contains("CLOSE-WAIT never expires")
                    .doesNotContain("TIME-WAIT");
        }
    }

    private static final String REUSEPORT = Child.PY
            + "port = int(sys.argv[1])\n"
            + "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)\n"
            + "s.bind(('127.0.0.1', port)); s.listen()\n"
            + Child.pyReady("s.getsockname()[1]");

    @Test
    void reuseportGroupNamesEveryMemberAndWhetherWeCouldJoin() throws Exception {
        try (Child first = Child.start(List.of("python3", "-c", REUSEPORT, "0"))) {
            int port = Integer.parseInt(first.line());
            try (Child second = Child.start(List.of("python3", "-c", REUSEPORT, Integer.toString(port)))) {
                second.line();
                Child.Result doctor = Child.liso("doctor", "127.0.0.1:" + port);
                assertThat(doctor.exit()).as(doctor.all()).isEqualTo(1);
                assertThat(doctor.out()).contains("SO_REUSEPORT group of 2 listener(s) on 127.0.0.1:" + port)
                        .contains("share the port").contains("pid " + first.pid() + " (")
                        .contains("pid " + second.pid() + " (").contains("could join it")
                        .contains("a bind with SO_REUSEPORT works now (checked)")
                        // Liso does set SO_REUSEPORT (a listener per loop), only never into a group it did not open
                        .contains("it sets SO_REUSEPORT only among its own loops' listeners (--loops N)")
                        .contains("never joins a group it did not open")
                        .doesNotContain("Liso does not set SO_REUSEPORT");
                if (!"root".equals(System.getProperty("user.name"))) {
                    System.out.println("DoctorHoldersIT: not root, so the other-uid half is not run");
                    return;
                }
                List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=nogroup",
                        "--clear-groups", "--inh-caps=-all"));
                cmd.addAll(Child.lisoCommand("doctor", "127.0.0.1:" + port));
                Child.Result other = Child.run(cmd);
                assertThat(other.exit()).as(other.all()).isEqualTo(1);
                assertThat(other.out()).contains("SO_REUSEPORT group of 2")
                        .contains("could not join it: the group belongs to uid 0")
                        .contains("only the same effective uid")
                        // nobody cannot signal root's processes: the remedy says so instead of failing
                        .contains("Stop them as root (`sudo liso who " + port + " --kill`");
            }
        }
    }

    @Test
    void aPlainListenerIsNotCalledAGroup() throws Exception {
        try (Child py = Child.python(Child.PY + "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()\n"
                + Child.pyReady("s.getsockname()[1]"))) {
            int port = Integer.parseInt(py.line());
            Child.Result doctor = Child.liso("doctor", "127.0.0.1:" + port);
            assertThat(doctor.out()).contains("by pid " + py.pid()).doesNotContain("SO_REUSEPORT");
        }
    }
}
