package org.liso.diag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Parses tables captured on a little-endian Linux host (see src/test/resources/org/liso/diag/proc): a python3 process
 * with a TCP listener on 127.0.0.1:41073 (one accepted connection, one TIME-WAIT), a dual-stack listener on [::]:53803
 * reached over IPv4 (IPv4-mapped) and over ::1, a UDP socket on 127.0.0.1:40823 and a connected UDP socket on
 * [::1]:54224.
 */
class ProcNetTest {

    static String sample(String name) throws IOException {
        try (InputStream in = ProcNetTest.class.getResourceAsStream("proc/" + name + ".txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void decodesIpv4ListenersConnectionsAndTimeWait() throws IOException {
        List<SocketEntry> tcp = ProcNet.parse(sample("tcp"), false, false);
        assertThat(tcp).hasSize(6);
        SocketEntry listener = tcp.get(1);
        assertThat(listener.localText()).isEqualTo("127.0.0.1:41073");
        assertThat(listener.remoteText()).isEqualTo("*:*");
        assertThat(listener.state()).isEqualTo(TcpState.LISTEN);
        assertThat(listener.isListening()).isTrue();
        assertThat(listener.inode()).isEqualTo(6753);
        assertThat(listener.uid()).isZero();
        assertThat(tcp.get(0).localText()).isEqualTo("0.0.0.0:2024");
        assertThat(tcp.get(0).isWildcard()).isTrue();
        SocketEntry established = tcp.get(2);
        assertThat(established.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(established.remoteText()).isEqualTo("127.0.0.1:52208");
        SocketEntry timeWait = tcp.get(5);
        assertThat(timeWait.state()).isEqualTo(TcpState.TIME_WAIT);
        assertThat(timeWait.state().isLingering()).isTrue();
        assertThat(timeWait.inode()).isZero();
        assertThat(timeWait.localText()).isEqualTo("127.0.0.1:41073");
        assertThat(timeWait.remoteText()).isEqualTo("127.0.0.1:52214");
    }

    @Test
    void decodesIpv6WildcardLoopbackAndIpv4Mapped() throws IOException {
        List<SocketEntry> tcp6 = ProcNet.parse(sample("tcp6"), false, true);
        assertThat(tcp6).hasSize(4);
        assertThat(tcp6.get(0).localText()).isEqualTo("*:53803");
        assertThat(tcp6.get(0).isWildcard()).isTrue();
        assertThat(tcp6.get(0).table()).isEqualTo("tcp6");
        assertThat(tcp6.get(1).localText()).isEqualTo("[::ffff:127.0.0.1]:53803");
        assertThat(tcp6.get(1).remoteText()).isEqualTo("[::ffff:127.0.0.1]:56546");
        assertThat(tcp6.get(2).localText()).isEqualTo("[::1]:48546");
        assertThat(tcp6.get(2).remoteText()).isEqualTo("[::1]:53803");
    }

    @Test
    void decodesUdpBoundAndConnected() throws IOException {
        List<SocketEntry> udp = ProcNet.parse(sample("udp"), true, false);
        assertThat(udp).singleElement().satisfies(s -> {
            assertThat(s.localText()).isEqualTo("127.0.0.1:40823");
            assertThat(s.state()).isEqualTo(TcpState.CLOSE);
            assertThat(s.state().label()).isEqualTo("UNCONN");
            assertThat(s.isListening()).isTrue();
        });
        List<SocketEntry> udp6 = ProcNet.parse(sample("udp6"), true, true);
        assertThat(udp6).singleElement().satisfies(s -> {
            assertThat(s.localText()).isEqualTo("[::1]:54224");
            assertThat(s.remoteText()).isEqualTo("[::1]:54224");
            assertThat(s.state()).isEqualTo(TcpState.ESTABLISHED);
            assertThat(s.isListening()).isFalse();
        });
    }

    @Test
    void headerOnlyTableIsEmpty() {
        assertThat(ProcNet.parse("  sl  local_address rem_address   st\n", false, false)).isEmpty();
    }

    @Test
    void rejectsMalformedAddresses() {
        assertThatThrownBy(() -> ProcNet.address("0100007")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TcpState.of(0x42)).isInstanceOf(IllegalArgumentException.class);
    }
}
