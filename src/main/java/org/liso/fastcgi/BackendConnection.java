package org.liso.fastcgi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import org.liso.loop.EventLoop;
import org.liso.loop.Readiness;

/**
 * One connection to a FastCGI application, registered on the loop of the client connection it serves: connects
 * without blocking, writes whole records from a queue, and hands every read to its current user. Loop thread only.
 *
 * <pre>
 *   CONNECTING --connected--> OPEN (busy: a user; idle: in its pool, watched for the application closing it)
 *        \--refused / failed--> CLOSED <--EOF, error, close()-- OPEN
 * </pre>
 */
final class BackendConnection implements Readiness {

    /** Where the socket stands. */
    enum State { CONNECTING, OPEN, CLOSED }

    /** The request currently using the connection. */
    interface User {
        void connected();

        /** Bytes from the application: the user takes them all. */
        void input(ByteBuffer in);

        /** Everything queued was written. */
        void drained();

        /** The connection is gone (EOF, an error or the loop stopping); {@code why} says what, for the log. */
        void closed(String why);
    }

    /** Reads per readiness at most, so one fast application cannot hold the loop. */
    private static final int READS_PER_EVENT = 8;

    private final SocketChannel channel;
    private SelectionKey key;
    private final BackendPool pool;
    private final ArrayDeque<ByteBuffer> output = new ArrayDeque<>();
    /** The pool's, shared by its connections: a read is handed over whole before the loop does anything else. */
    private final ByteBuffer input;
    private State state;
    private User user;
    private boolean readPaused;
    private int requests;
    /** The application answered a request here: a worker took the connection (see {@link LearnedLimit}). */
    private boolean answered;

    private BackendConnection(SocketChannel channel, BackendPool pool, boolean connected) {
        this.channel = channel;
        this.pool = pool;
        this.input = pool.readBuffer();
        this.state = connected ? State.OPEN : State.CONNECTING;
    }

    /** Starts connecting to {@code backend} (a Unix socket usually connects at once, TCP on readiness). */
    static BackendConnection open(EventLoop loop, BackendAddress backend, BackendPool pool) throws IOException {
        SocketChannel ch = SocketChannel.open(backend.family());
        try {
            ch.configureBlocking(false);
            boolean connected = ch.connect(backend.address());
            BackendConnection c = new BackendConnection(ch, pool, connected);
            c.key = loop.register(ch, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, c);
            return c;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Gives the connection to {@code u}; {@link User#connected} follows once the socket is connected. */
    void use(User u) {
        user = u;
        requests++;
        readPaused = false;
        interest();
    }

    boolean connected() {
        return state == State.OPEN;
    }

    /** True when the connection served a request before the current one (the application may have closed it since). */
    boolean reused() {
        return requests > 1;
    }

    boolean open() {
        return state != State.CLOSED;
    }

    boolean answered() {
        return answered;
    }

    /** Queues whole records and writes what the socket takes now. */
    void write(ByteBuffer records) {
        output.add(records);
        if (state == State.OPEN) {
            flush();
        }
    }

    boolean outputEmpty() {
        return output.isEmpty();
    }

    void pauseReading() {
        readPaused = true;
        interest();
    }

    void resumeReading() {
        readPaused = false;
        interest();
    }

    /** Back in its pool: nothing may come until the next request, so a readable socket means it was closed. */
    void idle() {
        user = null;
        readPaused = false;
        interest();
    }

    @Override
    public void ready(int readyOps) {
        if (state == State.CONNECTING && (readyOps & SelectionKey.OP_CONNECT) != 0) {
            try {
                channel.finishConnect();
            } catch (IOException e) {
                close("cannot connect: " + e.getMessage());
                return;
            }
            state = State.OPEN;
            interest();
            if (user != null) {
                user.connected();
            }
        }
        if (state == State.OPEN && (readyOps & SelectionKey.OP_WRITE) != 0) {
            flush();
        }
        if (state == State.OPEN && (readyOps & SelectionKey.OP_READ) != 0) {
            read();
        }
    }

    private void flush() {
        try {
            while (!output.isEmpty()) {
                ByteBuffer b = output.peek();
                channel.write(b);
                if (b.hasRemaining()) {
                    interest();
                    return;
                }
                output.poll();
            }
        } catch (IOException e) {
            close("write failed: " + e.getMessage());
            return;
        }
        interest();
        if (user != null) {
            user.drained();
        }
    }

    private void read() {
        for (int i = 0; i < READS_PER_EVENT && state == State.OPEN && !readPaused; i++) {
            int n;
            try {
                n = channel.read(input);
            } catch (IOException e) {
                close("read failed: " + e.getMessage());
                return;
            }
            if (n < 0) {
                close(user == null ? null : "the application closed the connection");
                return;
            }
            if (n == 0) {
                return;
            }
            if (user == null) {
                close("the application sent bytes outside a request"); // nothing may arrive on an idle connection
                return;
            }
            if (!answered) {
                answered = true;
                pool.answered(this);
            }
            boolean emptied = input.hasRemaining(); // a read short of the buffer emptied the socket
            input.flip();
            try {
                user.input(input);
            } finally {
                input.clear();
            }
            if (emptied) {
                return; // the selector is level-triggered: it reports the socket again when more arrives
            }
        }
    }

    private void interest() {
        SelectionKey k = key;
        if (state == State.CLOSED || k == null || !k.isValid()) {
            return;
        }
        int ops;
        if (state == State.CONNECTING) {
            ops = SelectionKey.OP_CONNECT;
        } else {
            ops = (readPaused ? 0 : SelectionKey.OP_READ) | (output.isEmpty() ? 0 : SelectionKey.OP_WRITE);
        }
        try {
            k.interestOps(ops);
        } catch (CancelledKeyException gone) {
            // closed meanwhile; close() has told the user
        }
    }

    /** Closes the socket; the user, if any, hears {@link User#closed}. Idempotent. */
    void close(String why) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        output.clear();
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was pending that closing could lose
        }
        pool.forget(this);
        User u = user;
        user = null;
        if (u != null) {
            u.closed(why);
        }
    }

    /** Closes without telling the user (it let go of the connection itself). */
    void discard() {
        user = null;
        close(null);
    }

    @Override
    public void failed(RuntimeException fault) {
        close("fault: " + fault);
    }

    @Override
    public void abandoned() {
        close("the server is stopping");
    }
}
