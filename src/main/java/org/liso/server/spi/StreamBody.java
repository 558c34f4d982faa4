package org.liso.server.spi;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A body produced by another thread (a CGI pump) or by the loop itself (a FastCGI connection), and sent by the loop.
 * The queue between them holds at most {@code maxChunks} chunks: when the client reads slowly a producer thread
 * blocks in {@link #offer}, so it stops reading its pipe and the script blocks on its stdout — back-pressure end to
 * end, nothing unbounded. A producer on the loop must not block: {@link #offerNow} refuses a chunk when the queue is
 * full (its high-water mark) and {@link #onRoom} tells it when the queue is down to half (its low-water mark).
 * A producer's last chunk, the end of a content coding (gzip's final block, CRC-32 and ISIZE: a few octets), comes
 * with {@link #finish(ByteBuffer)} and is never refused: it rides beyond the bound, once, so that a producer whose
 * input has ended is never paused and its end can never be held back or dropped.
 *
 * <pre>
 *   OPEN --finish(last)--> FINISHED   (the loop sends what is queued and the last chunk, then ends the body)
 *     \---fail()-------> FAILED     (the loop closes the connection: the framing cannot be completed)
 *     \--release()-----> RELEASED   (the consumer is gone: offer() returns false, the producer stops)
 * </pre>
 */
public final class StreamBody implements Body {

    /** Producer-visible state. */
    enum State { OPEN, FINISHED, FAILED, RELEASED }

    private final Executor loop;
    private final ArrayBlockingQueue<ByteBuffer> chunks;
    private final AtomicBoolean signalPending = new AtomicBoolean();
    private volatile State state = State.OPEN;
    private volatile Runnable listener;
    /** The last chunk given with finish, sent after the queued ones; taken by the consumer. */
    private volatile ByteBuffer last;
    private final int lowWater;
    // loop thread only: a loop producer was refused and waits for the queue to drain to lowWater
    private Runnable roomListener;
    private boolean wantsRoom;

    public StreamBody(Executor loop, int maxChunks) {
        this.loop = loop;
        this.chunks = new ArrayBlockingQueue<>(maxChunks);
        this.lowWater = maxChunks / 2;
    }

    // ---- producer side (any thread) ----

    /**
     * Queues {@code chunk} (ownership passes to the stream), waiting while the queue is full.
     *
     * @return false when the consumer has gone away: stop producing
     */
    public boolean offer(ByteBuffer chunk) throws InterruptedException {
        while (state == State.OPEN) {
            if (chunks.offer(chunk, 50, TimeUnit.MILLISECONDS)) {
                signal();
                return true;
            }
        }
        return false;
    }

    /**
     * Queues {@code chunk} without waiting; for a producer on the loop thread, which must never block.
     *
     * @return false when the queue is full (then {@link #onRoom}'s action runs once it has drained to half) or the
     * consumer has gone ({@link #released}): the chunk was not taken
     */
    public boolean offerNow(ByteBuffer chunk) {
        if (state != State.OPEN) {
            return false;
        }
        if (!chunks.offer(chunk)) {
            wantsRoom = true;
            return false;
        }
        signal();
        return true;
    }

    /** What a loop producer does when a refused {@link #offerNow} may be tried again (run as a loop task). */
    public void onRoom(Runnable action) {
        this.roomListener = action;
    }

    /** No more chunks will come; the body ends after those queued. */
    public void finish() {
        finish(null);
    }

    /**
     * No more chunks will come but {@code lastChunk} (small and bounded, or null), which is taken whether or not
     * the queue is full; the body ends after it.
     */
    public void finish(ByteBuffer lastChunk) {
        if (state == State.OPEN) {
            last = lastChunk; // before the state: a consumer that sees FINISHED sees it too
        }
        transition(State.FINISHED);
    }

    /** The producer broke off: what was sent cannot be completed, so the connection must close. */
    public void fail() {
        transition(State.FAILED);
    }

    public boolean released() {
        return state == State.RELEASED;
    }

    // ---- consumer side (loop thread) ----

    /** Runs {@code onData} on the loop whenever chunks arrive or the stream ends. */
    public void listen(Runnable onData) {
        this.listener = onData;
        signal();
    }

    /** The next chunk, or null when none is queued now. */
    public ByteBuffer poll() {
        State s = state; // first: once FINISHED is seen, every chunk offered before it is in the queue
        ByteBuffer chunk = chunks.poll();
        if (chunk == null) {
            ByteBuffer l = last;
            if (l != null && s == State.FINISHED) {
                last = null;
            }
            return s == State.FINISHED ? l : null;
        }
        if (wantsRoom && chunks.size() <= lowWater) {
            wantsRoom = false;
            Runnable r = roomListener;
            if (r != null) {
                loop.execute(() -> {
                    if (state != State.RELEASED) {
                        r.run();
                    }
                });
            }
        }
        return chunk;
    }

    /** Nothing more will come: the producer finished or failed and every chunk was taken. */
    public boolean done() {
        State s = state;
        return s != State.OPEN && chunks.isEmpty() && (last == null || s != State.FINISHED);
    }

    public boolean failed() {
        return state == State.FAILED;
    }

    @Override
    public long length() {
        return -1;
    }

    @Override
    public void release() {
        state = State.RELEASED;
        chunks.clear();
        last = null;
    }

    private void transition(State to) {
        if (state == State.OPEN) {
            state = to;
        }
        signal();
    }

    private void signal() {
        if (listener != null && signalPending.compareAndSet(false, true)) {
            loop.execute(() -> {
                signalPending.set(false);
                Runnable l = listener;
                if (l != null && state != State.RELEASED) {
                    l.run();
                }
            });
        }
    }
}
