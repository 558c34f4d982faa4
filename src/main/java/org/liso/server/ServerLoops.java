package org.liso.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.liso.Log;
import org.liso.loop.BindFailedException;
import org.liso.loop.ConnectionBudget;
import org.liso.loop.EventLoop;
import org.liso.loop.Listener;
import org.liso.loop.ListenerGroup;
import org.liso.server.spi.Handler;
import org.liso.transport.TransportFactory;

/**
 * One HTTP server on N event loops ({@code --loops}): each loop a thread with its own Selector, timers, buffer pool,
 * access-log buffer and connections, served by an {@link HttpServer} of its own; a connection stays on the loop that
 * accepted it for its whole life. What the loops share is safe from any thread by construction: the handler (the
 * small-file cache, CGI slots), the {@link ConnectionBudget}, the log writers behind the access and error logs, the
 * TLS context (swapped whole on reload).
 *
 * <p>Per-loop state is reached through {@link #servers()}: a counter kept per loop (a plain field its loop
 * writes) is read by summing over them, so no counter line is shared between loops on the request path.
 *
 * <p>Accepting ({@link Accepting}): with SO_REUSEPORT every loop listens on the port itself and the kernel spreads
 * the connections; without it loop 0 accepts and hands each connection to the loop with the fewest.
 */
public final class ServerLoops {

    /** How connections reach the loops. */
    public enum Accepting {
        /** A SO_REUSEPORT listener per loop, on one port: the kernel spreads connections (Linux, the BSDs). */
        REUSEPORT,
        /** One listener on loop 0, which hands each connection to the loop with the fewest open. */
        HANDOFF;

        /** SO_REUSEPORT where the platform has it. */
        public static Accepting best() {
            return ListenerGroup.reusePortSupported() ? REUSEPORT : HANDOFF;
        }
    }

    private final List<EventLoop> loops = new ArrayList<>();
    private final List<HttpServer> servers = new ArrayList<>();
    private final ConnectionBudget budget;
    private final Accepting accepting;

    /**
     * @param accessLog where access-log lines go (each loop formats its own), or null for none
     */
    public ServerLoops(int count, String name, ServerConfig config, Handler handler, org.liso.Log.Sink accessLog,
            ConnectionBudget budget, Accepting accepting) throws IOException {
        this(count, name, config, handler, accessLog, budget, accepting, ProxyOptions.NONE);
    }

    /** @param proxies whose word on the client's address is taken (PROXY headers, forwarded headers) */
    public ServerLoops(int count, String name, ServerConfig config, Handler handler, org.liso.Log.Sink accessLog,
            ConnectionBudget budget, Accepting accepting, ProxyOptions proxies) throws IOException {
        if (count < 1) {
            throw new IllegalArgumentException("loops must be at least 1, was " + count);
        }
        this.budget = budget;
        this.accepting = accepting;
        for (int i = 0; i < count; i++) {
            EventLoop loop = new EventLoop(count == 1 ? name : name + "-" + i);
            loops.add(loop);
            servers.add(new HttpServer(loop, config, handler, accessLog == null ? AccessLog.NONE
                    : new AccessLog(accessLog), budget, proxies));
        }
    }

    /** Binds {@code address} for every loop; before {@link #run}. Port 0 gives one port, shared by all loops. */
    public InetSocketAddress listen(InetSocketAddress address, TransportFactory transports, int backlog)
            throws BindFailedException {
        return listen(address, transports, backlog, false);
    }

    /** As {@link #listen(InetSocketAddress, TransportFactory, int)}; {@code proxyProtocol}: see {@link HttpServer}. */
    public InetSocketAddress listen(InetSocketAddress address, TransportFactory transports, int backlog,
            boolean proxyProtocol) throws BindFailedException {
        if (loops.size() == 1) {
            return servers.get(0).listen(address, transports, backlog, proxyProtocol);
        }
        if (accepting == Accepting.REUSEPORT) {
            List<Listener> group = ListenerGroup.open(loops, address, backlog, budget,
                    loop -> servers.get(loops.indexOf(loop)).acceptor(transports, proxyProtocol));
            servers.get(0).lowWater(group.get(0).port());
            return group.get(0).localAddress();
        }
        HttpServer first = servers.get(0);
        Listener.Acceptor local = first.acceptor(transports, proxyProtocol);
        Listener l = Listener.open(loops.get(0), address, backlog, budget,
                ch -> handOff(ch, transports, local, proxyProtocol));
        servers.get(0).lowWater(l.port());
        return l.localAddress();
    }

