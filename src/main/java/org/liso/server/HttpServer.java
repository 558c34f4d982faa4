package org.liso.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import org.liso.Log;
import org.liso.bytes.BufferPool;
import org.liso.loop.BindFailedException;
import org.liso.loop.ConnectionBudget;
import org.liso.loop.EventLoop;
import org.liso.loop.Listener;
import org.liso.loop.NotSentLowWater;
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
    private final SendOptions send;

    public HttpServer(EventLoop loop, ServerConfig config, Handler handler, AccessLog accessLog,
            ConnectionBudget budget) {
        this(loop, config, handler, accessLog, budget, SendOptions.DEFAULT);
    }

    public HttpServer(EventLoop loop, ServerConfig config, Handler handler, AccessLog accessLog,
            ConnectionBudget budget, SendOptions send) {
        this.send = send;
        this.loop = loop;
        this.config = config;
        this.handler = handler;
        this.accessLog = accessLog;
        this.budget = budget;
        this.buffers = new BufferPool(config.readBufferBytes(), 256);
        loop.onShutdown(() -> new ArrayList<>(open).forEach(ServerConnection::shutdownGracefully));
    }

    /** Binds {@code address} and serves it with transports from {@code transports}. Loop thread or before run(). */
    public InetSocketAddress listen(InetSocketAddress address, TransportFactory transports, int backlog)
            throws BindFailedException {
        Listener l = Listener.open(loop, address, backlog, budget, ch -> accepted(ch, transports));
        listeners.add(l);
        NotSentLowWater.Outcome lowat = NotSentLowWater.apply(l.port(), send.notSentLowWater());
        Log.debug("http", "notsent_lowat", "port", l.port(), "bytes", send.notSentLowWater(),
                "listeners", lowat.sockets(), "skipped", lowat.skipped());
        return l.localAddress();
    }

    SendOptions sendOptions() {
        return send;
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
            budget.release();
            loop.liveWork(-1);
        }
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
