package org.liso.diag;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Listeners that share one address and port through SO_REUSEPORT. Linux lets a socket join such a group only when
 * it sets SO_REUSEPORT too and runs with the same effective uid as the group's first socket (net/core/sock_reuseport.c,
 * inet_csk_bind_conflict); the kernel then spreads connections over the members. /proc does not show the option, so
 * for TCP this process tries a bind with SO_REUSEPORT (not followed by listen, so it never takes a connection): it
 * works exactly when the holders set the option and the uid matches. UDP is not tried that way, because a bound UDP
 * member takes its share of datagrams at once; there the group is seen from two or more sockets on one address.
 *
 * @param members  the listening sockets
 * @param pids     every process holding one
 * @param uids     their owners' uids
 * @param joinable whether this process could join (null: not tried)
 */
record ReusePortGroup(List<OwnedSocket> members, Set<Long> pids, Set<Integer> uids, Boolean joinable) {

    /** The group behind {@code listeners}, or null when they are a plain listener without SO_REUSEPORT. */
    static ReusePortGroup of(InetSocketAddress address, boolean udp, List<OwnedSocket> listeners) {
        Set<Long> inodes = new LinkedHashSet<>();
        Set<Long> pids = new LinkedHashSet<>();
        Set<Integer> uids = new LinkedHashSet<>();
        List<OwnedSocket> same = new ArrayList<>();
        for (OwnedSocket o : listeners) {
            if (o.socket().local().equals(listeners.get(0).socket().local()) && inodes.add(o.socket().inode())) {
                same.add(o);
                uids.add(o.socket().uid());
                o.owners().forEach(p -> pids.add(p.pid()));
            }
        }
        Boolean joinable = udp ? null : joinsWithReusePort(address);
        boolean group = same.size() > 1 || Boolean.TRUE.equals(joinable);
        return group ? new ReusePortGroup(same, pids, uids, joinable) : null;
    }

    private static boolean joinsWithReusePort(InetSocketAddress address) {
        StandardProtocolFamily family = address.getAddress() instanceof Inet4Address
                ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
        try (ServerSocketChannel s = ServerSocketChannel.open(family)) {
            s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            s.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            s.bind(address, 1);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** One sentence: who is in the group, that it shares the port, and whether this process could join. */
    String text() {
        StringBuilder sb = new StringBuilder("the address is already in use (EADDRINUSE) by a SO_REUSEPORT group of ")
                .append(members.size()).append(" listener(s) on ").append(members.get(0).socket().localText())
                .append(" that share the port (the kernel spreads connections over them): ");
        List<String> who = new ArrayList<>();
        for (OwnedSocket o : members) {
            who.add(o.owners().isEmpty() ? "inode " + o.socket().inode() + " (" + o.ownersText() + ")"
                    : BindDoctor.shortOwners(o));
        }
        sb.append(String.join("; ", who)).append(". ");
        int me = HostFacts.effectiveUid();
        String uidText = uids.size() == 1 ? "uid " + uids.iterator().next() : "uids " + uids;
        if (Boolean.TRUE.equals(joinable)) {
            sb.append("This process (uid ").append(me).append(") could join it: it runs as ").append(uidText)
                    .append(" and a bind with SO_REUSEPORT works now (checked). Liso will not: it sets SO_REUSEPORT"
                            + " only among its own loops' listeners (--loops N), after a plain bind without it has"
                            + " shown the port free, so it never joins a group it did not open (it would silently"
                            + " take part of that server's clients); its bind fails.");
        } else if (joinable == null) {
            sb.append(uids.contains(me) && uids.size() == 1
                    ? "A socket that sets SO_REUSEPORT could join it as this uid (" + me + ")."
                    : "This process (uid " + me + ") could not join it: the group belongs to " + uidText
                            + ", and the kernel admits only the same effective uid.");
        } else {
            sb.append(uids.contains(me) && uids.size() == 1
                    ? "This process could not join it even with SO_REUSEPORT (its bind was refused: a member did"
                            + " not set the option)."
                    : "This process (uid " + me + ") could not join it: the group belongs to " + uidText
                            + ", and the kernel admits only the same effective uid.");
        }
        return sb.toString();
    }
}
