package org.liso.diag;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The one place that turns a failed bind into a {@link BindDiagnosis}. Every server command (serve, lisod, echo,
 * listen) and {@code liso doctor} go through here, so they explain a failure the same way: one short paragraph with
 * the cause found on this host (the owning process, the kernel limit, the missing address) and the next step.
 */
public final class BindDoctor {

    private static final int MAX_COMMAND = 100;

    private BindDoctor() {
    }

    /**
     * Loads now what the EMFILE explanation needs later: the fd-limit query loads a native library, which takes a
     * descriptor of its own and so cannot load in a process that has none left. Servers call this at startup.
     */
    public static void prepare() {
        HostFacts.fdLimit();
    }

    /** Classifies {@code failure}, raised while binding {@code address}, and says what to do about it. */
    public static BindDiagnosis explain(InetSocketAddress address, boolean udp, IOException failure) {
        String head = "Cannot listen on " + (udp ? "UDP " : "TCP ") + Addresses.format(address) + ": ";
        switch (BindError.of(failure)) {
            case EADDRINUSE:
                return inUse(address, udp, head);
            case EACCES:
                return permission(address, head);
            case EADDRNOTAVAIL:
                return new BindDiagnosis(address, BindDiagnosis.Cause.NOT_LOCAL, head + Addresses.hostOf(address)
                        + " is not an address of this host (EADDRNOTAVAIL). This host has: "
                        + HostFacts.localAddressesText() + ". Bind one of them, 127.0.0.1, or 0.0.0.0 / :: for all.");
            case EMFILE:
                long limit = HostFacts.fdLimit();
                return new BindDiagnosis(address, BindDiagnosis.Cause.FD_LIMIT, head + "this process has reached its"
                        + (limit > 0 ? " limit of " + limit + " open files" : " open-files limit (`ulimit -n`)")
                        + " (EMFILE). Raise it before starting:"
                        + " `ulimit -n 65536` in the shell, LimitNOFILE=65536 in a systemd unit, or nofile in"
                        + " /etc/security/limits.conf.");
            case EINVAL:
                return new BindDiagnosis(address, BindDiagnosis.Cause.OTHER, head + "invalid argument (EINVAL): the"
                        + " socket is already bound, or the address family does not match the socket.");
            default:
                String kind = failure instanceof BindException ? "bind failed" : "socket error";
                return new BindDiagnosis(address, BindDiagnosis.Cause.OTHER,
                        head + kind + " (" + failure.getMessage() + ").");
        }
    }

    private static BindDiagnosis inUse(InetSocketAddress address, boolean udp, String head) {
        int port = address.getPort();
        List<OwnedSocket> holders;
        try {
            holders = SocketTable.snapshot().conflicting(address.getAddress(), port, udp);
        } catch (IOException | RuntimeException e) {
            holders = List.of();
        }
        List<OwnedSocket> listeners = holders.stream().filter(o -> o.socket().isListening()).toList();
        String next = " Stop it (`liso who " + port + (udp ? " --udp" : "") + " --kill`) or pick another port"
                + " (`liso free-port`).";
        if (!listeners.isEmpty()) {
            OwnedSocket first = listeners.get(0);
            return new BindDiagnosis(address, BindDiagnosis.Cause.IN_USE, head + "the address is already in use"
                    + " (EADDRINUSE) by " + shortOwners(first) + ", " + (udp ? "bound to " : "listening on ")
                    + first.socket().localText() + dualStack(address, first.socket()) + "." + next);
        }
        if (!holders.isEmpty()) {
            // Linux lets SO_REUSEADDR bind over TIME-WAIT only when the closed socket had SO_REUSEADDR too
            // (inet_csk_bind_conflict): a listener that set it leaves connections that do not block a restart.
            return new BindDiagnosis(address, BindDiagnosis.Cause.IN_USE_TIME_WAIT, head + "no process listens,"
                    + " but " + holders.size() + " socket(s) of closed connections ("
                    + holders.get(0).socket().state().label() + ") still hold port " + port + " (EADDRINUSE)."
                    + " SO_REUSEADDR lets a new bind over them, and Liso sets it; here their previous owner did not"
                    + " set it, so the kernel keeps the port until they expire (about 60 s). Wait, or use another"
                    + " port (`liso free-port`).");
        }
        return new BindDiagnosis(address, BindDiagnosis.Cause.IN_USE, head + "the address is already in use"
                + " (EADDRINUSE) by a socket this user cannot attribute to a process; run `liso who " + port
                + "` as root to see it." + next);
    }

    /** Why an IPv4 bind meets an IPv6 socket, or the reverse: Linux IPv6 wildcard sockets are dual-stack. */
    static String dualStack(InetSocketAddress wanted, SocketEntry held) {
        boolean wantV4 = wanted.getAddress() instanceof Inet4Address;
        boolean heldV4 = held.local().getAddress() instanceof Inet4Address && !held.v6();
        if (wantV4 && !heldV4) {
            return " — an IPv6 socket on [::] without IPV6_V6ONLY (Linux default, net.ipv6.bindv6only="
                    + HostFacts.bindV6Only() + ") also takes the IPv4 port";
        }
        if (!wantV4 && heldV4 && wanted.getAddress().isAnyLocalAddress()) {
            return " — a bind to [::] is dual-stack and needs the IPv4 port too; bind an IPv6-only address or"
                    + " 0.0.0.0 instead";
        }
        return "";
    }

    private static BindDiagnosis permission(InetSocketAddress address, String head) {
        int limit = HostFacts.unprivilegedPortStart();
        String why = address.getPort() < limit
                ? "port " + address.getPort() + " is below net.ipv4.ip_unprivileged_port_start=" + limit
                        + " and this process lacks CAP_NET_BIND_SERVICE (CapEff=" + Long.toHexString(HostFacts.capEff())
                        + ")"
                : "the system refused the bind (a security module or the port's policy)";
        return new BindDiagnosis(address, BindDiagnosis.Cause.PERMISSION, head + "permission denied (EACCES): "
                + why + ". Use a port ≥ " + limit + " behind a reverse proxy or port forward, grant the capability"
                + " (`setcap cap_net_bind_service=+ep` on the java binary, or AmbientCapabilities= in a systemd"
                + " unit, or a systemd socket), or lower the sysctl net.ipv4.ip_unprivileged_port_start.");
    }

    static String shortOwners(OwnedSocket o) {
        String text = o.ownersText();
        if (o.owners().isEmpty()) {
            return text;
        }
        ProcessInfo p = o.owners().get(0);
        String cmd = p.commandLine().length() > MAX_COMMAND
                ? p.commandLine().substring(0, MAX_COMMAND) + "…" : p.commandLine();
        return "pid " + p.pid() + " (" + cmd + ", user " + p.user() + ")"
                + (o.owners().size() > 1 ? " and " + (o.owners().size() - 1) + " more" : "");
    }
}
