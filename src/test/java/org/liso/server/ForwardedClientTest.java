package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.liso.http.Headers;
import org.liso.transport.proxy.TrustedProxies;

/**
 * The client behind HTTP proxies: the right-most address in Forwarded / X-Forwarded-For that is not a trusted proxy,
 * and only when the connection itself comes from one; never from headers an untrusted peer sent.
 */
class ForwardedClientTest {
    private static final TrustedProxies TRUSTED = TrustedProxies.parse("10.0.0.0/8,::1");
    private static final InetSocketAddress PROXY = new InetSocketAddress("10.0.0.2", 40000);
    private static final InetSocketAddress STRANGER = new InetSocketAddress("198.51.100.1", 40000);

    private static String client(InetSocketAddress peer, String... fields) {
        Headers h = new Headers();
        for (int i = 0; i < fields.length; i += 2) {
            h.add(fields[i], fields[i + 1]);
        }
        InetSocketAddress a = ForwardedClient.resolve(peer, h, TRUSTED);
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    @Test
    void theRightMostUntrustedHopOfXForwardedFor() {
        assertThat(client(PROXY, "X-Forwarded-For", "203.0.113.5")).isEqualTo("203.0.113.5:0");
        // The client wrote "1.1.1.1" itself; the proxies appended 203.0.113.5 (what they saw) and 10.0.0.9.
        assertThat(client(PROXY, "X-Forwarded-For", "1.1.1.1, 203.0.113.5, 10.0.0.9")).isEqualTo("203.0.113.5:0");
        assertThat(client(PROXY, "X-Forwarded-For", "1.1.1.1, 203.0.113.5", "X-Forwarded-For", "10.0.0.9"))
                .as("several fields are one list, in order").isEqualTo("203.0.113.5:0");
        assertThat(client(PROXY, "X-Forwarded-For", "10.0.0.7, 10.0.0.9")).as("all trusted: the left-most")
                .isEqualTo("10.0.0.7:0");
        assertThat(client(PROXY, "X-Forwarded-For", "203.0.113.5:8443")).isEqualTo("203.0.113.5:8443");
        assertThat(client(PROXY, "X-Forwarded-For", "2001:db8::5")).isEqualTo("2001:db8:0:0:0:0:0:5:0");
        assertThat(client(PROXY)).as("no header: the proxy itself").isEqualTo("10.0.0.2:40000");
    }

    @Test
    void anUntrustedPeersHeadersAreItsOwnWords() {
        assertThat(client(STRANGER, "X-Forwarded-For", "10.0.0.5")).isEqualTo("198.51.100.1:40000");
        assertThat(client(STRANGER, "Forwarded", "for=127.0.0.1")).isEqualTo("198.51.100.1:40000");
    }

    @Test
    void aHopWithoutAnAddressEndsTheWalkAtTheProxyThatWroteIt() {
        assertThat(client(PROXY, "X-Forwarded-For", "203.0.113.5, unknown")).isEqualTo("10.0.0.2:40000");
        assertThat(client(PROXY, "X-Forwarded-For", "203.0.113.5, evil.example, 10.0.0.3"))
                .isEqualTo("10.0.0.3:0");
        assertThat(client(PROXY, "Forwarded", "for=203.0.113.5, for=_hidden")).isEqualTo("10.0.0.2:40000");
    }

    @Test
    void forwardedAsRfc7239WritesIt() {
        assertThat(client(PROXY, "Forwarded", "for=192.0.2.60;proto=http;by=203.0.113.43"))
                .isEqualTo("192.0.2.60:0");
        assertThat(client(PROXY, "Forwarded", "for=\"[2001:db8:cafe::17]:4711\"")).isEqualTo(
                "2001:db8:cafe:0:0:0:0:17:4711");
        assertThat(client(PROXY, "Forwarded", "For=\"192.0.2.43:_port\"")).isEqualTo("192.0.2.43:0");
        assertThat(client(PROXY, "Forwarded", "for=192.0.2.43, for=198.51.100.17;by=\"a,b\", for=10.1.1.1"))
                .as("commas inside quotes separate nothing").isEqualTo("198.51.100.17:0");
        assertThat(client(PROXY, "Forwarded", "proto=https;for=192.0.2.43", "Forwarded", "for=10.2.2.2"))
                .isEqualTo("192.0.2.43:0");
        assertThat(client(PROXY, "Forwarded", "for=192.0.2.43", "X-Forwarded-For", "198.51.100.99"))
                .as("Forwarded wins over X-Forwarded-For").isEqualTo("192.0.2.43:0");
    }

    @Test
    void malformedForwardedElementsNameNobody() {
        assertThat(client(PROXY, "Forwarded", "for=192.0.2.43;for=192.0.2.44")).isEqualTo("10.0.0.2:40000");
        assertThat(client(PROXY, "Forwarded", "for=\"192.0.2.43")).isEqualTo("10.0.0.2:40000");
        assertThat(client(PROXY, "Forwarded", "by=10.0.0.1")).isEqualTo("10.0.0.2:40000");
        assertThat(client(PROXY, "Forwarded", "for=[2001:db8::1]")).as("unquoted brackets still read")
                .isEqualTo("2001:db8:0:0:0:0:0:1:0");
        assertThat(client(PROXY, "Forwarded", "for=\"[192.0.2.1]\"")).isEqualTo("10.0.0.2:40000");
    }

    @Test
    void offByDefault() {
        Headers h = new Headers();
        h.add("X-Forwarded-For", "203.0.113.5");
        assertThat(ProxyOptions.NONE.client(PROXY, h)).isEqualTo(PROXY);
        assertThat(new ProxyOptions(TRUSTED, false).client(PROXY, h)).isEqualTo(PROXY);
        assertThat(new ProxyOptions(TRUSTED, true).client(PROXY, h).getAddress().getHostAddress())
                .isEqualTo("203.0.113.5");
    }
}
