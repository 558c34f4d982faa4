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
import org.liso.loop.NotSentLowWater;
import org.liso.server.spi.ErrorPageSource;
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
    /** Replaced only by {@link #useResponseFields}; each connection keeps the one it was accepted with. */
    private volatile ServerConfig config;
    private volatile ErrorPageSource errorPages = ErrorPageSource.NONE;
    private final Handler handler;
    private final AccessLog accessLog;
    private final ConnectionBudget budget;
    private final BufferPool buffers;
    private final ProxyOptions proxies;
    private final ByteBuffer scratch = ByteBuffer.allocate(16 * 1024);
    private final Set<ServerConnection> open = new HashSet<>();
    private final java.util.List<Listener> listeners = new ArrayList<>();
    private SendOptions send = SendOptions.DEFAULT;
    private Http2Options http2 = Http2Options.OFF;
    private final LoopMetrics metrics;
    /** What {@link #fields} made its two ServerFields from; loop thread only. */
    private ServerConfig fieldsConfig;
    private ErrorPageSource fieldsPages;
    private ServerFields plainFields;
    private ServerFields secureFields;
    /** A shutdown is coming (the drain delay): responses say Connection: close. Set by the signal thread. */
    private volatile boolean draining;
    /**
     * Connections open here or on their way (handed over by another loop, not yet set up): what an acceptor handing
     * connections out compares. Counted when a connection is given to this server, so a burst handed out before
     * this loop ran sees them.
     */
    private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();

    public HttpServer(EventLoop loop, ServerConfig config, Handler handler, AccessLog accessLog,
            ConnectionBudget budget) {
        this(loop, config, handler, accessLog, budget, ProxyOptions.NONE);
    }

    /** @param proxies whose word on the client's address is taken (PROXY headers, forwarded headers) */
    public HttpServer(EventLoop loop, ServerConfig config, Handler handler, AccessLog accessLog,
            ConnectionBudget budget, ProxyOptions proxies) {
        this.loop = loop;
        this.proxies = proxies;
        this.config = config;
        this.handler = handler;
        this.accessLog = accessLog;
        this.budget = budget;
        this.buffers = new BufferPool(config.readBufferBytes(), 256);
        this.metrics = new LoopMetrics(loop);
        // Deferred by one turn of the loop: the listeners' shutdown hooks first accept what is queued, and the
        // select before the task reads the requests already sent on those and on connections not read yet, so
        // that only connections with nothing asked are closed as idle.
        loop.onShutdown(() -> loop.execute(() -> new ArrayList<>(open).forEach(ServerConnection::shutdownGracefully)));
    }

    /** Where HTTP/2 is spoken (before {@link #listen}; off by default). */
    public void http2(Http2Options options) {
        this.http2 = java.util.Objects.requireNonNull(options);
    }

    Http2Options http2() {
        return http2;
    }

    /** Binds {@code address} and serves it with transports from {@code transports}. Loop thread or before run(). */
    public InetSocketAddress listen(InetSocketAddress address, TransportFactory transports, int backlog)
            throws BindFailedException {
        return listen(address, transports, backlog, false);
    }

    /**
     * As {@link #listen(InetSocketAddress, TransportFactory, int)}; with {@code proxyProtocol} every connection must
     * begin with a PROXY protocol header from a {@linkplain ProxyOptions#trusted() trusted} peer (read before TLS).
     * A listener without it never parses one.
     */
    public InetSocketAddress listen(InetSocketAddress address, TransportFactory transports, int backlog,
            boolean proxyProtocol) throws BindFailedException {
        Listener l = Listener.open(loop, address, backlog, budget, acceptor(transports, proxyProtocol));
        listeners.add(l);
        lowWater(l.port());
        return l.localAddress();
    }

    /** Sets the send queue's low-water mark on the listening sockets of {@code port} (accepted ones inherit it). */
    void lowWater(int port) {
        NotSentLowWater.apply(port, send.notSentLowWater()); // logs what it did
    }

    /** How much of a file one turn sends, and the send queue's low-water mark (before {@link #listen}). */
    public void send(SendOptions options) {
        this.send = java.util.Objects.requireNonNull(options);
    }

    SendOptions sendOptions() {
        return send;
    }

    /** What a listener of this loop does with a connection it accepted (it holds a slot of the budget). */
    Listener.Acceptor acceptor(TransportFactory transports, boolean proxyProtocol) {
        return ch -> {
            connections.incrementAndGet();
            try {
                accepted(ch, transports, proxyProtocol);
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
    void adopt(SocketChannel ch, TransportFactory transports, boolean proxyProtocol) {
        connections.incrementAndGet();
        loop.execute(() -> {
            try {
                accepted(ch, transports, proxyProtocol);
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

    private void accepted(SocketChannel ch, TransportFactory transports, boolean proxyProtocol) throws IOException {
        if (config.sendBufferBytes() > 0) {
            ch.setOption(java.net.StandardSocketOptions.SO_SNDBUF, config.sendBufferBytes());
        }
        metrics.accepted();
        if (proxyProtocol) {
            ProxyHeaderStage p = new ProxyHeaderStage(this, ch, transports);
            open.add(p);
            loop.liveWork(1);
            p.start();
            return;
        }
        Transport t = counted(transports.wrap(ch));
        ConnectionStart c = new ConnectionStart(this, t, transports.handshakeTimeoutMillis(),
                new ClientAddress((InetSocketAddress) ch.getRemoteAddress()));
        open.add(c);
        loop.liveWork(1);
        c.start();
    }

    /** The start stage found the protocol: the connection keeps its slot under its new type. */
    void handedOver(ServerConnection from, ServerConnection to) {
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

    /**
     * The fields every response gets (Server, the operator's extra fields, Strict-Transport-Security), for
     * connections accepted from now on (a SIGHUP reload); every other setting stays as the server was started.
     */
    public void useResponseFields(String serverHeader, java.util.List<String[]> extraHeaders, long hstsSeconds) {
        config = config.withServerHeader(serverHeader).withExtraHeaders(extraHeaders).withHsts(hstsSeconds);
    }

    /** The operator's pages for the errors the server answers itself, for connections accepted from now on. */
    public void useErrorPages(ErrorPageSource pages) {
        errorPages = java.util.Objects.requireNonNull(pages);
    }

    ErrorPageSource errorPages() {
        return errorPages;
    }

    /**
     * The server-owned fields for a connection accepted now (plain or over TLS), shared by this loop's connections
     * so that what they encode once (the field lines of a second) serves all of them; made anew after a reload
     * changed the config or the error pages. Loop thread only.
     */
    ServerFields fields(boolean secure) {
        ServerConfig c = config;
        ErrorPageSource p = errorPages;
        if (c != fieldsConfig || p != fieldsPages) {
            plainFields = new ServerFields(false, c, p);
            secureFields = new ServerFields(true, c, p);
            fieldsConfig = c;
            fieldsPages = p;
        }
        return secure ? secureFields : plainFields;
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

    /** {@code t}, its bytes counted in and out for the metrics. */
    Transport counted(Transport t) {
        return new CountingTransport(t, metrics);
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

    ProxyOptions proxyOptions() {
        return proxies;
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
