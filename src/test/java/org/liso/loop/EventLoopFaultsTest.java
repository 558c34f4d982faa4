package org.liso.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A callback that throws (readiness, task or timer) costs its owner, never the loop. */
class EventLoopFaultsTest {
    private EventLoop loop;
    private Thread thread;

    @BeforeEach
    void start() throws Exception {
        loop = new EventLoop("faults-test");
        thread = new Thread(loop::run, "faults-test");
        thread.setDaemon(true);
        thread.start();
    }

    @AfterEach
    void stop() throws Exception {
        loop.stop();
        thread.join(10_000);
    }

    @Test
    void aThrowingTimerLeavesTheLoopServing() throws Exception {
        CompletableFuture<Boolean> armed = new CompletableFuture<>();
        loop.execute(() -> {
            loop.timer(() -> {
                throw new IllegalStateException("timer fault");
            }).schedule(0);
            armed.complete(true);
        });
        assertThat(armed.get(5, TimeUnit.SECONDS)).isTrue();
        assertServes();
    }

    @Test
    void aThrowingTaskLeavesTheLoopServing() throws Exception {
        loop.execute(() -> {
            throw new IllegalStateException("task fault");
        });
        assertServes();
    }

    @Test
    void aThrowingTimerOfAConnectionFailsThatConnection() throws Exception {
        Owner owner = new Owner();
        loop.execute(() -> loop.timer(owner, () -> {
            throw new IllegalStateException("timer fault");
        }).schedule(0));
        assertThat(owner.failed.get(5, TimeUnit.SECONDS)).hasMessage("timer fault");
        assertServes();
    }

    @Test
    void aThrowingTaskOfAConnectionFailsThatConnection() throws Exception {
        Owner owner = new Owner();
        loop.execute(owner, () -> {
            throw new IllegalStateException("task fault");
        });
        assertThat(owner.failed.get(5, TimeUnit.SECONDS)).hasMessage("task fault");
        assertServes();
    }

    @Test
    void anOwnerThatThrowsWhileFailingStillLeavesTheLoopServing() throws Exception {
        Readiness badOwner = new Readiness() {
            @Override
            public void ready(int readyOps) {
            }

            @Override
            public void failed(RuntimeException fault) {
                throw new IllegalStateException("fault while failing");
            }
        };
        loop.execute(badOwner, () -> {
            throw new IllegalStateException("task fault");
        });
        assertServes();
    }

    @Test
    void aThrowingReadinessHandlerLosesItsChannelOnly() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        CompletableFuture<RuntimeException> failed = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                loop.register(pipe.source(), SelectionKey.OP_READ, new Readiness() {
                    @Override
                    public void ready(int readyOps) {
                        throw new IllegalStateException("readiness fault");
                    }

                    @Override
                    public void failed(RuntimeException fault) {
                        failed.complete(fault);
                    }
                });
            } catch (java.nio.channels.ClosedChannelException e) {
                failed.completeExceptionally(e);
            }
        });
        pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
        assertThat(failed.get(5, TimeUnit.SECONDS)).hasMessage("readiness fault");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (pipe.source().isOpen() && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // the loop closes the channel right after failed() returns
        }
        assertThat(pipe.source().isOpen()).as("the failing handler's channel is closed").isFalse();
        pipe.sink().close();
        assertServes();
    }

    /** The loop still runs tasks, fires timers and dispatches readiness. */
    private void assertServes() throws Exception {
        CompletableFuture<String> task = new CompletableFuture<>();
        loop.execute(() -> task.complete("task ran"));
        assertThat(task.get(5, TimeUnit.SECONDS)).isEqualTo("task ran");

        CompletableFuture<String> timer = new CompletableFuture<>();
        loop.execute(() -> loop.timer(() -> timer.complete("timer fired")).schedule(1));
        assertThat(timer.get(5, TimeUnit.SECONDS)).isEqualTo("timer fired");

        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        CompletableFuture<Integer> read = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                loop.register(pipe.source(), SelectionKey.OP_READ, ops -> {
                    try {
                        read.complete(pipe.source().read(ByteBuffer.allocate(8)));
                    } catch (java.io.IOException e) {
                        read.completeExceptionally(e);
                    }
                });
            } catch (java.nio.channels.ClosedChannelException e) {
                read.completeExceptionally(e);
            }
        });
        pipe.sink().write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThat(read.get(5, TimeUnit.SECONDS)).as("bytes read by a readiness handler").isEqualTo(3);
        pipe.sink().close();
        pipe.source().close();
    }

    private static final class Owner implements Readiness {
        final CompletableFuture<RuntimeException> failed = new CompletableFuture<>();

        @Override
        public void ready(int readyOps) {
        }

        @Override
        public void failed(RuntimeException fault) {
            failed.complete(fault);
        }
    }
}
