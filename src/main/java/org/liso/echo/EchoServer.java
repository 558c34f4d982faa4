package org.liso.echo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import org.liso.loop.BindFailedException;
import org.liso.loop.ConnectionBudget;
import org.liso.loop.EventLoop;
import org.liso.loop.Listener;
import org.liso.transport.PlainTransport;

/** A byte-exact echo server on an {@link EventLoop}: every byte a client sends comes back to it, in order. */
public final class EchoServer {
    public static final int DEFAULT_BUFFER = 16 * 1024;
    public static final long DEFAULT_IDLE_MILLIS = 300_000;

    private final EventLoop loop;
    private final ConnectionBudget budget;
    private final int bufferSize;
    private final long idleMillis;
    private final EchoStats stats = new EchoStats();
    private final Set<EchoConnection> open = new HashSet<>();
    private Listener listener;

    public EchoServer(EventLoop loop, ConnectionBudget budget, int bufferSize, long idleMillis) {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("buffer size must be positive");
        }
        this.loop = loop;
        this.budget = budget;
        this.bufferSize = bufferSize;
        this.idleMillis = idleMillis;
        loop.onShutdown(() -> new ArrayList<>(open).forEach(EchoConnection::finish));
    }

    /** Binds and starts accepting; call before the loop runs or on the loop thread. */
    public InetSocketAddress listen(InetSocketAddress address, int backlog) throws BindFailedException {
        listener = Listener.open(loop, address, backlog, budget, this::accepted);
        return listener.localAddress();
    }

    private void accepted(SocketChannel ch) throws IOException {
        EchoConnection c = new EchoConnection(loop, new PlainTransport(ch), bufferSize, idleMillis, budget, stats,
                open::remove);
        open.add(c);
        c.start();
    }

    public EchoStats stats() {
        return stats;
    }
}
