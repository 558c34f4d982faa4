package org.liso.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** One exit-code vocabulary (README): the same kind of failure gives the same code and a sentence, in every command. */
class ExitCodesIT {

    @Test
    void anAddressNotOnThisHostIs69WithTheDoctorsWords() throws Exception {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): bound, never sent to.
        for (String[] args : new String[][] {{"free-port", "--bind", "192.0.2.1"},
                {"free-port", "--bind", "192.0.2.1", "--range", "20000-20010"}}) {
            Child.Result r = Child.liso(args);
            assertThat(r.exit()).as(r.all()).isEqualTo(69);
            assertThat(r.err()).contains("192.0.2.1 is not an address of this host (EADDRNOTAVAIL)")
                    .contains("127.0.0.1:0").doesNotContain("Exception");
        }
        Child.Result listen = Child.liso("listen", "tcp4:0", "--bind", "192.0.2.1");
        assertThat(listen.exit()).as(listen.all()).isEqualTo(69);
    }

    @Test
    void aPortOutOfRangeIsAUsageErrorEverywhere() throws Exception {
        for (String[] args : new String[][] {{"who", "70000"}, {"doctor", "127.0.0.1:70000"}, {"who", "0"},
                {"probe", "127.0.0.1", "70000"}}) {
            Child.Result r = Child.liso(args);
            assertThat(r.exit()).as(String.join(" ", args) + ": " + r.all()).isEqualTo(2);
            assertThat(r.err()).containsPattern("out of range|not a port");
        }
    }

    @Test
    void unwritableLogsAreBadConfiguration() throws Exception {
        Child.Result error = Child.liso("serve", "--error-log", "/nonexistent-dir/error.log", "--http", "127.0.0.1:0");
        Child.Result access = Child.liso("serve", "--access-log", "/nonexistent-dir/access.log", "--http",
                "127.0.0.1:0");
        assertThat(access.exit()).as(access.all()).isEqualTo(78);
        assertThat(error.exit()).as(error.all()).isEqualTo(78);
        assertThat(error.err()).contains("cannot open error log /nonexistent-dir/error.log");
    }

    @Test
    void anUnknownSignalIsRefusedBeforeAnythingIsAnnounced() throws Exception {
        Child.Result r = Child.liso("who", "1", "--kill", "--signal", "BOGUS", "--yes");
        assertThat(r.exit()).as(r.all()).isEqualTo(2);
        assertThat(r.err()).contains("no such signal: 'BOGUS'").doesNotContain("will send");
    }

    @Test
    void lisoAloneIsAUsageErrorWithAOneLineHint() throws Exception {
        Child.Result r = Child.liso();
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().trim().split("\n")).containsExactly("liso: no command given (commands: serve, lisod, echo,"
                + " who, doctor, free-port, listen, probe, cert)", "Try 'liso --help'");
        assertThat(Child.liso("--help").exit()).isZero();
    }
}
