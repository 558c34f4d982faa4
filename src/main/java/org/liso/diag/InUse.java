package org.liso.diag;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * EADDRINUSE explained from the sockets that hold the port, in the order that decides what to do: a listener (or a
 * SO_REUSEPORT group of them), connections a live process still holds (CLOSE-WAIT never expires), and leftovers of
 * closed connections only the kernel holds (TIME-WAIT, which does). Every remedy named is checked first.
 */
final class InUse {

    private InUse() {
    }

    /** Why a bind of {@code address} fails with EADDRINUSE, given the overlapping {@code holders}. */
    static BindDiagnosis explain(InetSocketAddress address, boolean udp, String head, List<OwnedSocket> holders) {
        int port = address.getPort();
        List<OwnedSocket> listeners = holders.stream().filter(o -> o.socket().isListening()).toList();
        List<OwnedSocket> held = holders.stream()
                .filter(o -> !o.socket().isListening() && !o.owners().isEmpty()).toList();
        String another = " or use another port (`liso free-port`).";
        if (!listeners.isEmpty()) {
            ReusePortGroup group = ReusePortGroup.of(address, udp, listeners);
            String kill = stop(listeners, "liso who " + port + (udp ? " --udp" : "") + " --kill");
            if (group != null) {
                return new BindDiagnosis(address, BindDiagnosis.Cause.IN_USE, head + group.text() + " Stop them"
                        + kill + "," + another);
            }
            OwnedSocket first = listeners.get(0);
            return new BindDiagnosis(address, BindDiagnosis.Cause.IN_USE, head + "the address is already in use"
                    + " (EADDRINUSE) by " + BindDoctor.shortOwners(first) + ", " + (udp ? "bound to " : "listening on ")
                    + first.socket().localText() + dualStack(address, udp, first.socket()) + ". Stop it" + kill + ","
                    + another);
        }
        if (!held.isEmpty()) {
            return new BindDiagnosis(address, BindDiagnosis.Cause.IN_USE_CONNECTION, head + "no process listens,"
                    + " but " + heldText(held, port) + " (EADDRINUSE). Fix the program so it closes them, stop it"
                    + stop(held, "liso who " + port + " --kill") + "," + another);
        }
        if (!holders.isEmpty()) {
            // Linux lets SO_REUSEADDR bind over TIME-WAIT only when the closed socket had SO_REUSEADDR too
            // (inet_csk_bind_conflict): a listener that set it leaves connections that do not block a restart.
            return new BindDiagnosis(address, BindDiagnosis.Cause.IN_USE_TIME_WAIT, head + "no process listens,"
                    + " but " + holders.size() + " socket(s) of closed connections ("
                    + holders.get(0).socket().state().label() + ") still hold port " + port + " (EADDRINUSE)."
                    + " SO_REUSEADDR lets a new bind over them, and Liso sets it; here their previous owner did not"
                    + " set it, so the kernel keeps the port until they expire (TIME-WAIT lasts 60 s). Wait,"
                    + another);
        }
        return new BindDiagnosis(address, BindDiagnosis.Cause.IN_USE, head + "the address is already in use"
                + " (EADDRINUSE) by a socket this user cannot attribute to a process; run `liso who " + port
                + " --all` as root to see it," + another);
    }

    /**
     * "pid 42 (python3 …, user root) still holds 1 connection on port P in CLOSE-WAIT: …". CLOSE-WAIT means the
     * peer closed and this process has not (RFC 9293 section 3.6): no timer ends it, only close() or the process's exit.
     */
    static String heldText(List<OwnedSocket> held, int port) {
        Set<String> owners = new LinkedHashSet<>();
        Set<String> states = new LinkedHashSet<>();
        for (OwnedSocket o : held) {
            owners.add(BindDoctor.shortOwners(o));
            states.add(o.socket().state().label());
        }
        boolean closeWait = states.contains(TcpState.CLOSE_WAIT.label());
        return String.join(" and ", owners) + " still hold" + (owners.size() == 1 ? "s " : " ") + held.size()
                + " connection(s) on port " + port + " in " + String.join("/", states)
                + (closeWait ? ": the peer closed, and the process has not closed its end. CLOSE-WAIT never"
                        + " expires; the port stays held until that process closes the socket or exits"
                        : ": open connections, which hold the port as long as the process keeps them");
    }

    /**
     * How to stop the holders so that it works: this user may signal only its own processes (kill(2)), so for
     * another user's the command is to be run as root.
     */
    static String stop(List<OwnedSocket> holders, String command) {
        int me = HostFacts.effectiveUid();
        boolean mine = me == 0 || holders.stream().allMatch(o -> o.socket().uid() == me);
        return mine ? " (`" + command + "`)" : " as root (`sudo " + command + "`: the process belongs to another user)";
    }

    /** Why an IPv4 bind meets an IPv6 socket, or the reverse, with only the alternatives that bind now. */
    static String dualStack(InetSocketAddress wanted, boolean udp, SocketEntry held) {
        boolean wantV4 = wanted.getAddress() instanceof Inet4Address;
        boolean heldV4 = held.local().getAddress() instanceof Inet4Address && !held.v6();
        if (wantV4 && !heldV4) {
            return " — an IPv6 socket on [::] without IPV6_V6ONLY (Linux default, net.ipv6.bindv6only="
                    + HostFacts.bindV6Only() + ") also takes the IPv4 port";
        }
        if (!wantV4 && heldV4 && wanted.getAddress().isAnyLocalAddress()) {
            List<String> work = new ArrayList<>();
            for (String candidate : new String[] {"::1", "0.0.0.0"}) {
                InetSocketAddress a = Addresses.of(candidate, wanted.getPort());
                if (BindCheck.tryBind(a, udp, true) == null) {
                    work.add(Addresses.format(a));
                }
            }
            return " — a bind to [::] is dual-stack and needs the IPv4 port too"
                    + (work.isEmpty() ? "" : "; " + String.join(" or ", work) + (work.size() == 1 ? " binds" : " bind")
                            + " now (checked)");
        }
        return "";
    }
}
