package org.liso.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EventLoop#closeAfterDeregistration}: the close runs once the selector has dropped the key, so the channel
 * is no longer registered and the JDK closes it directly (no SO_LINGER read, no shutdown); and it runs promptly,
 * although nothing else happens on the loop that would end its select.
 */
class EventLoopDeferredCloseTest {
    private EventLoop loop;
    private Thread thread;

    @BeforeEach
    void start() throws Exception {
        loop = new EventLoop("close-test");
        thread = new Thread(loop::run, "close-test");
        thread.setDaemon(true);
        thread.start();
    }

    @AfterEach
    void stop() throws Exception {
        loop.stop();
        thread.join(10_000);
    }

    @Test
    void theChannelIsClosedUnregisteredAndWithoutWaitingForAnotherEvent() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            try (SocketChannel client = SocketChannel.open(listener.getLocalAddress())) {
                SocketChannel accepted = listener.accept();
                accepted.configureBlocking(false);
                CompletableFuture<SelectionKey> registered = new CompletableFuture<>();
                loop.execute(() -> {
                    try {
                        registered.complete(loop.register(accepted, SelectionKey.OP_READ, ops -> { }));
                    } catch (IOException e) {
                        registered.completeExceptionally(e);
                    }
                });
                SelectionKey key = registered.get(5, TimeUnit.SECONDS);
                CompletableFuture<Boolean> registeredAtClose = new CompletableFuture<>();
                long asked = System.nanoTime();
                loop.execute(() -> loop.closeAfterDeregistration(key, () -> {
                    registeredAtClose.complete(accepted.isRegistered());
                    try {
                        accepted.close();
                    } catch (IOException e) {
                        registeredAtClose.completeExceptionally(e);
                    }
                }));
                assertThat(registeredAtClose.get(5, TimeUnit.SECONDS)).as("still registered when closed").isFalse();
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked)).as("ms until the close ran")
                        .isLessThan(1_000);
                client.socket().setSoTimeout(5_000);
                assertThat(client.read(ByteBuffer.allocate(1))).as("the client sees the close").isEqualTo(-1);
                assertThat(key.isValid()).isFalse();
            }
        }
    }

    /** A shutdown hook's close, asked for in the loop's last turn (nothing keeps it draining), still runs. */
    @Test
    void aCloseAskedForInTheLastTurnStillRuns() throws Exception {
        CompletableFuture<Boolean> ran = new CompletableFuture<>();
        CompletableFuture<Boolean> hooked = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                SelectionKey key = loop.register(ch, 0, ops -> { });
                loop.onShutdown(() -> loop.closeAfterDeregistration(key, () -> ran.complete(true)));
                hooked.complete(true);
            } catch (IOException e) {
                hooked.completeExceptionally(e);
            }
        });
        assertThat(hooked.get(5, TimeUnit.SECONDS)).isTrue();
        loop.shutdown(10_000);
        assertThat(loop.awaitStop(5_000)).as("stopped").isTrue();
        assertThat(ran.getNow(false)).as("the close ran").isTrue();
    }
}
