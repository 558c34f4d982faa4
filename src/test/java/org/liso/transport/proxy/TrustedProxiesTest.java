package org.liso.transport.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Address literals and CIDR blocks, read without a resolver, and membership in the trusted list. */
class TrustedProxiesTest {

    @Test
    void literalsAreStrictAndNeverLookedUp() {
        assertThat(IpLiteral.parse("10.0.0.1")).isNotNull();
        assertThat(IpLiteral.parse("0.0.0.0")).isNotNull();
        assertThat(IpLiteral.parse("::")).isNotNull();
        assertThat(IpLiteral.parse("1::")).isNotNull();
        assertThat(IpLiteral.parse("1:2:3:4:5:6:7:8")).isNotNull();
        assertThat(IpLiteral.parse("::ffff:1.2.3.4").getHostAddress()).isEqualTo("1.2.3.4");
        assertThat(IpLiteral.parse("1:2:3:4:5:6:1.2.3.4")).isNotNull();
        for (String bad : new String[] {"", "localhost", "10.0.0", "10.0.0.1.", "010.0.0.1", "1.2.3.4 ", "256.0.0.1",
                "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8", ":1", "1:", "1:::2", "1::2::3", "12345::", "fe80::1%lo",
                "::1.2.3", "1:2:3:4:5:6:7:1.2.3.4", "\u0661.2.3.4", "\u0661::", "0x7f.0.0.1", "[::1]"}) {
            assertThat(IpLiteral.parse(bad)).as(bad).isNull();
        }
    }

    @Test
    void blocksMatchTheirAddressesOnly() throws Exception {
        TrustedProxies t = TrustedProxies.parse("10.0.0.0/8, 192.168.1.7,::1,2001:db8::/32");
        assertThat(t.contains(InetAddress.getByName("10.255.0.1"))).isTrue();
        assertThat(t.contains(InetAddress.getByName("11.0.0.1"))).isFalse();
        assertThat(t.contains(InetAddress.getByName("192.168.1.7"))).isTrue();
        assertThat(t.contains(InetAddress.getByName("192.168.1.8"))).isFalse();
        assertThat(t.contains(InetAddress.getByName("::1"))).isTrue();
        assertThat(t.contains(InetAddress.getByName("127.0.0.1"))).isFalse();
        assertThat(t.contains(InetAddress.getByName("2001:db8:ffff::1"))).isTrue();
        assertThat(t.contains(InetAddress.getByName("2001:db9::1"))).isFalse();
        assertThat(t.contains(null)).isFalse();
        assertThat(TrustedProxies.parse("0.0.0.0/0").contains(InetAddress.getByName("8.8.8.8"))).isTrue();
        assertThat(TrustedProxies.parse("::ffff:10.0.0.0/104").contains(InetAddress.getByName("10.1.1.1")))
                .as("a mapped block is the IPv4 block").isTrue();
        assertThat(TrustedProxies.parse("10.0.0.0/8,::1").toString()).isEqualTo("10.0.0.0/8,0:0:0:0:0:0:0:1/128");
        assertThat(TrustedProxies.NONE.contains(InetAddress.getByName("127.0.0.1"))).isFalse();
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> TrustedProxies.parse("10.1.2.3/8")).hasMessageContaining("did you mean 10.0.0.0/8");
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/33")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/")).hasMessageContaining("bad prefix");
        assertThatThrownBy(() -> TrustedProxies.parse("proxy.example")).hasMessageContaining("'proxy.example'");
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.1,,10.0.0.2")).hasMessageContaining("empty entry");
    }
}