    /** Loop 0: the connection goes to the loop with the fewest; while shutting down loop 0 keeps it (see below). */
    private void handOff(SocketChannel ch, TransportFactory transports, Listener.Acceptor local,
            boolean proxyProtocol) throws IOException {
        HttpServer target = servers.get(0);
        // A loop that stopped draining runs no more tasks: during a shutdown what loop 0 accepts stays with it.
        if (!loops.get(0).isShuttingDown()) {
            for (HttpServer s : servers) {
                if (s.openConnections() < target.openConnections()) {
                    target = s;
                }
            }
        }
        if (target == servers.get(0)) {
            local.accepted(ch);
        } else {
            target.adopt(ch, transports, proxyProtocol);
        }
    }

    /** Where HTTP/2 is spoken, on every loop (before {@link #listen}). */
    public void http2(Http2Options options) {
        servers.forEach(s -> s.http2(options));
    }

    /** The send quantum and low-water mark, on every loop (before {@link #listen}). */
    public void send(SendOptions options) {
        servers.forEach(s -> s.send(options));
    }

    /** The drain before a shutdown, on every loop; any thread. */
    public void drain() {
        servers.forEach(HttpServer::drain);
    }

    /** New response fields (a SIGHUP reload) for connections accepted from now on, on every loop. */
    public void useResponseFields(String serverHeader, List<String[]> extraHeaders, long hstsSeconds) {
        servers.forEach(s -> s.useResponseFields(serverHeader, extraHeaders, hstsSeconds));
    }

    /** The operator's pages for the errors the server answers itself, on every loop. */
    public void useErrorPages(org.liso.server.spi.ErrorPageSource pages) {
        servers.forEach(s -> s.useErrorPages(pages));
    }

    public List<EventLoop> loops() {
        return List.copyOf(loops);
    }

    /** The per-loop servers, loop 0 first. */
    public List<HttpServer> servers() {
        return List.copyOf(servers);
    }

    public Accepting accepting() {
        return loops.size() == 1 ? null : accepting;
    }

    /** Runs {@code hook} once, on loop 0's thread, when a graceful shutdown begins. */
    public void onShutdown(Runnable hook) {
        loops.get(0).onShutdown(hook);
    }

    /**
     * Runs every loop (loop 0 on the calling thread, the others on threads of their own) until all have stopped. A
     * loop that dies of a fault its guard could not catch stops the others, so the process does not serve on
     * with part of its cores.
     */
    public void run() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (EventLoop loop : loops.subList(1, loops.size())) {
            Thread t = new Thread(() -> runGuarded(loop), loop.name());
            threads.add(t);
            t.start();
        }
        try {
            runGuarded(loops.get(0));
        } finally {
            for (Thread t : threads) {
                t.join();
            }
        }
    }

    private void runGuarded(EventLoop loop) {
        try {
            loop.run();
        } catch (RuntimeException | Error fault) {
            Log.error("loop", "loop died, stopping the server", "loop", loop.name(), "error", fault.toString());
            stop();
            throw fault;
        }
    }

    /** Begins a graceful shutdown of every loop; any thread. */
    public void shutdown(long graceMillis) {
        loops.forEach(l -> l.shutdown(graceMillis));
    }

    /** Stops every loop at once; any thread. */
    public void stop() {
        loops.forEach(EventLoop::stop);
    }

    /** Connections open on all loops (a moment's view). */
    public int openConnections() {
        return servers.stream().mapToInt(HttpServer::openConnections).sum();
    }
}
