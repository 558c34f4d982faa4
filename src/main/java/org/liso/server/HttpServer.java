package org.liso.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.liso.http.Request;
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
 * protocol; one handler answers every request.
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
    private final LoopMetrics metrics;
    /** A shutdown is coming (the drain delay): responses say Connection: close. Set by the signal thread. */
    private volatile boolean draining;

    public HttpServer(EventLoop loop, ServerConfig config, Handler handler, AccessLog accessLog,
            ConnectionBudget budget) {
        this.loop = loop;
        this.config = config;
        this.handler = handler;
        this.accessLog = accessLog;
        this.budget = budget;
        this.buffers = new BufferPool(config.readBufferBytes(), 256);
        this.metrics = new LoopMetrics(loop);
        loop.onShutdown(() -> new ArrayList<>(open).forEach(ServerConnection::shutdownGracefully));
    }

    /** Binds {@code address} and serves it with transports from {@code transports}. Loop thread or before run(). */
    public InetSocketAddress listen(InetSocketAddress address, TransportFactory transports, int backlog)
            throws BindFailedException {
        Listener l = Listener.open(loop, address, backlog, budget, ch -> accepted(ch, transports));
        listeners.add(l);
        return l.localAddress();
    }

    private void accepted(SocketChannel ch, TransportFactory transports) throws IOException {
        if (config.sendBufferBytes() > 0) {
            ch.setOption(java.net.StandardSocketOptions.SO_SNDBUF, config.sendBufferBytes());
        }
        Transport t = new CountingTransport(transports.wrap(ch), metrics);
        metrics.accepted();
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
            budget.release();
            loop.liveWork(-1);
        }
    }

    /**
     * Hands {@code to} a copy of this server's counters, made on its loop's thread (a task queued there), so the
     * plain fields the loop writes are read by the loop itself. {@code to} runs on this server's loop.
     */
    public void snapshot(Consumer<LoopSnapshot> to) {
        loop.execute(() -> to.accept(metrics.snapshot(open)));
    }

    /** A response is over (sent, or cut off by a close): the access log's line and the counters. */
    void responded(InetSocketAddress peer, Request r, int status, long bytes, ErrorCause cause) {
        accessLog.log(peer, r, status, bytes);
        metrics.responded(r.version(), status, cause);
    }

    /** The answer to a request head that never parsed. */
    void respondedUnparsed(InetSocketAddress peer, int status, long bytes) {
        accessLog.logUnparsed(peer, status, bytes);
        metrics.responded(null, status, null);
    }

    /**
     * The drain before a shutdown began, from any thread: every response from now on closes its connection, so
     * keep-alive clients (a load balancer's pooled connections) reconnect, to a server that is still taking them.
     */
    public void drain() {
        draining = true;
    }

    boolean draining() {
        return draining;
    }

    LoopMetrics metrics() {
        return metrics;
    }

    public int openConnections() {
        return open.size();
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
