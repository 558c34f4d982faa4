package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.KeepAliveLoad;
import org.liso.testing.LisoProcess;
import org.liso.testing.ProcStats;
import org.liso.testing.ServerWarmup;

/**
 * 10,000 connections opened and abandoned without sending a byte: the header timeout must close every one of them
 * (quietly: RFC 9112 §9.5 lets a server close a connection that never sent a request), none may be refused, and the
 * server must serve normally afterwards with the descriptors it had before.
 */
class AbandonedConnectionsIT {
    private static final int CONNECTIONS = 10_000;

    @TempDir
    Path root;

    @Test
    void headerTimeoutClosesTenThousandSilentConnections() throws Exception {
        byte[] page = "abandoned\n".getBytes();
        Files.write(root.resolve("index.html"), page);
        List<KeepAliveLoad.Target> files = List.of(new KeepAliveLoad.Target("/index.html", page));
        try (LisoProcess liso = LisoProcess.start(1, "serve", "--root", root.toString(), "--http", "127.0.0.1:0",
                "--max-connections", "12000", "--header-timeout", "2", "-q")) {
            int port = liso.port(0);
            ServerWarmup.run(port, files);
            ProcStats before = ProcStats.of(liso.pid());
            long start = System.nanoTime();
            long closed = 0;
            long resets = 0;
            long bytesReceived = 0;
            long peakServerFds = 0;
            try (Selector selector = Selector.open()) {
                ByteBuffer buf = ByteBuffer.allocate(1024);
                long deadline = start + 40_000_000_000L;
                long nextFdCount = 0;
                int opened = 0;
                while (closed < CONNECTIONS && System.nanoTime() < deadline) {
                    // 200 every 40 ms (5,000/s): a burst the 1024-entry accept queue absorbs, so that no connection
                    // is left half-open by the kernel (accept-queue overflow), which no server timeout could see.
                    for (int i = 0; i < 200 && opened < CONNECTIONS; i++, opened++) {
                        SocketChannel ch = SocketChannel.open();
                        ch.configureBlocking(false);
                        ch.connect(new InetSocketAddress("127.0.0.1", port));
                        ch.register(selector, SelectionKey.OP_CONNECT);
                    }
                    selector.select(40);
                    for (SelectionKey k : selector.selectedKeys()) {
                        SocketChannel ch = (SocketChannel) k.channel();
                        try {
                            if (k.isConnectable()) {
                                ch.finishConnect();
                                k.interestOps(SelectionKey.OP_READ);
                                continue;
                            }
                            buf.clear();
                            int n = ch.read(buf);
                            if (n > 0) {
                                bytesReceived += n;
                                continue;
                            }
                        } catch (IOException reset) {
                            resets++;
                        }
                        closed++;
                        k.cancel();
                        ch.close();
                    }
                    selector.selectedKeys().clear();
                    if (System.nanoTime() > nextFdCount) {
                        peakServerFds = Math.max(peakServerFds, ProcStats.of(liso.pid()).fds());
                        nextFdCount = System.nanoTime() + 500_000_000L;
                    }
                }
                long stillConnected = 0;
                for (SelectionKey k : selector.keys()) {
                    stillConnected += ((SocketChannel) k.channel()).isConnected() ? 1 : 0;
                    k.channel().close();
                }
                if (closed < CONNECTIONS) {
                    System.out.println("AbandonedConnectionsIT: left open: " + (CONNECTIONS - closed) + ", of which "
                            + stillConnected + " connected; server fds now " + ProcStats.of(liso.pid()).fds());
                }
            }
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            System.out.println("AbandonedConnectionsIT: " + closed + " of " + CONNECTIONS + " closed by the server in "
                    + seconds + " s (" + resets + " resets, " + bytesReceived + " bytes), server fds peaked at "
                    + peakServerFds);
            assertThat(closed).as("connections the server closed").isEqualTo(CONNECTIONS);
            assertThat(resets).as("connections refused or reset").isZero();
            assertThat(bytesReceived).as("bytes sent to connections that never spoke").isZero();
            assertThat(peakServerFds).as("the server held them at once").isGreaterThan(CONNECTIONS / 2);

            KeepAliveLoad.Result after = KeepAliveLoad.run(port, 20, files, 50, 20_000, 30_000);
            assertThat(after.problems()).isEmpty();
            assertThat(after.ok()).isEqualTo(20 * 50);
            ProcStats now = ProcStats.settle(liso.pid(), before, 10_000);
            System.out.println("AbandonedConnectionsIT: server before " + before + ", after " + now);
            assertThat(now.fds()).as("server fds").isLessThanOrEqualTo(before.fds());
            assertThat(now.threads()).as("server threads").isLessThanOrEqualTo(before.threads());
        }
    }
}
