package org.liso.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import org.liso.bytes.BufferPool;
import org.liso.loop.BindFailedException;
import org.liso.loop.ConnectionBudget;
import org.liso.loop.EventLoop;
import org.liso.loop.Listener;
import org.liso.server.spi.Handler;
import org.liso.transport.Transport;
import org.liso.transport.TransportFactory;

/**
 * An HTTP server on one {@link EventLoop}: one or more listeners (plain and TLS on the same loop); each client
 * goes through a {@link ConnectionStart} (handshake, protocol) and is then served by the connection type of its
 * protocol; one handler answers every request. Several loops serve one address as a {@link ServerLoops}: an
 * HttpServer per loop, which is what holds a loop's own state (connections, buffers, access log buffer).
 */
public final class HttpServer {
    private final EventLoop loop;
    private final ServerConfig config;
    private final Handler handler;
    private final AccessLog accessLog;
    private final ConnectionBudget budget;
    private final BufferPool buffers;
    private final ByteBuffer scratch = ByteBuffer.allocate(16 * 1024);
    private final Set<ServerConnection> open = new HashSet<>();
    private final java.util.List<Listener> listeners = new ArrayList<>();
    /**
     * Connections open here or on their way (handed over by another loop, not yet set up): what an acceptor handing
     * connections out compares. Counted when a connection is given to this server, so a burst handed out before
     * this loop ran sees them.
     */
    private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();

    public HttpServer(EventLoop loop, ServerConfig config, Handler handler, AccessLog accessLog,
            ConnectionBudget budget) {
        this.loop = loop;
        this.config = config;
        this.handler = handler;
        this.accessLog = accessLog;
        this.budget = budget;
        this.buffers = new BufferPool(config.readBufferBytes(), 256);
        // Deferred by one turn of the loop: the listeners' shutdown hooks first accept what is queued, and the
        // select before the task reads the requests already sent on those and on connections not read yet, so
        // that only connections with nothing asked are closed as idle.
        loop.onShutdown(() -> loop.execute(() -> new ArrayList<>(open).forEach(ServerConnection::shutdownGracefully)));
    }

    /** Binds {@code address} and serves it with transports from {@code transports}. Loop thread or before run(). */
    public InetSocketAddress listen(InetSocketAddress address, TransportFactory transports, int backlog)
            throws BindFailedException {
        Listener l = Listener.open(loop, address, backlog, budget, acceptor(transports));
        listeners.add(l);
        return l.localAddress();
    }

    /** What a listener of this loop does with a connection it accepted (it holds a slot of the budget). */
    Listener.Acceptor acceptor(TransportFactory transports) {
        return ch -> {
            connections.incrementAndGet();
            try {
                accepted(ch, transports);
            } catch (IOException | RuntimeException e) {
                connections.decrementAndGet();
                throw e;
            }
        };
    }

    /**
     * Takes over a connection accepted by another loop's listener (with its budget slot). Any thread: the
     * connection is set up on this loop's thread.
     */
    void adopt(SocketChannel ch, TransportFactory transports) {
        connections.incrementAndGet();
        loop.execute(() -> {
            try {
                accepted(ch, transports);
            } catch (IOException | RuntimeException e) {
                connections.decrementAndGet();
                budget.release();
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // gone either way
                }
                org.liso.Log.warn("listen", "could not set up accepted connection", "error", e.toString());
            }
        });
    }

    private void accepted(SocketChannel ch, TransportFactory transports) throws IOException {
        if (config.sendBufferBytes() > 0) {
            ch.setOption(java.net.StandardSocketOptions.SO_SNDBUF, config.sendBufferBytes());
        }
        Transport t = transports.wrap(ch);
        ConnectionStart c = new ConnectionStart(this, t, transports.handshakeTimeoutMillis());
        open.add(c);
        loop.liveWork(1);
        c.start();
    }

    /** The start stage found the protocol: the connection keeps its slot under its new type. */
    void handedOver(ConnectionStart from, ServerConnection to) {
        open.remove(from);
        open.add(to);
    }

    void closed(ServerConnection c) {
        if (open.remove(c)) {
            connections.decrementAndGet();
            budget.release();
            loop.liveWork(-1);
        }
    }

    /** Connections open on this loop (or handed to it and not yet set up); from any thread, a moment's view. */
    public int openConnections() {
        return connections.get();
    }

    EventLoop loop() {
        return loop;
    }

    ServerConfig config() {
        return config;
    }

    Handler handler() {
        return handler;
    }

    AccessLog accessLog() {
        return accessLog;
    }

    BufferPool buffers() {
        return buffers;
    }

    /** A loop-wide buffer for bytes that are used at once (de-chunked body data, drained input). */
    ByteBuffer scratch() {
        return scratch;
    }
}
