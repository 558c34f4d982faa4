package org.liso.echo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import org.liso.Log;
import org.liso.loop.ConnectionBudget;
import org.liso.loop.EventLoop;
import org.liso.loop.Readiness;
import org.liso.loop.Timer;
import org.liso.transport.Transport;

/**
 * One echo client. A single bounded buffer is both the input and the output queue: bytes read wait in it until
 * written back. While it is full the connection stops reading (back-pressure reaches the client through TCP flow
 * control) and resumes once it has drained below half.
 *
 * <pre>
 *   OPEN --EOF with bytes pending--> DRAINING --buffer empty--> CLOSED
 *     \--EOF, nothing pending / reset / idle timeout ----------/^
 * </pre>
 */
final class EchoConnection implements Readiness {

    enum State { OPEN, DRAINING, CLOSED }

    private static final String LOG = "echo";

    private final EventLoop loop;
    private final Transport transport;
    private final ByteBuffer buf;
    private final ByteBuffer[] one = new ByteBuffer[1];
    private final long idleMillis;
    private final ConnectionBudget budget;
    private final EchoStats stats;
    private final Timer idle;
    private final java.util.function.Consumer<EchoConnection> onClose;
    private SelectionKey key;
    private State state = State.OPEN;
    private boolean readPaused;

    EchoConnection(EventLoop loop, Transport transport, int bufferSize, long idleMillis, ConnectionBudget budget,
            EchoStats stats, java.util.function.Consumer<EchoConnection> onClose) {
        this.onClose = onClose;
        this.loop = loop;
        this.transport = transport;
        this.buf = ByteBuffer.allocateDirect(bufferSize);
        this.one[0] = buf;
        this.idleMillis = idleMillis;
        this.budget = budget;
        this.stats = stats;
        this.idle = loop.timer(this, this::idleTimeout);
    }

    void start() throws IOException {
        key = loop.register(transport.channel(), SelectionKey.OP_READ, this);
        stats.connections.incrementAndGet();
        stats.open.incrementAndGet();
        loop.liveWork(1);
        touch();
    }

    @Override
    public void ready(int readyOps) {
        try {
            if ((readyOps & SelectionKey.OP_READ) != 0 && state == State.OPEN) {
                readSome();
            }
            if (state != State.CLOSED && buf.position() > 0) {
                writeSome();
            }
            if (state == State.DRAINING && buf.position() == 0 && transport.flush()) {
                close(null);
                return;
            }
            if (state != State.CLOSED) {
                updateInterest();
                touch();
            }
        } catch (IOException e) {
            close(e);
        }
    }

    @Override
    public void failed(RuntimeException fault) {
        close(null);
    }

    /** Graceful shutdown: stop reading, echo what is already here, then close. */
    void finish() {
        if (state != State.OPEN) {
            return;
        }
        state = State.DRAINING;
        ready(SelectionKey.OP_WRITE);
    }

    private void readSome() throws IOException {
        while (buf.hasRemaining()) {
            int room = buf.remaining();
            int n = transport.read(buf);
            if (n < 0) {
                // Half-close: the client is done sending; finish echoing what it sent, then close (RFC 9293 §3.6).
                state = State.DRAINING;
                return;
            }
            if (n < room) {
                break; // the socket is empty: another read would only return EAGAIN
            }
        }
        stats.queued(buf.position());
    }

    private void writeSome() throws IOException {
        buf.flip();
        long n = transport.write(one, 0, 1);
        buf.compact();
        stats.bytesEchoed.addAndGet(n);
    }

    private void updateInterest() {
        if (!buf.hasRemaining()) {
            readPaused = true;
        } else if (readPaused && buf.position() <= buf.capacity() / 2) {
            readPaused = false;
        }
        int ops = 0;
        if (state == State.OPEN && !readPaused) {
            ops |= SelectionKey.OP_READ;
        }
        if (buf.position() > 0 || transport.hasPendingOutput()) {
            ops |= SelectionKey.OP_WRITE;
        }
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    private void touch() {
        if (idleMillis > 0) {
            idle.schedule(idleMillis);
        }
    }

    private void idleTimeout() {
        Log.info(LOG, "idle timeout, closing", "peer", peer(), "idle_ms", idleMillis);
        close(null);
    }

    private void close(IOException cause) {
        if (state == State.CLOSED) {
            return;
        }
        if (cause != null) {
            Log.debug(LOG, "connection closed by error", "peer", peer(), "error", String.valueOf(cause.getMessage()));
        }
        state = State.CLOSED;
        idle.cancel();
        if (key != null) {
            key.cancel();
        }
        transport.close();
        budget.release();
        loop.liveWork(-1);
        stats.open.decrementAndGet();
        onClose.accept(this);
    }

    /** The peer's address, which Log prints as {@code 127.0.0.1:50002}. */
    private Object peer() {
        try {
            return transport.channel().getRemoteAddress();
        } catch (IOException e) {
            return "?";
        }
    }
}
