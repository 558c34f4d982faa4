package org.liso.cgi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;
import org.liso.loop.Readiness;
import org.liso.server.spi.BodyReceiver;
import org.liso.server.spi.Exchange;
import org.liso.server.spi.SpooledBody;

/**
 * The request body into the script's stdin from the loop, through the non-blocking pipe: a streamed body as it
 * arrives (paused, {@code data} returning false, while more than {@link StdinPump#HIGH_WATER} bytes wait for the
 * script to read, resumed below {@link StdinPump#LOW_WATER}), or a spooled one read from memory or its file chunk by
 * chunk as the pipe takes it. OP_WRITE is asked for only while bytes wait.
 *
 * <pre>
 *   WRITING --end of body, all written--> CLOSED (stdin closed: the script sees EOF)
 *      \----write fails (EPIPE) / script gone / stop()--> DISCARDING (the rest of the body is read and dropped,
 *                                                        so the connection can find the next request)
 * </pre>
 * Loop thread only.
 */
final class StdinWriter implements BodyReceiver, Readiness {

    /** What the writer does with the body. */
    enum State { WRITING, CLOSED, DISCARDING }

    private final CgiRun run;
    private final Exchange exchange;
    private final Pipe.SinkChannel sink;
    /** Null for a streamed body. */
    private final SpooledBody spooled;
    private final ArrayDeque<ByteBuffer> waiting = new ArrayDeque<>();
    private long waitingBytes;
    private long spooledPosition;
    private ByteBuffer spoolChunk;
    private State state = State.WRITING;
    private SelectionKey key;
    private boolean ended;
    private boolean paused;

    StdinWriter(CgiRun run, Pipe.SinkChannel sink, SpooledBody spooled) {
        this.run = run;
        this.exchange = run.exchange();
        this.sink = sink;
        this.spooled = spooled;
    }

    // ---- a streamed body ----

    @Override
    public boolean data(ByteBuffer chunk) {
        if (state != State.WRITING) {
            chunk.position(chunk.limit());
            return true;
        }
        if (waiting.isEmpty() && !write(chunk)) {
            chunk.position(chunk.limit());
            return true;
        }
        if (chunk.hasRemaining()) {
            ByteBuffer copy = ByteBuffer.allocate(chunk.remaining());
            copy.put(chunk).flip();
            waiting.add(copy);
            waitingBytes += copy.remaining();
            wantWrite(true);
        }
        if (waitingBytes >= StdinPump.HIGH_WATER) {
            paused = true;
            return false;
        }
        return true;
    }

    @Override
    public void end() {
        ended = true;
        if (state == State.WRITING && waiting.isEmpty()) {
            finish();
        }
    }

    // ---- a spooled body ----

    /** Writes what the pipe takes now; the rest on OP_WRITE. */
    void writeSpooled() {
        if (spoolChunk == null) {
            spoolChunk = ByteBuffer.allocate(CgiRun.CHUNK).flip();
        }
        while (state == State.WRITING) {
            if (!spoolChunk.hasRemaining()) {
                spoolChunk.clear();
                int n;
                try {
                    n = spooled.read(spoolChunk, spooledPosition);
                } catch (IOException released) {
                    stop();
                    return;
                }
                spoolChunk.flip();
                if (n < 0) {
                    finish();
                    return;
                }
                spooledPosition += n;
            }
            if (!write(spoolChunk)) {
                return;
            }
            if (spoolChunk.hasRemaining()) {
                wantWrite(true);
                return;
            }
        }
    }

    // ---- the pipe ----

    @Override
    public void ready(int readyOps) {
        if (state != State.WRITING) {
            return;
        }
        if (spooled != null) {
            wantWrite(false);
            writeSpooled();
            return;
        }
        while (!waiting.isEmpty()) {
            ByteBuffer b = waiting.peek();
            int before = b.remaining();
            if (!write(b)) {
                return;
            }
            waitingBytes -= before - b.remaining();
            if (b.hasRemaining()) {
                break;
            }
            waiting.poll();
        }
        if (waiting.isEmpty()) {
            wantWrite(false);
            if (ended) {
                finish();
                return;
            }
        }
        if (paused && waitingBytes <= StdinPump.LOW_WATER) {
            paused = false;
            exchange.resumeBody();
        }
    }

    /** The script is gone or killed: stop writing and drop the rest of the body. */
    void stop() {
        if (state != State.WRITING) {
            return;
        }
        state = State.DISCARDING;
        waiting.clear();
        waitingBytes = 0;
        closeSink();
        if (paused) {
            paused = false;
            exchange.resumeBody();
        }
    }

    @Override
    public void failed(RuntimeException fault) {
        run.kill();
    }

    @Override
    public void abandoned() {
        run.kill();
    }

    /** @return false when the write failed (the writer then stopped) */
    private boolean write(ByteBuffer b) {
        try {
            if (sink.write(b) > 0) {
                run.progress();
            }
            return true;
        } catch (IOException scriptStoppedReading) {
            // EPIPE: the script exited or closed stdin without reading the whole body; §4.2 lets it do so.
            stop();
            return false;
        }
    }

    private void finish() {
        state = State.CLOSED;
        closeSink();
    }

    private void wantWrite(boolean on) {
        try {
            if (key == null) {
                if (!on) {
                    return;
                }
                key = run.loop().register(sink, SelectionKey.OP_WRITE, this);
            } else {
                key.interestOps(on ? SelectionKey.OP_WRITE : 0);
            }
        } catch (ClosedChannelException e) {
            stop();
        }
    }

    private void closeSink() {
        if (spooled != null) {
            spooled.release(); // written, or not wanted: its memory and file go now
        }
        if (key != null) {
            run.loop().closeAfterDeregistration(key, () -> ScriptPipes.closeQuietly(sink));
        } else {
            ScriptPipes.closeQuietly(sink);
        }
        run.partDone();
    }
}
