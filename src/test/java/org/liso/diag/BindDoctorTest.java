package org.liso.diag;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Classification and the dual-stack wording; the live situations are in BindDiagnosisIT. */
class BindDoctorTest {

    @Test
    void classifiesTheJdksMessages() {
        assertThat(BindError.of(new BindException("Address already in use"))).isEqualTo(BindError.EADDRINUSE);
        assertThat(BindError.of(new BindException("Permission denied"))).isEqualTo(BindError.EACCES);
        assertThat(BindError.of(new BindException("Cannot assign requested address")))
                .isEqualTo(BindError.EADDRNOTAVAIL);
        assertThat(BindError.of(new IOException("Too many open files"))).isEqualTo(BindError.EMFILE);
        assertThat(BindError.of(new IOException("Invalid argument"))).isEqualTo(BindError.EINVAL);
        assertThat(BindError.of(new IOException("something else"))).isEqualTo(BindError.OTHER);
    }

    @Test
    void ipv4BindBlockedByADualStackWildcardSaysWhy() {
        SocketEntry v6Wildcard = new SocketEntry(false, true, Addresses.parse("[::]:8080", ""),
                Addresses.parse("[::]:0", ""), TcpState.LISTEN, 0, 1);
        assertThat(InUse.dualStack(Addresses.parse("0.0.0.0:8080", ""), false, v6Wildcard))
                .contains("an IPv6 socket on [::] without IPV6_V6ONLY").contains("also takes the IPv4 port");
        SocketEntry v4 = new SocketEntry(false, false, Addresses.parse("0.0.0.0:8080", ""),
                Addresses.parse("0.0.0.0:0", ""), TcpState.LISTEN, 0, 2);
        assertThat(InUse.dualStack(Addresses.parse("[::]:8080", ""), false, v4))
                .contains("a bind to [::] is dual-stack and needs the IPv4 port too");
        assertThat(InUse.dualStack(Addresses.parse("127.0.0.1:8080", ""), false, v4)).isEmpty();
    }

    @Test
    void otherFailuresKeepTheSystemsWords() {
        BindDiagnosis d = BindDoctor.explain(new InetSocketAddress(0), true, new IOException("Protocol not available"));
        assertThat(d.cause()).isEqualTo(BindDiagnosis.Cause.OTHER);
        assertThat(d.paragraph()).startsWith("Cannot listen on UDP").contains("Protocol not available");
        assertThat(d.exitCode()).isEqualTo(69);
    }
}
