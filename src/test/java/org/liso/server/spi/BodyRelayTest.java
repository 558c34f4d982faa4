package org.liso.server.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.liso.loop.EventLoop;

/**
 * {@link BodyRelay} on a real loop with a real {@link StreamBody}: a refused chunk is held and the producer paused,
 * then given (in order) and the producer resumed once the consumer drained the queue to half; a finish while a chunk
 * is held ends the body after it; a last chunk given with the finish (gzip's end) is never refused; a client gone, a
 * failure, and a pump thread that blocks instead.
 */
class BodyRelayTest {
    private EventLoop loop;
    /** What the relay asked of the producer (loop thread only). */
    private final List<String> flow = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        loop = new EventLoop("body-relay-test");
        new Thread(loop::run, "body-relay-test").start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        loop.stop();
        loop.awaitStop(5000);
    }

    private BodyRelay relay() {
        return new BodyRelay(new BodyRelay.Flow() {
            @Override
            public void pause() {
                flow.add("pause");
            }

            @Override
            public void resume() {
                flow.add("resume");
            }
        });
    }

    @Test
    void aRefusedChunkIsHeldThenGivenInOrderOnceTheQueueDrained() throws Exception {
        StreamBody body = new StreamBody(loop, 2);
        BodyRelay relay = relay();
        List<Boolean> given = onLoop(() -> {
            relay.stream(body);
            return List.of(relay.give(chunk(1)), relay.give(chunk(2)), relay.give(chunk(3)));
        });
        assertThat(given).containsExactly(true, true, true);
        assertThat(onLoop(() -> relay.state() + " " + relay.holding() + " " + flow)).isEqualTo("HELD true [pause]");
        assertThatThrownBy(() -> onLoop(() -> relay.give(chunk(4)))).hasCauseInstanceOf(IllegalStateException.class);

        assertThat(onLoop(() -> body.poll().get(0))).isEqualTo((byte) 1);
        assertThat(onLoop(() -> body.poll().get(0))).isEqualTo((byte) 2); // down to the low-water mark: room
        awaitOnLoop(() -> flow.contains("resume"));
        assertThat(onLoop(() -> relay.state() + " " + relay.holding())).isEqualTo("STREAMING false");
        assertThat(onLoop(() -> body.poll().get(0))).isEqualTo((byte) 3);
        onLoop(() -> {
            relay.finish();
            return null;
        });
        assertThat(onLoop(() -> relay.state() + " " + body.done())).isEqualTo("ENDED true");
    }

    @Test
    void aFinishWhileAChunkIsHeldEndsTheBodyAfterIt() throws Exception {
        StreamBody body = new StreamBody(loop, 2);
        BodyRelay relay = relay();
        onLoop(() -> {
            relay.stream(body);
            relay.give(chunk(1));
            relay.give(chunk(2));
            relay.give(chunk(3));
            relay.finish();
            return null;
        });
        assertThat(onLoop(() -> relay.state() + " " + body.done())).isEqualTo("FINISHING false");
        onLoop(() -> body.poll());
        onLoop(() -> body.poll());
        awaitOnLoop(() -> relay.state() == BodyRelay.State.ENDED);
        assertThat(onLoop(() -> flow)).containsExactly("pause", "resume");
        assertThat(onLoop(() -> body.poll().get(0) + " " + body.done())).isEqualTo("3 true");
    }

    @Test
    void aLastChunkGivenWithTheFinishIsTakenByAFullQueueAndPausesNothing() throws Exception {
        StreamBody body = new StreamBody(loop, 2);
        BodyRelay relay = relay();
        onLoop(() -> {
            relay.stream(body);
            relay.give(chunk(1));
            relay.give(chunk(2)); // the queue is full
            relay.finish(chunk(9)); // a coding's end: the producer's input is over, there is nothing to pause
            return null;
        });
        assertThat(onLoop(() -> relay.state() + " " + relay.holding() + " " + flow + " " + body.done()))
                .isEqualTo("ENDED false [] false");
        assertThat(onLoop(() -> body.poll().get(0) + " " + body.poll().get(0) + " " + body.poll().get(0)))
                .isEqualTo("1 2 9");
        assertThat(onLoop(() -> body.poll() + " " + body.done())).isEqualTo("null true");
    }

    @Test
    void aLastChunkWithAFinishWhileAChunkIsHeldFollowsTheHeldOne() throws Exception {
        StreamBody body = new StreamBody(loop, 2);
        BodyRelay relay = relay();
        onLoop(() -> {
            relay.stream(body);
            relay.give(chunk(1));
            relay.give(chunk(2));
            relay.give(chunk(3)); // held
            relay.finish(chunk(9));
            return null;
        });
        assertThat(onLoop(() -> relay.state() + " " + body.done())).isEqualTo("FINISHING false");
        assertThat(onLoop(() -> body.poll().get(0) + " " + body.poll().get(0))).isEqualTo("1 2");
        awaitOnLoop(() -> relay.state() == BodyRelay.State.ENDED);
        assertThat(onLoop(() -> body.poll().get(0) + " " + body.poll().get(0) + " " + body.done()))
                .isEqualTo("3 9 true");
    }

    @Test
    void aClientGoneDropsTheHeldChunkAndTheRestIsRefused() throws Exception {
        StreamBody body = new StreamBody(loop, 1);
        BodyRelay relay = relay();
        onLoop(() -> {
            relay.stream(body);
            relay.give(chunk(1));
            relay.give(chunk(2));
            relay.clientGone();
            return null;
        });
        assertThat(onLoop(() -> relay.state() + " " + relay.holding() + " " + body.released()))
                .isEqualTo("DRAINING false true");
        assertThat(onLoop(() -> relay.give(chunk(3)))).as("not wanted: the producer stops or drains").isFalse();
        onLoop(() -> {
            relay.finish();
            return null;
        });
        assertThat(onLoop(relay::state)).isEqualTo(BodyRelay.State.ENDED);
    }

    @Test
    void aFailureBeforeTheHeadLeavesTheAnswerToTheHandlerAndAfterItFailsTheBody() throws Exception {
        BodyRelay before = relay();
        assertThat(onLoop(before::fail)).as("nothing answered yet").isTrue();
        assertThat(onLoop(before::state)).isEqualTo(BodyRelay.State.ENDED);

        StreamBody body = new StreamBody(loop, 2);
        BodyRelay after = relay();
        assertThat(onLoop(() -> {
            after.stream(body);
            after.give(chunk(1));
            return after.fail();
        })).isFalse();
        assertThat(onLoop(() -> body.failed() + " " + after.state())).isEqualTo("true ENDED");
    }

    @Test
    void aProducerWithoutAFlowBlocksUntilTheQueueHasRoom() throws Exception {
        StreamBody body = new StreamBody(loop, 1);
        BodyRelay relay = new BodyRelay(null);
        relay.stream(body);
        assertThat(relay.give(chunk(1))).isTrue();
        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> {
            try {
                return relay.give(chunk(2));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(second).isNotDone(); // the queue is full: the pump waits
        assertThat(onLoop(() -> body.poll().get(0))).isEqualTo((byte) 1);
        assertThat(second.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(relay.state()).isEqualTo(BodyRelay.State.STREAMING);
        body.release();
        assertThat(relay.give(chunk(3))).as("the consumer went away").isFalse();
        assertThat(relay.state()).isEqualTo(BodyRelay.State.DRAINING);
    }

    private static ByteBuffer chunk(int n) {
        return ByteBuffer.wrap(new byte[] {(byte) n});
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(task.call());
            } catch (Exception | Error e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(5, TimeUnit.SECONDS);
    }

    private void awaitOnLoop(Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!onLoop(condition)) {
            assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
