package org.liso.loop;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Locale;
import org.liso.Log;
import org.liso.ThrottledWarning;
import org.liso.diag.Addresses;
import org.liso.diag.BindDoctor;

/**
 * A non-blocking listening socket on an {@link EventLoop}. An IPv4 address gets an IPv4 socket; {@code ::} gets a
 * dual-stack IPv6 socket that accepts IPv4 too. SO_REUSEADDR is set so a restart is not blocked by TIME_WAIT.
 * Several loops serve one address through a {@link ListenerGroup}: one SO_REUSEPORT listener each.
 *
 * <p>A graceful shutdown accepts what is queued before it closes the socket: closing a listening socket resets the
 * connections in its accept queue, whose clients were already told "connected" and may have sent their request.
 * With SO_REUSEPORT every member has a queue of its own, and the kernel does not move it to the members left.
 *
 * <p>When accept fails for lack of file descriptors (EMFILE/ENFILE) the listener stops accepting for
 * {@link #BACKOFF_MILLIS} instead of spinning on a readiness it cannot serve. It logs that at most once per
 * {@link ThrottledWarning#INTERVAL_MILLIS}, with the pauses held back since the last line: a flood that keeps the
 * process at its descriptor limit for minutes must not write five lines a second.
 */
public final class Listener {

    /** Receives each accepted, non-blocking, TCP_NODELAY connection. */
    @FunctionalInterface
    public interface Acceptor {
        void accepted(SocketChannel channel) throws IOException;
    }

    static final long BACKOFF_MILLIS = 200;
    private static final int ACCEPTS_PER_WAKEUP = 64;
    private static final String LOG = "listen";

    private final EventLoop loop;
    private final ServerSocketChannel server;
    private final ConnectionBudget budget;
    private final Acceptor acceptor;
    private final InetSocketAddress local;
    private final SelectionKey key;
    private final Timer backoff;
    /** One for the process: descriptors run out for every listener (of every loop) at once. */
    private static final ThrottledWarning OUT_OF_DESCRIPTORS = new ThrottledWarning(LOG,
            "out of file descriptors, pausing accept", ThrottledWarning.INTERVAL_MILLIS);

    private Listener(EventLoop loop, ServerSocketChannel server, ConnectionBudget budget, Acceptor acceptor)
            throws IOException {
        this.loop = loop;
        this.server = server;
        this.budget = budget;
        this.acceptor = acceptor;
        this.local = (InetSocketAddress) server.getLocalAddress();
        this.key = loop.register(server, SelectionKey.OP_ACCEPT, ops -> acceptSome());
        this.backoff = loop.timer(this::resume);
        loop.onShutdown(this::drainAndClose);
    }

    /**
     * Binds {@code address} and starts accepting on {@code loop}. Loop thread only (or before the loop runs).
     *
     * @throws BindFailedException with the diagnosis every command prints
     */
    public static Listener open(EventLoop loop, InetSocketAddress address, int backlog, ConnectionBudget budget,
            Acceptor acceptor) throws BindFailedException {
        return open(loop, address, backlog, budget, acceptor, false);
    }

    /** Like {@link #open(EventLoop, InetSocketAddress, int, ConnectionBudget, Acceptor)}, optionally SO_REUSEPORT. */
    static Listener open(EventLoop loop, InetSocketAddress address, int backlog, ConnectionBudget budget,
            Acceptor acceptor, boolean reusePort) throws BindFailedException {
        ServerSocketChannel ch = null;
        try {
            ch = address.getAddress() instanceof Inet4Address
                    ? ServerSocketChannel.open(StandardProtocolFamily.INET)
                    : ServerSocketChannel.open();
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (reusePort) {
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            ch.configureBlocking(false);
            ch.bind(address, backlog);
            return new Listener(loop, ch, budget, acceptor);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new BindFailedException(BindDoctor.explain(address, false, e), e);
        }
    }

    public InetSocketAddress localAddress() {
        return local;
    }

    public int port() {
        return local.getPort();
    }

    /** Stops accepting; connections already accepted are not touched. */
    public void close() {
        backoff.cancel();
        key.cancel();
        closeQuietly(server);
    }

    private void drainAndClose() {
        if (key.isValid()) {
            acceptUpTo(Integer.MAX_VALUE);
        }
        close();
    }

    private void acceptSome() {
        acceptUpTo(ACCEPTS_PER_WAKEUP);
    }

    private void acceptUpTo(int most) {
        for (int i = 0; i < most; i++) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                onAcceptFailure(e);
                return;
            }
            if (ch == null) {
                return;
            }
            if (!budget.tryAcquire()) {
                refuse(ch);
                continue;
            }
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                acceptor.accepted(ch);
            } catch (IOException | RuntimeException e) {
                budget.release();
                closeQuietly(ch);
                Log.warn(LOG, "could not set up accepted connection", "error", e.toString());
            }
        }
    }

    private void refuse(SocketChannel ch) {
        long refused = budget.refused();
        if (refused % 1000 == 1) {
            Log.warn(LOG, "max-connections reached, closing new connections", "max", budget.max(),
                    "refused", refused, "address", Addresses.format(local));
        }
        try {
            // An RST frees the slot at once on both sides and costs the kernel no TIME_WAIT.
            ch.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException ignored) {
            // the close below still happens
        }
        closeQuietly(ch);
    }

    private void onAcceptFailure(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("too many open files")) {
            OUT_OF_DESCRIPTORS.warn("pause_ms", BACKOFF_MILLIS, "open", budget.open(), "address",
                    Addresses.format(local));
            key.interestOps(0);
            backoff.schedule(BACKOFF_MILLIS);
        } else if (server.isOpen()) {
            Log.warn(LOG, "accept failed", "error", e.toString());
        }
    }

    private void resume() {
        if (key.isValid()) {
            key.interestOps(SelectionKey.OP_ACCEPT);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
