package org.liso.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.liso.diag.ProcNet;
import org.liso.diag.SocketEntry;
import org.liso.diag.TcpState;

/**
 * Runs each kind of exchange a test is about to repeat a few times before the test takes its baseline of the
 * server's descriptors and threads: the JVM opens some descriptors once, lazily (the first request opens a Unix
 * socket and /dev/null for good), and those are not leaks. A leak is what grows beyond that. Then it waits until
 * the server has closed every warm-up connection (its sockets are closed asynchronously, by the loop), so the
 * baseline holds none of them.
 */
public final class ServerWarmup {
    /** States of a server-side socket the server has not closed yet (closed ones go FIN-WAIT, LAST-ACK, gone). */
    private static final Set<TcpState> NOT_CLOSED_BY_SERVER = EnumSet.of(TcpState.ESTABLISHED, TcpState.CLOSE_WAIT,
            TcpState.SYN_RECV, TcpState.NEW_SYN_RECV);

    private ServerWarmup() {
    }

    public static void run(int port, List<KeepAliveLoad.Target> targets) throws Exception {
        KeepAliveLoad.Result r = KeepAliveLoad.run(port, 4, targets, 4, 10_000, 20_000);
        if (!r.clean()) {
            throw new IllegalStateException("warm-up requests failed: " + r.problems());
        }
        RawClient.send(port, "GET /missing HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 300,
                false);
        RawClient.send(port, "GET / HTTP/1.1\r\nHost : a\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 300, false);
        Await.until("the server to close its warm-up connections on 127.0.0.1:" + port, 10_000,
                () -> serverSideOpen(port), List::isEmpty);
    }

    /** The server's own sockets for accepted connections on 127.0.0.1:{@code port} that it has not closed yet. */
    public static List<SocketEntry> serverSideOpen(int port) throws IOException {
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        return ProcNet.read(Path.of("/proc")).stream()
                .filter(e -> !e.udp() && e.port() == port && e.local().getAddress().equals(loopback)
                        && NOT_CLOSED_BY_SERVER.contains(e.state()))
                .toList();
    }
}
