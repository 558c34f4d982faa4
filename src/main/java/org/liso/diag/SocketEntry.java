package org.liso.diag;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One socket from the kernel's tables.
 *
 * @param udp     UDP rather than TCP
 * @param v6      read from the IPv6 table (tcp6/udp6); such a socket may carry IPv4 as IPv4-mapped addresses
 * @param v6only  IPV6_V6ONLY is set: an IPv6 wildcard socket that does not take IPv4 (false for IPv4 sockets)
 * @param local   local address and port
 * @param remote  peer address and port (wildcard and 0 when not connected)
 * @param state   kernel state
 * @param uid     owning user id
 * @param inode   socket inode ({@code socket:[inode]} in /proc/PID/fd); 0 for sockets no process holds: TIME-WAIT
 *                and other leftovers of closed connections, and connections still waiting in an accept queue
 * @param txQueue bytes queued to send; -1 when unknown
 * @param rxQueue bytes queued to read, or for a listener the connections waiting in its accept queue; -1 unknown
 */
public record SocketEntry(boolean udp, boolean v6, boolean v6only, InetSocketAddress local, InetSocketAddress remote,
        TcpState state, int uid, long inode, long txQueue, long rxQueue) {

    /** A socket whose v6only flag and queues are not known (an IPv6 wildcard then counts as dual-stack). */
    public SocketEntry(boolean udp, boolean v6, InetSocketAddress local, InetSocketAddress remote, TcpState state,
            int uid, long inode) {
        this(udp, v6, false, local, remote, state, uid, inode, -1, -1);
    }

    /** This socket with IPV6_V6ONLY as the kernel reports it. */
    public SocketEntry withV6Only(boolean only) {
        return new SocketEntry(udp, v6, only, local, remote, state, uid, inode, txQueue, rxQueue);
    }

    /** {@code tcp}, {@code tcp6}, {@code udp}, {@code udp6}: the /proc/net table it came from. */
    public String table() {
        return (udp ? "udp" : "tcp") + (v6 ? "6" : "");
    }

    public String protocol() {
        return udp ? "udp" : "tcp";
    }

    public int port() {
        return local.getPort();
    }

    /** A TCP listener, or a UDP socket bound but not connected (what {@code ss -l} shows). */
    public boolean isListening() {
        return udp ? state == TcpState.CLOSE : state == TcpState.LISTEN;
    }

    public boolean isWildcard() {
        return local.getAddress().isAnyLocalAddress();
    }

    /** An IPv6 wildcard socket without IPV6_V6ONLY: it takes IPv4 traffic on its port too. */
    public boolean isDualStack() {
        return v6 && !v6only && isWildcard() && !(local.getAddress() instanceof Inet4Address);
    }

    /**
     * Whether a packet for local {@code address} (on this socket's port) can reach this socket: the same address,
     * a wildcard of the same family, or a dual-stack IPv6 wildcard for IPv4. A wildcard {@code address} stands for
     * every address of its family (and of both, for a dual-stack [::]).
     */
    public boolean reachableAt(InetAddress address) {
        InetAddress held = local.getAddress();
        boolean heldV4 = held instanceof Inet4Address;
        boolean wantV4 = address instanceof Inet4Address;
        if (heldV4 == wantV4) {
            return held.equals(address) || held.isAnyLocalAddress() || address.isAnyLocalAddress();
        }
        // Across families only a dual-stack [::] takes IPv4; a [::] filter asks for everything on the port.
        return wantV4 ? isDualStack() : address.isAnyLocalAddress();
    }

    /** {@code *:*} for an unconnected peer, else the address. */
    public String remoteText() {
        InetAddress a = remote.getAddress();
        return a.isAnyLocalAddress() && remote.getPort() == 0 ? "*:*" : text(remote);
    }

    /** As {@code ss} writes it: a dual-stack IPv6 wildcard is {@code *:port}, a v6only one {@code [::]:port}. */
    public String localText() {
        return isDualStack() ? "*:" + local.getPort() : text(local);
    }

    /** IPv4 carried by an IPv6 socket is shown IPv4-mapped, as {@code ss} does: {@code [::ffff:127.0.0.1]:80}. */
    private String text(InetSocketAddress a) {
        if (v6 && a.getAddress() instanceof Inet4Address) {
            return "[::ffff:" + a.getAddress().getHostAddress() + "]:" + a.getPort();
        }
        return Addresses.format(a);
    }
}
