package org.liso.diag;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which sockets a connection to an address reaches, and how ss-style text shows IPV6_V6ONLY. */
class SocketEntryTest {

    private static SocketEntry listener(String local, boolean v6only) {
        boolean v6 = local.startsWith("[");
        return new SocketEntry(false, v6, v6only, Addresses.parse(local, ""), Addresses.parse(v6 ? "[::]:0" : "0.0.0.0:0",
                ""), TcpState.LISTEN, 0, 1, 0, 0);
    }

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void aConnectionReachesOnlyWhatTheKernelWouldDeliverTo() throws Exception {
        SocketEntry dual = listener("[::]:80", false);
        SocketEntry only = listener("[::]:80", true);
        SocketEntry v4any = listener("0.0.0.0:80", false);
        SocketEntry v6lo = listener("[::1]:80", false);
        assertThat(dual.reachableAt(ip("127.0.0.1"))).isTrue();
        assertThat(only.reachableAt(ip("127.0.0.1"))).isFalse();
        assertThat(v4any.reachableAt(ip("::1"))).isFalse();
        assertThat(only.reachableAt(ip("::1"))).isTrue();
        assertThat(v6lo.reachableAt(ip("127.0.0.1"))).isFalse();
        assertThat(v6lo.reachableAt(ip("::2"))).isFalse();
        assertThat(v4any.reachableAt(ip("0.0.0.0"))).isTrue();
        assertThat(dual.localText()).isEqualTo("*:80");
        assertThat(only.localText()).isEqualTo("[::]:80");
    }

    @Test
    void ssV6onlyFlagsAreReadPerInode() {
        V6OnlyFlags flags = V6OnlyFlags.parse(
                "tcp LISTEN 0 128 [::]:38877 [::]:* ino:24414 sk:5 cgroup:/ v6only:1 <->\n"
                        + "tcp LISTEN 0 128    *:42949    *:* ino:24415 sk:6 cgroup:/ v6only:0 <->\n");
        SocketEntry a = new SocketEntry(false, true, Addresses.parse("[::]:38877", ""), Addresses.parse("[::]:0", ""),
                TcpState.LISTEN, 0, 24414);
        SocketEntry b = new SocketEntry(false, true, Addresses.parse("[::]:42949", ""), Addresses.parse("[::]:0", ""),
                TcpState.LISTEN, 0, 24415);
        assertThat(flags.apply(a).localText()).isEqualTo("[::]:38877");
        assertThat(flags.apply(b).localText()).isEqualTo("*:42949");
    }

    @Test
    void unixTableIsParsedWithListenersAndPaths() {
        List<UnixSocket> all = UnixSocket.parse("Num       RefCount Protocol Flags    Type St Inode Path\n"
                + "0000000000000000: 00000002 00000000 00010000 0001 01 12345 /run/app.sock\n"
                + "0000000000000000: 00000003 00000000 00000000 0001 03 12346 /run/app.sock\n"
                + "0000000000000000: 00000003 00000000 00000000 0001 03 12347\n"
                + "0000000000000000: 00000002 00000000 00000000 0002 01 12348 @abstract name\n");
        assertThat(all).extracting(u -> u.path() + " " + u.type() + " " + u.state() + " " + u.inode())
                .containsExactly("/run/app.sock stream listening 12345", "/run/app.sock stream connected 12346",
                        "@abstract name dgram unconnected 12348");
    }
}
