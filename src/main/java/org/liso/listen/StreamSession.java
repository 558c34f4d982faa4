package org.liso.listen;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.liso.Log;
import org.liso.loop.EventLoop;
import org.liso.loop.Readiness;

/**
 * One stream client of {@code liso listen} (TCP or unix). One bounded buffer holds what was read; in echo mode it is
 * also the output queue and reading pauses while it holds unsent bytes, so a client that does not read its echo is
 * slowed by TCP flow control instead of growing memory.
 *
 * <pre>
 *   OPEN --EOF with echo pending--> DRAINING --sent--> CLOSED
 *     \--EOF / reset / error / shutdown ------------/^
 * </pre>
 */
final class StreamSession implements Readiness {

    enum State { OPEN, DRAINING, CLOSED }

    private static final String LOG = "listen";

    private final EventLoop loop;
    private final SocketChannel channel;
    private final ListenMode mode;
    private final ConnectionTag tag;
    private final LinePrinter printer;
    private final Runnable onClose;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(16 * 1024);
    private SelectionKey key;
    private State state = State.OPEN;
    private long bytesIn;

    StreamSession(EventLoop loop, SocketChannel channel, ListenMode mode, ConnectionTag tag, LinePrinter printer,
            Runnable onClose) {
        this.loop = loop;
        this.channel = channel;
        this.mode = mode;
        this.tag = tag;
        this.printer = printer;
        this.onClose = onClose;
    }

    void start() throws IOException {
        key = loop.register(channel, SelectionKey.OP_READ, this);
        loop.liveWork(1);
        Log.info(LOG, "open", "conn", tag.id(), "peer", tag.peer());
    }

    @Override
    public void ready(int readyOps) {
        try {
            if ((readyOps & SelectionKey.OP_READ) != 0 && state == State.OPEN) {
                read();
            }
            if (state != State.CLOSED && mode == ListenMode.ECHO && buf.position() > 0) {
                buf.flip();
                channel.write(buf);
                buf.compact();
            }
            if (state == State.DRAINING && buf.position() == 0) {
                close("closed by peer");
            } else if (state != State.CLOSED) {
                boolean pending = mode == ListenMode.ECHO && buf.position() > 0;
                key.interestOps(pending ? SelectionKey.OP_WRITE : state == State.OPEN ? SelectionKey.OP_READ : 0);
            }
        } catch (IOException e) {
            close(e.getMessage());
        }
    }

    private void read() throws IOException {
        int n = channel.read(buf);
        if (n < 0) {
            state = mode == ListenMode.ECHO && buf.position() > 0 ? State.DRAINING : State.CLOSED;
            if (state == State.CLOSED) {
                close("closed by peer");
            }
            return;
        }
        bytesIn += n;
        if (mode == ListenMode.ECHO) {
            return;
        }
        buf.flip();
        if (mode.prints()) {
            printer.print(tag, buf);
            printer.flush();
        }
        buf.clear();
    }

    @Override
    public void failed(RuntimeException fault) {
        close(fault.toString());
    }

    void close(String why) {
        if (state == State.CLOSED && key != null && !key.isValid()) {
            return;
        }
        state = State.CLOSED;
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closed either way
        }
        if (mode.prints()) {
            printer.finish(tag);
            printer.flush();
        }
        loop.liveWork(-1);
        Log.info(LOG, "close", "conn", tag.id(), "peer", tag.peer(), "bytes_in", bytesIn, "reason", why);
        onClose.run();
    }
}
