package org.liso.diag;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A snapshot of the host's TCP and UDP sockets with their owners: from /proc on Linux, else from {@code ss}
 * (its output parsed by {@link SsOutput}), and {@link #source()} says which.
 *
 * @param sockets    every socket seen
 * @param source     where they came from, for the report
 * @param unreadable processes whose sockets could not be attributed (other users' without root)
 */
public record SocketTable(List<OwnedSocket> sockets, String source, int unreadable) {

    private static final Path PROC = Path.of("/proc");

    /** Reads the live tables of this host. */
    public static SocketTable snapshot() throws IOException {
        if (ProcNet.available(PROC)) {
            SocketTable t = fromProc(PROC, UserNames.load(Path.of("/etc/passwd")));
            // Only an IPv6 wildcard's flag changes anything, and asking ss costs a process (and descriptors).
            boolean wildcards = t.sockets.stream().anyMatch(o -> o.socket().v6() && o.socket().isWildcard()
                    && o.socket().isListening());
            if (!wildcards) {
                return t;
            }
            V6OnlyFlags flags = FdHeadroom.now().free() < V6OnlyFlags.MIN_FREE_FDS ? V6OnlyFlags.unknown()
                    : V6OnlyFlags.live();
            List<OwnedSocket> marked = new ArrayList<>(t.sockets.size());
            for (OwnedSocket o : t.sockets) {
                marked.add(new OwnedSocket(flags.apply(o.socket()), o.owners()));
            }
            return new SocketTable(marked, t.source + (flags.known() ? "" : " (IPV6_V6ONLY unknown without ss:"
                    + " assumed net.ipv6.bindv6only=" + HostFacts.bindV6Only() + ")"), t.unreadable);
        }
        return SsOutput.snapshot();
    }

    /** Reads the tables and fd links under {@code procRoot} (a captured tree in tests). */
    public static SocketTable fromProc(Path procRoot, UserNames names) throws IOException {
        List<SocketEntry> entries = ProcNet.read(procRoot);
        SocketOwners owners = SocketOwners.scan(procRoot, names);
        List<OwnedSocket> out = new ArrayList<>(entries.size());
        for (SocketEntry e : entries) {
            out.add(new OwnedSocket(e, e.inode() == 0 ? List.of() : owners.of(e.inode())));
        }
        return new SocketTable(out, procRoot + "/net", owners.unreadable());
    }

    /** Sockets on local {@code port}; {@code tcp}/{@code udp} choose protocols, {@code all} adds non-listeners. */
    public List<OwnedSocket> onPort(int port, boolean tcp, boolean udp, boolean all) {
        List<OwnedSocket> out = new ArrayList<>();
        for (OwnedSocket o : sockets) {
            SocketEntry s = o.socket();
            if (s.port() == port && (s.udp() ? udp : tcp) && (all || s.isListening())) {
                out.add(o);
            }
        }
        return out;
    }

    /** The client ends of connections to {@code port}: sockets whose remote port it is (and local port is not). */
    public List<OwnedSocket> clientsOf(int port, boolean tcp, boolean udp) {
        List<OwnedSocket> out = new ArrayList<>();
        for (OwnedSocket o : sockets) {
            SocketEntry s = o.socket();
            if (s.remote().getPort() == port && s.port() != port && (s.udp() ? udp : tcp)) {
                out.add(o);
            }
        }
        return out;
    }

    /**
     * The listener a connection socket nobody holds yet came through: an established connection with inode 0 and a
     * listener on its local address waits in that listener's accept queue (accept() has not taken it).
     */
    public OwnedSocket acceptQueueOf(SocketEntry s) {
        if (s.udp() || s.inode() != 0 || s.state() != TcpState.ESTABLISHED && s.state() != TcpState.SYN_RECV
                && s.state() != TcpState.NEW_SYN_RECV) {
            return null;
        }
        for (OwnedSocket o : sockets) {
            SocketEntry l = o.socket();
            if (!l.udp() && l.state() == TcpState.LISTEN && l.port() == s.port()
                    && l.reachableAt(s.local().getAddress())) {
                return o;
            }
        }
        return null;
    }

    /** Every listener (TCP LISTEN, bound UDP) of the chosen protocols. */
    public List<OwnedSocket> listeners(boolean tcp, boolean udp) {
        List<OwnedSocket> out = new ArrayList<>();
        for (OwnedSocket o : sockets) {
            SocketEntry s = o.socket();
            if ((s.udp() ? udp : tcp) && s.isListening()) {
                out.add(o);
            }
        }
        return out;
    }

    /**
     * Sockets that keep a bind of {@code address}:{@code port} from succeeding: same protocol and port, and local
     * addresses that overlap. A wildcard overlaps every address of its family; an IPv6 wildcard socket that is not
     * v6only (Linux's default) also covers every IPv4 address, and IPv4 sockets block such a dual-stack bind.
     */
    public List<OwnedSocket> conflicting(InetAddress address, int port, boolean udp) {
        List<OwnedSocket> out = new ArrayList<>();
        for (OwnedSocket o : sockets) {
            SocketEntry s = o.socket();
            if (s.udp() != udp || s.port() != port) {
                continue;
            }
            if (!udp && s.state() != TcpState.LISTEN && !s.state().isLingering()
                    && s.state() != TcpState.ESTABLISHED && s.state() != TcpState.CLOSE_WAIT) {
                continue;
            }
            if (overlaps(s, address)) {
                out.add(o);
            }
        }
        return out;
    }

    static boolean overlaps(SocketEntry s, InetAddress wanted) {
        InetAddress held = s.local().getAddress();
        boolean heldV4 = held instanceof Inet4Address;
        boolean wantedV4 = wanted instanceof Inet4Address;
        if (held.equals(wanted)) {
            return true;
        }
        if (heldV4 == wantedV4) {
            return held.isAnyLocalAddress() || wanted.isAnyLocalAddress();
        }
        // Across families only a dual-stack IPv6 wildcard meets IPv4 (a bind of [::] here is dual-stack unless the
        // sysctl makes new sockets v6only).
        return s.isDualStack()
                || !s.v6() && wanted instanceof Inet6Address && wanted.isAnyLocalAddress()
                        && HostFacts.bindV6Only() != 1;
    }
}
