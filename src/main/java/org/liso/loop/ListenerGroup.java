package org.liso.loop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.liso.diag.BindDoctor;

/**
 * One address served by several loops: a listening socket per loop, all with SO_REUSEPORT on one port, so the kernel
 * spreads new connections over the loops (by a hash of the connection's addresses) and no loop hands a connection
 * to another.
 *
 * <p>SO_REUSEPORT would also let this server join a group some other process of the same user already listens
 * with, and silently take part of its clients. So the port is first checked with a plain bound (not listening)
 * socket, which any listener on it refuses: a port in use fails as it does for one loop, with the same diagnosis.
 * Port 0 is resolved by that check too, so every loop listens on the one port the kernel gave it.
 */
public final class ListenerGroup {

    private ListenerGroup() {
    }

    /** Whether this platform's sockets have SO_REUSEPORT (Linux ≥ 3.9, the BSDs, macOS). */
    public static boolean reusePortSupported() {
        try (ServerSocketChannel ch = ServerSocketChannel.open()) {
            return ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Binds {@code address} once per loop, each listener accepting with the acceptor {@code acceptors} gives for its
     * loop. Before the loops run.
     *
     * @throws BindFailedException with the diagnosis every command prints; no listener is left open then
     */
    public static List<Listener> open(List<EventLoop> loops, InetSocketAddress address, int backlog,
            ConnectionBudget budget, Function<EventLoop, Listener.Acceptor> acceptors) throws BindFailedException {
        InetSocketAddress resolved = check(address);
        List<Listener> opened = new ArrayList<>(loops.size());
        try {
            for (EventLoop loop : loops) {
                opened.add(Listener.open(loop, resolved, backlog, budget, acceptors.apply(loop), true));
            }
        } catch (BindFailedException e) {
            opened.forEach(Listener::close);
            throw e;
        }
        return opened;
    }

    /** The address with its port: binding it without SO_REUSEPORT shows whether anyone listens there. */
    private static InetSocketAddress check(InetSocketAddress address) throws BindFailedException {
        try (SocketChannel probe = SocketChannel.open(address.getAddress() instanceof java.net.Inet4Address
                ? java.net.StandardProtocolFamily.INET : java.net.StandardProtocolFamily.INET6)) {
            // SO_REUSEADDR as the listeners have it: TIME_WAIT left by an earlier run does not count as "in use".
            probe.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            probe.bind(address);
            InetSocketAddress bound = (InetSocketAddress) probe.getLocalAddress();
            return new InetSocketAddress(address.getAddress(), bound.getPort());
        } catch (IOException e) {
            throw new BindFailedException(BindDoctor.explain(address, false, e), e);
        }
    }
}
