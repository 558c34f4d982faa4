package org.liso.server.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.liso.loop.EventLoop;

/**
 * A {@link StreamBody} whose producer is the loop itself (a FastCGI connection): {@code offerNow} never blocks, is
 * refused at the high-water mark (the queue's size), and {@code onRoom} runs once the consumer has taken the queue
 * down to half; a released body refuses everything and never calls back.
 */
class StreamBodyLoopProducerTest {
    private final EventLoop loop = newLoop();
    private final Thread thread = new Thread(loop::run, "stream-body-test");

    private static EventLoop newLoop() {
        try {
            return new EventLoop("stream-body-test");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        loop.stop();
        loop.awaitStop(5000);
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> task) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(task.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aFullQueueRefusesAndCallsBackAtHalf() throws Exception {
        thread.start();
        StreamBody body = new StreamBody(loop, 4);
        List<String> events = new ArrayList<>(); // loop thread only
        CompletableFuture<Void> room = new CompletableFuture<>();
        int accepted = onLoop(() -> {
            body.onRoom(() -> {
                events.add("room with " + queued(body));
                room.complete(null);
            });
            int n = 0;
            while (body.offerNow(ByteBuffer.wrap(new byte[] {(byte) n}))) {
                n++;
            }
            return n;
        });
        assertThat(accepted).isEqualTo(4);
        onLoop(() -> {
            body.poll();
            return null;
        });
        assertThat(onLoop(() -> List.copyOf(events))).as("3 queued is above the low-water mark").isEmpty();
        onLoop(() -> body.poll());
        room.get(5, TimeUnit.SECONDS);
        assertThat(onLoop(() -> List.copyOf(events))).containsExactly("room with 2");
        assertThat(onLoop(() -> body.offerNow(ByteBuffer.allocate(1)))).isTrue();
        body.finish();
        assertThat(onLoop(() -> {
            int n = 0;
            while (body.poll() != null) {
                n++;
            }
            return n + " " + body.done();
        })).isEqualTo("3 true");
    }

    @Test
    void aReleasedBodyRefusesAndNeverCallsBack() throws Exception {
        thread.start();
        StreamBody body = new StreamBody(loop, 2);
        List<String> events = new ArrayList<>();
        onLoop(() -> {
            body.onRoom(() -> events.add("room"));
            body.offerNow(ByteBuffer.allocate(1));
            body.offerNow(ByteBuffer.allocate(1));
            return body.offerNow(ByteBuffer.allocate(1));
        });
        onLoop(() -> {
            body.poll();
            body.release();
            return null;
        });
        assertThat(onLoop(() -> body.offerNow(ByteBuffer.allocate(1)))).isFalse();
        assertThat(onLoop(() -> body.released())).isTrue();
        assertThat(onLoop(() -> List.copyOf(events))).isEmpty();
    }

    private static int queued(StreamBody body) {
        int n = 0;
        List<ByteBuffer> taken = new ArrayList<>();
        for (ByteBuffer b; (b = body.poll()) != null; ) {
            taken.add(b);
            n++;
        }
        taken.forEach(body::offerNow);
        return n;
    }
}
