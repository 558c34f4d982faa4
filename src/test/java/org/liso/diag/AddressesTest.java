package org.liso.diag;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressesTest {

    @Test
    void ipv6IsWrittenInRfc5952Form() throws Exception {
        assertThat(Addresses.ipText(InetAddress.getByName("::"))).isEqualTo("::");
        assertThat(Addresses.ipText(InetAddress.getByName("::1"))).isEqualTo("::1");
        assertThat(Addresses.ipText(InetAddress.getByName("fe80::fc:ff:fe00:1"))).isEqualTo("fe80::fc:ff:fe00:1");
        assertThat(Addresses.ipText(InetAddress.getByName("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(Addresses.ipText(InetAddress.getByName("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(Addresses.ipText(InetAddress.getByName("1:0:0:0:0:0:0:0"))).isEqualTo("1::");
        assertThat(Addresses.format(Addresses.parse("[::]:80", "x"))).isEqualTo("[::]:80");
        assertThat(Addresses.format(Addresses.parse(":80", "127.0.0.1"))).isEqualTo("127.0.0.1:80");
    }

    @Test
    void aHostFlagAndAPortFlagMakeOneAddressWithOrWithoutBrackets() {
        assertThat(Addresses.format(Addresses.of("::", 9000))).isEqualTo("[::]:9000");
        assertThat(Addresses.format(Addresses.of("[::1]", 0))).isEqualTo("[::1]:0");
        assertThat(Addresses.format(Addresses.of("127.0.0.1", 80))).isEqualTo("127.0.0.1:80");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Addresses.of("127.0.0.1", 70000))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
