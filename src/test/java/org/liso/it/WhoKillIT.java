package org.liso.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.liso.cli.Main;

/** {@code liso who PORT --kill}: signals the holders carefully, escalates after the grace, never itself. */
class WhoKillIT {

    private static final String HOLD = Child.PY
            + "import signal\n"
            + "if len(sys.argv) > 1: signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
            + "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()\n"
            + "print(s.getsockname()[1], flush=True)\n"
            + "while True: time.sleep(1)\n";

    @Test
    void termEndsAPlainHolder() throws Exception {
        try (Child py = Child.start(java.util.List.of("python3", "-c", HOLD))) {
            String port = py.line();
            Child.Result r = Child.liso("who", port, "--kill", "--yes", "--grace", "5s");
            assertThat(r.exit()).as(r.all()).isZero();
            assertThat(r.err()).contains("will send SIGTERM to pid " + py.pid());
            assertThat(r.out().trim()).isEqualTo("pid " + py.pid() + ": exited after SIGTERM");
            assertThat(py.process.waitFor(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aHolderIgnoringTermIsKilledAfterTheGrace() throws Exception {
        try (Child py = Child.start(java.util.List.of("python3", "-c", HOLD, "ignore-term"))) {
            String port = py.line();
            Child.Result r = Child.liso("who", port, "--kill", "--yes", "--grace", "1s");
            assertThat(r.exit()).as(r.all()).isZero();
            assertThat(r.out().trim()).isEqualTo("pid " + py.pid() + ": killed (SIGKILL) after 1000 ms grace");
            assertThat(py.process.waitFor(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void otherSignalsAreSentByName() throws Exception {
        try (Child py = Child.start(java.util.List.of("python3", "-c", HOLD))) {
            String port = py.line();
            Child.Result r = Child.liso("who", port, "--kill", "--signal", "INT", "--yes");
            assertThat(r.exit()).as(r.all()).isZero();
            assertThat(r.out().trim()).isEqualTo("pid " + py.pid() + ": exited after SIGINT");
        }
    }

    @Test
    void withoutATerminalItAsksForYesAndSignalsNothing() throws Exception {
        try (Child py = Child.start(java.util.List.of("python3", "-c", HOLD))) {
            String port = py.line();
            Child.Result r = Child.liso("who", port, "--kill");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("will send SIGTERM to pid " + py.pid()).contains("add --yes");
            assertThat(py.process.isAlive()).isTrue();
        }
    }

    @Test
    void neverSignalsItself() throws Exception {
        try (ServerSocket own = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int exit = Main.run("who", Integer.toString(own.getLocalPort()), "--kill", "--yes");
            assertThat(exit).isEqualTo(1);
            assertThat(own.isClosed()).isFalse();
        }
    }
}
