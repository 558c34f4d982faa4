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
}
