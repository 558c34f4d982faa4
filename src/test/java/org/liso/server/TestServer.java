package org.liso.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.liso.loop.ConnectionBudget;
import org.liso.loop.EventLoop;
import org.liso.server.spi.Handler;
import org.liso.transport.TransportFactory;

/** An in-process server on 127.0.0.1:0 with its loop on its own thread, for tests. */
final class TestServer implements AutoCloseable {
    final EventLoop loop;
    final HttpServer server;
    final InetSocketAddress address;
    private final Thread thread;

    TestServer(ServerConfig config, Handler handler) throws Exception {
        this(config, handler, TransportFactory.PLAIN, 1024);
    }

    TestServer(ServerConfig config, Handler handler, TransportFactory transports, int maxConnections)
            throws Exception {
        loop = new EventLoop("test");
        server = new HttpServer(loop, config, handler, AccessLog.NONE, new ConnectionBudget(maxConnections));
        address = server.listen(new InetSocketAddress("127.0.0.1", 0), transports, 1024);
        thread = new Thread(loop::run, "test-loop");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return address.getPort();
    }

    /** Runs {@code task} on the loop and waits for its result. */
    <T> T onLoop(java.util.function.Supplier<T> task) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> f.complete(task.get()));
        return f.get(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        loop.stop();
        loop.awaitStop(5000);
    }
}
