package org.liso.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The loop's clock as a readiness handler sees it: a handler woken after the selector slept must not see the time
 * from before the sleep, or every deadline it computes (header, idle, body timeouts) is short by the sleep.
 * Asserts an order of events (the byte was written after {@code before}, so the handler runs after it), not a timing.
 */
class EventLoopClockTest {

    @Test
    void readinessHandlersSeeTheTimeAfterTheSelectorWokeUp() throws Exception {
        EventLoop loop = new EventLoop("clock-test");
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        CompletableFuture<Long> seen = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                loop.register(pipe.source(), SelectionKey.OP_READ, ops -> {
                    try {
                        pipe.source().read(ByteBuffer.allocate(8));
                    } catch (java.io.IOException e) {
                        seen.completeExceptionally(e);
                    }
                    seen.complete(loop.now());
                });
            } catch (java.nio.channels.ClosedChannelException e) {
                seen.completeExceptionally(e);
            }
        });
        Thread thread = new Thread(loop::run, "clock-test");
        thread.start();
        try {
            Thread.sleep(300); // the loop registers the pipe and blocks in select with no timer armed
            long before = System.nanoTime() / 1_000_000;
            pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            assertThat(seen.get(10, TimeUnit.SECONDS)).as("loop.now() inside the handler").isGreaterThanOrEqualTo(before);
        } finally {
            loop.stop();
            thread.join(10_000);
            pipe.sink().close();
            pipe.source().close();
        }
    }
}
