package org.liso.diag;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
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
        HostFacts.fdHardLimit();
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
                String instead = bindableOf(address, udp, "127.0.0.1", "0.0.0.0", "::");
                return new BindDiagnosis(address, BindDiagnosis.Cause.NOT_LOCAL, head + Addresses.hostOf(address)
                        + " is not an address of this host (EADDRNOTAVAIL). This host has: "
                        + HostFacts.localAddressesText() + ". Bind one of them"
                        + (instead.isEmpty() ? "." : "; " + instead + " bind now (checked)."));
            case EMFILE:
                long limit = HostFacts.fdLimit();
                long hard = HostFacts.fdHardLimit();
                String raise = hard < 0 || limit < 0 ? "`ulimit -n 65536` in the shell"
                        : hard > limit ? "`ulimit -n " + Math.min(hard, 65536) + "` in the shell (the hard limit"
                                + " here is " + FdHeadroom.text(hard) + ")"
                        : "`ulimit -n 65536` in a root shell (the hard limit here is " + hard + ", which only root"
                                + " may raise)";
                return new BindDiagnosis(address, BindDiagnosis.Cause.FD_LIMIT, head + "this process has reached its"
                        + (limit > 0 ? " limit of " + limit + " open files" : " open-files limit (`ulimit -n`)")
                        + " (EMFILE). Raise it before starting: " + raise + ", LimitNOFILE=65536 in a systemd unit,"
                        + " or nofile in /etc/security/limits.conf.");
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
        List<OwnedSocket> holders;
        try {
            holders = SocketTable.snapshot().conflicting(address.getAddress(), address.getPort(), udp);
        } catch (IOException | RuntimeException e) {
            holders = List.of();
        }
        return InUse.explain(address, udp, head, holders);
    }

    /** The addresses among {@code candidates} that bind now on {@code address}'s port, as "a, b or c". */
    private static String bindableOf(InetSocketAddress address, boolean udp, String... candidates) {
        List<String> work = new ArrayList<>();
        for (String c : candidates) {
            InetSocketAddress a = Addresses.of(c, address.getPort());
            if (BindCheck.tryBind(a, udp, true) == null) {
                work.add(Addresses.format(a));
            }
        }
        return String.join(", ", work).replaceFirst(", ([^,]*)$", " or $1");
    }

    /**
     * File capabilities ({@code setcap cap_net_bind_service=+ep} on the java binary) are not offered: they make the
     * loader run java in secure-execution mode, which ignores the {@code $ORIGIN} runpath java finds libjli.so by,
     * so java no longer starts. Ambient capabilities are inherited across exec without that effect.
     */
    private static BindDiagnosis permission(InetSocketAddress address, String head) {
        int limit = HostFacts.unprivilegedPortStart();
        int port = address.getPort();
        if (port >= limit) {
            return new BindDiagnosis(address, BindDiagnosis.Cause.PERMISSION, head + "permission denied (EACCES):"
                    + " the system refused the bind (a security module or the port's policy), not the"
                    + " privileged-port rule (port " + port + " ≥ net.ipv4.ip_unprivileged_port_start=" + limit
                    + ").");
        }
        int above = -1;
        for (int candidate : new int[] {port + 8000, 8080, 8000, 8888, limit}) {
            if (above < 0 && candidate >= limit && candidate <= 65535
                    && BindCheck.tryBind(new InetSocketAddress(address.getAddress(), candidate), false, true) == null) {
                above = candidate;
            }
        }
        String redirect = above < 0 ? "" : "; or listen on port " + above + " (it binds now) and redirect " + port
                + " to it (`iptables -t nat -A PREROUTING -p tcp --dport " + port + " -j REDIRECT --to-ports "
                + above + "`, plus an OUTPUT rule for local clients)";
        return new BindDiagnosis(address, BindDiagnosis.Cause.PERMISSION, head + "permission denied (EACCES): port "
                + port + " is below net.ipv4.ip_unprivileged_port_start=" + limit + " and this process lacks"
                + " CAP_NET_BIND_SERVICE (CapEff=" + Long.toHexString(HostFacts.capEff()) + "). For a JVM: run it"
                + " with the capability ambient, as a systemd unit with AmbientCapabilities=CAP_NET_BIND_SERVICE"
                + " (or from root: `setpriv --reuid=USER --regid=GROUP --init-groups --inh-caps=+net_bind_service"
                + " --ambient-caps=+net_bind_service liso …`); or lower the limit: `sysctl -w"
                + " net.ipv4.ip_unprivileged_port_start=" + port + "`" + redirect + "; or `authbind --deep` with"
                + " java -Djava.net.preferIPv4Stack=true. Not `setcap` on the java binary: java then refuses its"
                + " own libraries (libjli.so: cannot open shared object file).");
    }

    static String shortOwners(OwnedSocket o) {
        String text = o.ownersText();
        if (o.owners().isEmpty()) {
            return text;
        }
        ProcessInfo p = o.owners().get(0);
        String cmd = p.commandLine().length() > MAX_COMMAND
                ? p.commandLine().substring(0, MAX_COMMAND) + "…" : p.commandLine();
        List<String> others = new ArrayList<>();
        for (ProcessInfo q : o.owners().subList(1, o.owners().size())) {
            others.add(Long.toString(q.pid()));
        }
        return "pid " + p.pid() + " (" + cmd + ", user " + p.user() + ")"
                + (others.isEmpty() ? "" : " and pid" + (others.size() > 1 ? "s " : " ") + String.join(", ", others));
    }
}
