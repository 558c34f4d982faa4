package org.liso.listen;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import org.liso.Log;
import org.liso.diag.Addresses;
import org.liso.diag.BindDiagnosis;
import org.liso.diag.BindDoctor;
import org.liso.loop.BindFailedException;
import org.liso.loop.ConnectionBudget;
import org.liso.loop.EventLoop;
import org.liso.loop.Listener;

/**
 * {@code liso listen}: the socat {@code TCP4-LISTEN:PORT,fork /dev/null} use case on one event loop. Every client
 * is a {@link StreamSession} (or a peer of the {@link DatagramSession}); a failed bind is explained by
 * {@link BindDoctor}, as every server's is.
 */
public final class ListenServer {
    private static final String LOG = "listen";

    private final EventLoop loop;
    private final ListenMode mode;
    private final ConnectionBudget budget;
    /** Pending connections a listener queues before accept(): the TCP listeners' 1024, for unix sockets too. */
    static final int BACKLOG = 1024;

    private final LinePrinter printer;
    private final int receiveBuffer;
    private long nextId;

    /**
     * @param receiveBuffer SO_RCVBUF asked for UDP sockets (the kernel caps it at net.core.rmem_max): a burst
     *                      of datagrams waits there while the loop is busy printing
     */
    public ListenServer(EventLoop loop, ListenMode mode, int maxConnections, PrintStream out, int receiveBuffer) {
        this.loop = loop;
        this.mode = mode;
        this.budget = new ConnectionBudget(maxConnections);
        this.printer = new LinePrinter(out, mode);
        this.receiveBuffer = receiveBuffer;
        BindDoctor.prepare();
    }

    /** Binds {@code spec} and starts serving; returns the bound address as text (the port, if 0 was asked). */
    public String open(ListenSpec spec, String bind) throws IOException {
        if (spec.kind() == ListenSpec.Kind.UNIX) {
            return openUnix(spec);
        }
        InetSocketAddress address = spec.address(bind);
        if (spec.kind().udp()) {
            return openUdp(address);
        }
        Listener l = Listener.open(loop, address, BACKLOG, budget, this::accepted);
        return Addresses.format(l.localAddress());
    }

    private void accepted(SocketChannel ch) throws IOException {
        SocketAddress remote = ch.getRemoteAddress();
        String peer = remote instanceof InetSocketAddress isa ? Addresses.format(isa) : "unix";
        new StreamSession(loop, ch, mode, new ConnectionTag(++nextId, peer), printer, budget::release).start();
    }

    private String openUdp(InetSocketAddress address) throws IOException {
        DatagramChannel ch = null;
        try {
            ch = DatagramChannel.open(address.getAddress() instanceof java.net.Inet4Address
                    ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
            ch.configureBlocking(false);
            ch.bind(address);
        } catch (IOException e) {
            if (ch != null) {
                ch.close();
            }
            throw new BindFailedException(BindDoctor.explain(address, true, e), e);
        }
        DatagramChannel bound = ch;
        new DatagramSession(bound, mode, printer, () -> ++nextId).start(loop);
        loop.onShutdown(() -> closeQuietly(bound));
        return Addresses.format((InetSocketAddress) bound.getLocalAddress());
    }

    private String openUnix(ListenSpec spec) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(spec.path()), BACKLOG);
        } catch (IOException e) {
            server.close();
            throw new BindFailedException(new BindDiagnosis(null, BindDiagnosis.Cause.IN_USE,
                    "Cannot listen on unix:" + spec.path() + ": " + e.getMessage() + UnixPath.why(spec.path())), e);
        }
        server.configureBlocking(false);
        SelectionKey key = loop.register(server, SelectionKey.OP_ACCEPT, ops -> acceptUnix(server));
        loop.onShutdown(() -> {
            key.cancel();
            closeQuietly(server);
            try {
                Files.deleteIfExists(spec.path());
            } catch (IOException ignored) {
                // left behind; the next bind will say so
            }
        });
        return "unix:" + spec.path();
    }

    private void acceptUnix(ServerSocketChannel server) {
        for (int i = 0; i < 64; i++) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                Log.warn(LOG, "accept failed", "error", e.toString());
                return;
            }
            if (ch == null) {
                return;
            }
            if (!budget.tryAcquire()) {
                closeQuietly(ch);
                continue;
            }
            try {
                ch.configureBlocking(false);
                accepted(ch);
            } catch (IOException e) {
                budget.release();
                closeQuietly(ch);
            }
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
