package org.liso.listen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ListenSpecTest {

    @Test
    void parsesEveryKind() {
        assertThat(ListenSpec.parse("tcp4:8081")).isEqualTo(new ListenSpec(ListenSpec.Kind.TCP4, 8081, null));
        assertThat(ListenSpec.parse("TCP6:0").kind()).isEqualTo(ListenSpec.Kind.TCP6);
        assertThat(ListenSpec.parse("udp4:53").kind().udp()).isTrue();
        assertThat(ListenSpec.parse("unix:/tmp/a:b.sock").path()).isEqualTo(Path.of("/tmp/a:b.sock"));
        assertThat(ListenSpec.parse("tcp4:1").address(null).getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(ListenSpec.parse("udp6:1").address(null).getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(ListenSpec.parse("tcp:1").address("[::]").getAddress().isAnyLocalAddress()).isTrue();
    }

    @Test
    void rejectsWhatIsNotASpec() {
        assertThatThrownBy(() -> ListenSpec.parse("8081")).hasMessageContaining("tcp4:PORT");
        assertThatThrownBy(() -> ListenSpec.parse("sctp:1")).hasMessageContaining("unknown socket kind");
        assertThatThrownBy(() -> ListenSpec.parse("tcp4:70000")).hasMessageContaining("not a port");
        assertThatThrownBy(() -> ListenSpec.parse("unix:")).hasMessageContaining("path");
        assertThatThrownBy(() -> ListenSpec.parse("tcp4:1").address("::1")).hasMessageContaining("does not match");
        assertThatThrownBy(() -> ListenSpec.parse("udp6:1").address("127.0.0.1")).hasMessageContaining("does not match");
    }

    @Test
    void probeLinesAreNetcatsWords() {
        assertThat(new ProbeResult(80, ProbeResult.Status.OPEN, "", 1).ncLine("h", false))
                .isEqualTo("Connection to h 80 port [tcp/*] succeeded!");
        assertThat(new ProbeResult(81, ProbeResult.Status.REFUSED, "Connection refused", 1).ncLine("h", false))
                .isEqualTo("connect to h port 81 (tcp) failed: Connection refused");
        assertThat(new ProbeResult(82, ProbeResult.Status.TIMED_OUT, "", 1).ncLine("h", true))
                .isEqualTo("connect to h port 82 (udp) timed out: Operation now in progress");
        assertThat(ProbeResult.Status.OPEN_OR_FILTERED.open()).isTrue();
        assertThat(ProbeResult.Status.TIMED_OUT.open()).isFalse();
    }
}
