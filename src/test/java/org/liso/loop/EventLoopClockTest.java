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
 *
 * <p>Asserts an order of events, not a timing: the test waits until the loop thread is inside its blocking select
 * (seen in its stack, so the loop's clock was last read before that), then until the millisecond clock has moved on,
 * and only then takes {@code before} and writes the byte. A handler that saw the clock from before the select would
 * see a time strictly below {@code before}.
 */
class EventLoopClockTest {

    @Test
    void readinessHandlersSeeTheTimeAfterTheSelectorWokeUp() throws Exception {
        EventLoop loop = new EventLoop("clock-test");
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        CompletableFuture<Long> seen = new CompletableFuture<>();
        CompletableFuture<Void> registered = new CompletableFuture<>();
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
                registered.complete(null);
            } catch (java.nio.channels.ClosedChannelException e) {
                registered.completeExceptionally(e);
            }
        });
        Thread thread = new Thread(loop::run, "clock-test");
        thread.start();
        try {
            registered.get(10, TimeUnit.SECONDS);
            long inSelect = awaitBlockedInSelect(thread);
            while (System.nanoTime() / 1_000_000 <= inSelect) {
                Thread.onSpinWait(); // at most a millisecond
            }
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

    /**
     * Polls the loop thread's stack until it is in {@link EventLoop}'s select with nothing queued (the registration task
     * has run, no timer is armed, so it stays there until the pipe is written); returns the time seen then, in ms.
     */
    private static long awaitBlockedInSelect(Thread loopThread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            StackTraceElement[] stack = loopThread.getStackTrace();
            boolean inSelect = false;
            boolean inJdkSelect = false;
            for (StackTraceElement e : stack) {
                inSelect |= e.getClassName().equals(EventLoop.class.getName()) && e.getMethodName().equals("select");
                inJdkSelect |= e.getClassName().startsWith("sun.nio.ch.") && e.getMethodName().equals("doSelect");
            }
            if (inSelect && inJdkSelect) {
                return System.nanoTime() / 1_000_000;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the loop thread never blocked in select");
    }
}
