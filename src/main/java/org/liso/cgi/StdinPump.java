package org.liso.cgi;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.atomic.AtomicLong;
import org.liso.server.spi.BodyReceiver;
import org.liso.server.spi.Exchange;

/**
 * Moves the request body into the script's stdin. The loop side queues copies of the body chunks and pauses the
 * body (returns false) once {@link #HIGH_WATER} bytes wait; the pump thread writes them to the pipe (blocking while
 * the script does not read) and resumes the body when the queue has drained below {@link #LOW_WATER}. At most about
 * HIGH_WATER plus one chunk is ever held, whatever the body's size.
 *
 * <pre>
 *   PUMPING --end of body--> CLOSED (stdin closed: the script sees EOF)
 *      \----write fails / script gone / stop()--> DISCARDING (the rest of the body is read and dropped,
 *                                                 so the connection can find the next request)
 * </pre>
 */
final class StdinPump implements BodyReceiver, Runnable {

    /** What the pump does with the body. */
    enum State { PUMPING, CLOSED, DISCARDING }

    static final long HIGH_WATER = 256 * 1024;
    static final long LOW_WATER = 64 * 1024;
    private static final ByteBuffer END = ByteBuffer.allocate(0);
    private static final ByteBuffer STOP = ByteBuffer.allocate(0);

    private final Exchange exchange;
    private final CgiRun run;
    private final LinkedBlockingDeque<ByteBuffer> queue = new LinkedBlockingDeque<>();
    private final AtomicLong queued = new AtomicLong();
    private volatile State state = State.PUMPING;
    private volatile OutputStream stdin;
    /** Loop thread only. */
    private boolean paused;

    StdinPump(Exchange exchange, CgiRun run) {
        this.exchange = exchange;
        this.run = run;
    }

    // ---- loop thread ----

    @Override
    public boolean data(ByteBuffer chunk) {
        if (state == State.DISCARDING) {
            chunk.position(chunk.limit());
            return true;
        }
        ByteBuffer copy = ByteBuffer.allocate(chunk.remaining());
        copy.put(chunk).flip();
        long now = queued.addAndGet(copy.remaining());
        queue.add(copy);
        if (now >= HIGH_WATER) {
            paused = true;
            return false;
        }
        return true;
    }

    @Override
    public void end() {
        queue.add(END);
    }

    private void resumeIfPaused() {
        if (paused && (state == State.DISCARDING || queued.get() < HIGH_WATER)) {
            paused = false;
            exchange.resumeBody();
        }
    }

    private void discardOnLoop() {
        state = State.DISCARDING;
        queue.clear();
        queued.set(0);
        resumeIfPaused();
    }

    // ---- any thread ----

    /** The script is gone or killed: stop writing and drop the rest of the body. */
    void stop() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.DISCARDING;
        queue.offerFirst(STOP);
        exchange.loop().execute(this::discardOnLoop);
    }

    // ---- pump thread ----

    /** Starts pumping into {@code out} on the calling thread; returns when the body ended or the pump stopped. */
    void pumpInto(OutputStream out) {
        stdin = out;
        run();
    }

    @Override
    public void run() {
        OutputStream out = stdin;
        try {
            while (state == State.PUMPING) {
                ByteBuffer chunk = queue.take();
                if (chunk == STOP) {
                    break;
                }
                if (chunk == END) {
                    state = State.CLOSED;
                    break;
                }
                out.write(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
                out.flush();
                run.progress();
                long n = chunk.remaining();
                long after = queued.addAndGet(-n);
                if (after <= LOW_WATER && after + n > LOW_WATER) {
                    exchange.loop().execute(this::resumeIfPaused);
                }
            }
        } catch (IOException scriptStoppedReading) {
            // EPIPE: the script exited or closed stdin without reading the whole body; §4.2 lets it do so.
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
        } finally {
            closeQuietly(out);
        }
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException ignored) {
            // a broken pipe at close only repeats what the script already told us by exiting
        }
    }
}
