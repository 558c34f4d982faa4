package org.liso.diag;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One socket from the kernel's tables.
 *
 * @param udp    UDP rather than TCP
 * @param v6     read from the IPv6 table (tcp6/udp6); such a socket may carry IPv4 as IPv4-mapped addresses
 * @param local  local address and port
 * @param remote peer address and port (wildcard and 0 when not connected)
 * @param state  kernel state
 * @param uid    owning user id
 * @param inode  socket inode ({@code socket:[inode]} in /proc/PID/fd); 0 for TIME_WAIT sockets, which no process owns
 */
public record SocketEntry(boolean udp, boolean v6, InetSocketAddress local, InetSocketAddress remote, TcpState state,
        int uid, long inode) {

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

    /** {@code *:*} for an unconnected peer, else the address. */
    public String remoteText() {
        InetAddress a = remote.getAddress();
        return a.isAnyLocalAddress() && remote.getPort() == 0 ? "*:*" : text(remote);
    }

    public String localText() {
        return text(local);
    }

    /** IPv4 carried by an IPv6 socket is shown IPv4-mapped, as {@code ss} does: {@code [::ffff:127.0.0.1]:80}. */
    private String text(InetSocketAddress a) {
        if (v6 && a.getAddress() instanceof java.net.Inet4Address) {
            return "[::ffff:" + a.getAddress().getHostAddress() + "]:" + a.getPort();
        }
        return Addresses.format(a);
    }
}
