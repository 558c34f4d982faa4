package org.liso.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import org.junit.jupiter.api.Test;

/**
 * TCP_NOTSENT_LOWAT in this JVM, which (run by surefire) has no {@code --add-opens java.base/sun.nio.ch}: on Java
 * 17-21 neither way is reachable, so the listener is left alone and the reason names both; on 22+ the FFM API sets
 * it. 0 means off everywhere. The JDK-internal way, opened as {@code java -jar} opens it, and its absence in a real
 * server are checked from outside by NotSentLowWaterIT.
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
    void withoutTheOpensTheJdkWayRefusesAndSaysHowToOpenIt() {
        assertThatThrownBy(JdkSocketCalls::open).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("java.base/sun.nio.ch is not opened")
                .hasMessageContaining("--add-opens java.base/sun.nio.ch=ALL-UNNAMED");
    }

    @Test
    void onThisRuntimeItIsSetOrSaysWhyNot() throws IOException {
        try (ServerSocketChannel l = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            NotSentLowWater.Outcome o = NotSentLowWater.apply(l.socket().getLocalPort(), 100_000);
            if (Runtime.version().feature() < 22) {
                assertThat(o.applied()).isFalse();
                assertThat(o.skipped()).contains("the FFM API needs Java 22+")
                        .contains("java.base/sun.nio.ch is not opened");
            } else {
                assertThat(o.sockets()).as(o.skipped()).isEqualTo(1);
                assertThat(o.via()).isEqualTo("ffm");
            }
        }
    }
}
