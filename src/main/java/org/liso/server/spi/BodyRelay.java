package org.liso.server.spi;

import java.nio.ByteBuffer;

/**
 * A response produced by something the server reads (a CGI script's stdout, a FastCGI application's STDOUT) on its
 * way to the client, and the rules both handlers follow: the handler parses the head and answers it, then gives the
 * body chunk by chunk to a {@link StreamBody}. A producer on the loop must not block, so a chunk the queue refuses
 * (its high-water mark) is held and the producer paused until the queue drains to its low-water mark; then the chunk
 * goes in and the producer resumes. A {@link #finish} that comes while a chunk is held ends the body once it is
 * taken. What a producer makes of its end (a content coding's last block and trailer) is handed with the finish and
 * never refused: a producer whose input ended has nothing left to pause, and its end must not wait for room. A
 * producer on a thread of its own (a CGI pump: no {@link Flow}) blocks in {@link StreamBody#offer} instead.
 * What a handler does when nobody wants the rest ({@link State#DRAINING}) is its own: read on to the end, or kill.
 *
 * <pre>
 *   HEAD --stream(out)--> STREAMING --a chunk refused--> HELD --it is taken--> STREAMING
 *     |                      |                            |--finish()--> FINISHING --it is taken--> ENDED
 *     |                      \--finish()--> ENDED         |
 *     |--answered whole (the producer's end still to come)------------------------------> DRAINING
 *     |   any but ENDED --client gone; a chunk refused for good (HEAD request)--> DRAINING --finish()--> ENDED
 *     \--fail() / end(): an error answered, the body failed, the exchange over (any state)--> ENDED
 * </pre>
 * One thread: the loop's or, for a producer without a {@link Flow}, its own.
 */
public final class BodyRelay {

    /** Where the response stands. */
    public enum State { HEAD, STREAMING, HELD, FINISHING, DRAINING, ENDED }

    /** The producer's side of back-pressure (on the loop). */
    public interface Flow {
        /** The client's queue is full: stop reading the producer. */
        void pause();

        /**
         * The held chunk was taken, or is not wanted any more ({@link State#DRAINING}); a finish that waited for it
         * has ended the body ({@link State#ENDED}). Read on, or do what the new {@link #state} asks.
         */
        void resume();
    }

    private final Flow flow;
    private State state = State.HEAD;
    private StreamBody out;
    /** A chunk the client's queue refused: reading the producer waits until it is taken. */
    private ByteBuffer held;
    /** The last chunk of a finish that came while one was held: it follows the held one. */
    private ByteBuffer last;

    /** @param flow the producer on the loop, or null for one on a thread of its own (it blocks instead) */
    public BodyRelay(Flow flow) {
        this.flow = flow;
    }

    public State state() {
        return state;
    }

    /** True while a chunk waits for room in the client's queue. */
    public boolean holding() {
        return held != null;
    }

    /** The head was answered with {@code body}, which takes the chunks from now on. */
    public void stream(StreamBody body) {
        out = body;
        state = State.STREAMING;
        if (flow != null) {
            body.onRoom(this::room);
        }
    }

    /** The head was answered with the whole body; only the producer's end is still to come. */
    public void answered() {
        state = State.DRAINING;
    }

    /**
     * Hands a chunk to the client's queue (ownership passes), or holds it and pauses the producer while the queue is
     * full; a pump thread waits instead.
     *
     * @return false when the client does not want the body (went away, or a HEAD request): the relay is DRAINING
     */
    public boolean give(ByteBuffer chunk) throws InterruptedException {
        if (state == State.HELD || state == State.FINISHING) {
            throw new IllegalStateException("a chunk while one is held: the producer was to pause");
        }
        if (state != State.STREAMING) {
            return false;
        }
        boolean taken = flow == null ? out.offer(chunk) : out.offerNow(chunk);
        if (taken) {
            return true;
        }
        if (out.released()) {
            state = State.DRAINING;
            return false;
        }
        held = chunk;
        state = State.HELD;
        flow.pause();
        return true;
    }

    /** The producer's output is complete: the body ends now, or once the held chunk is taken. */
    public void finish() {
        finish(null);
    }

    /**
     * The producer's output is complete, and {@code lastChunk} (small and bounded: a coding's end, or null) is the
     * last of it, taken whether the queue is full or not: the body ends now, or once the held chunk is taken.
     */
    public void finish(ByteBuffer lastChunk) {
        switch (state) {
            case STREAMING -> {
                out.finish(lastChunk);
                state = State.ENDED;
            }
            case HELD -> {
                last = lastChunk;
                state = State.FINISHING;
            }
            case DRAINING -> state = State.ENDED;
            default -> {
                // HEAD: no head was answered, which is the handler's to fail; ENDED, FINISHING: already decided
            }
        }
    }

    /**
     * The producer broke off or failed: a body already streaming fails (the client connection closes, as its
     * framing cannot be completed).
     *
     * @return true when nothing was answered yet, so the handler can still answer an error
     */
    public boolean fail() {
        State was = state;
        held = null;
        last = null;
        state = State.ENDED;
        if (was == State.STREAMING || was == State.HELD || was == State.FINISHING) {
            out.fail();
        }
        return was == State.HEAD;
    }

    /** The client went away (or the run is over): nothing more is sent, and what is held is dropped. */
    public void clientGone() {
        held = null;
        last = null;
        if (out != null) {
            out.release();
        }
        if (state != State.ENDED) {
            state = State.DRAINING;
        }
    }

    /** The exchange is over (answered, failed or abandoned): whatever comes later is dropped. */
    public void end() {
        held = null;
        last = null;
        state = State.ENDED;
    }

    /** The client's queue drained to its low-water mark. */
    private void room() {
        ByteBuffer c = held;
        if (c == null || (state != State.HELD && state != State.FINISHING)) {
            return;
        }
        if (!out.offerNow(c)) {
            if (!out.released()) {
                return; // still full: onRoom runs again
            }
            state = State.DRAINING;
        } else if (state == State.FINISHING) {
            out.finish(last);
            last = null;
            state = State.ENDED;
        } else {
            state = State.STREAMING;
        }
        held = null;
        flow.resume();
    }
}
