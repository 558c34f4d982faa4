package org.liso.transport.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.liso.loop.ConnectionBudget;
import org.liso.loop.EventLoop;
import org.liso.loop.Listener;
import org.liso.transport.TransportFactory;

/**
 * Test-only server on the real loop and listener, generic over the transport: {@link Mode#ECHO} sends every byte
 * back; {@link Mode#HTTP} answers one request with a fixed body or a file sent through
 * {@link org.liso.transport.Transport#transferFrom}, then closes with close_notify.
 */
final class TestServer implements AutoCloseable {

    enum Mode { ECHO, HTTP }

    final EventLoop loop;
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger handshakeTimeouts = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger handshakes = new AtomicInteger();
    final AtomicInteger closeNotifies = new AtomicInteger();
    /** What {@code Transport.applicationProtocol()} said after each handshake, in order ("null" for null). */
    final java.util.Queue<String> alpn = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Set<TestConnection> connections = new HashSet<>();
    private final Thread thread;
    private final Listener listener;
    volatile TransportFactory factory;

    TestServer(TransportFactory factory, Mode mode, long handshakeTimeoutMillis, Path file, byte[] body)
            throws IOException {
        this.factory = factory;
        this.loop = new EventLoop("tls-test");
        this.listener = Listener.open(loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512,
                new ConnectionBudget(4096), ch -> accepted(ch, mode, handshakeTimeoutMillis, file, body));
        this.thread = new Thread(loop::run, "tls-test-loop");
        thread.setDaemon(true);
        thread.start();
    }

    static TestServer echo(TransportFactory factory, long handshakeTimeoutMillis) throws IOException {
        return new TestServer(factory, Mode.ECHO, handshakeTimeoutMillis, null, null);
    }

    int port() {
        return listener.port();
    }

    private void accepted(SocketChannel ch, Mode mode, long timeout, Path file, byte[] body) throws IOException {
        accepted.incrementAndGet();
        TestConnection c = new TestConnection(this, factory.wrap(ch), mode, file, body);
        connections.add(c);
        open.incrementAndGet();
        c.start(timeout);
    }

    void closed(TestConnection c) {
        connections.remove(c);
        open.decrementAndGet();
    }

    /** Runs {@code query} on the loop thread and returns its answer. */
    <T> T onLoop(Supplier<T> query) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(query.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(10, TimeUnit.SECONDS);
    }

    /** Connections currently leasing pooled buffers on the loop thread. */
    int leasedBuffers(int size) throws Exception {
        return onLoop(() -> BufferPool.forCurrentThread(size).leased());
    }

    int openConnections() throws Exception {
        return onLoop(() -> new ArrayList<>(connections).size());
    }

    @Override
    public void close() {
        loop.stop();
        try {
            loop.awaitStop(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
