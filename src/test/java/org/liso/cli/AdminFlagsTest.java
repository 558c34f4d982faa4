package org.liso.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.liso.admin.AdminOptions;

class AdminFlagsTest {
    private static AdminFlags flags(String admin, long drainMillis) {
        AdminFlags f = new AdminFlags();
        f.admin = admin;
        f.drainDelay = new TimeSpan(drainMillis);
        return f;
    }

    @Test
    void offByDefaultWithNoDrainDelay() {
        AdminOptions o = new AdminFlags().options(new InetSocketAddress("127.0.0.1", 8080), null);
        assertThat(o.address()).isNull();
        assertThat(o.drainDelayMillis()).isZero();
    }

    @Test
    void aBarePortIsLoopback() {
        AdminOptions o = flags(":9180", 5000).options(new InetSocketAddress("0.0.0.0", 8080), null);
        assertThat(o.address()).isEqualTo(new InetSocketAddress("127.0.0.1", 9180));
        assertThat(o.drainDelayMillis()).isEqualTo(5000);
    }

    @Test
    void neverAPublicListenersPort() {
        for (String[] clash : new String[][] {{"127.0.0.1:8080", "127.0.0.1"}, {":8080", "0.0.0.0"},
                {"0.0.0.0:8080", "127.0.0.1"}}) {
            assertThatThrownBy(() -> flags(clash[0], 0).options(new InetSocketAddress(clash[1], 8080), null))
                    .isInstanceOf(CliFailure.class).hasMessageContaining("public listener")
                    .satisfies(e -> assertThat(((CliFailure) e).exitCode()).isEqualTo(ExitCodes.USAGE));
        }
        assertThatThrownBy(() -> flags("127.0.0.1:8443", 0).options(new InetSocketAddress("127.0.0.1", 8080),
                new InetSocketAddress("127.0.0.1", 8443))).isInstanceOf(CliFailure.class);
        assertThat(flags("127.0.0.1:9180", 0).options(new InetSocketAddress("127.0.0.2", 9180), null).address())
                .as("another address, same port: two sockets").isNotNull();
    }
}
