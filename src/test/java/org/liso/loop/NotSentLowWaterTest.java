package org.liso.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import org.junit.jupiter.api.Test;

/**
 * TCP_NOTSENT_LOWAT where the runtime has no FFM (Java 17-21): the listener is left alone and the reason is given;
 * 0 means off on every runtime. The effect on Java 22+ is checked from outside by NotSentLowWaterIT.
 */
class NotSentLowWaterTest {

    @Test
    void zeroIsOff() throws IOException {
        try (ServerSocketChannel l = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            NotSentLowWater.Outcome o = NotSentLowWater.apply(l.socket().getLocalPort(), 0);
            assertThat(o.applied()).isFalse();
            assertThat(o.skipped()).isEqualTo("off");
        }
    }

    @Test
    void onThisRuntimeItIsSetOrSaysWhyNot() throws IOException {
        try (ServerSocketChannel l = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            NotSentLowWater.Outcome o = NotSentLowWater.apply(l.socket().getLocalPort(), 100_000);
            if (Runtime.version().feature() < 22) {
                assertThat(o.applied()).isFalse();
                assertThat(o.skipped()).startsWith("needs Java 22+");
            } else {
                assertThat(o.sockets()).as(o.skipped()).isEqualTo(1);
            }
        }
    }
}
