package org.liso.diag;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * The one place that turns a failed bind into a {@link BindDiagnosis}. Every server command (serve, lisod, echo,
 * listen) and {@code liso doctor} go through here, so they explain a failure the same way.
 */
public final class BindDoctor {

    private BindDoctor() {
    }

    /** Classifies {@code failure}, raised while binding {@code address}, and says what to do about it. */
    public static BindDiagnosis explain(InetSocketAddress address, boolean udp, IOException failure) {
        String where = Addresses.format(address);
        String proto = udp ? "UDP" : "TCP";
        String msg = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
        if (msg.contains("already in use")) {
            return new BindDiagnosis(address, BindDiagnosis.Cause.IN_USE,
                    "Cannot listen on " + proto + " " + where + ": the address is already in use by another socket."
                            + " Run `liso who " + address.getPort() + "` to see which process holds it, stop that"
                            + " process, or pick another port (`liso free-port`).");
        }
        if (msg.contains("permission denied") || msg.contains("access denied")) {
            return new BindDiagnosis(address, BindDiagnosis.Cause.PERMISSION,
                    "Cannot listen on " + proto + " " + where + ": permission denied. Ports below the kernel's"
                            + " net.ipv4.ip_unprivileged_port_start need root or CAP_NET_BIND_SERVICE; use a port"
                            + " above it or run `liso doctor " + where + "` for the remedies.");
        }
        if (msg.contains("cannot assign requested address")) {
            return new BindDiagnosis(address, BindDiagnosis.Cause.NOT_LOCAL,
                    "Cannot listen on " + proto + " " + where + ": " + Addresses.hostOf(address)
                            + " is not an address of this host. Bind to 127.0.0.1, 0.0.0.0 (all interfaces) or one"
                            + " of the addresses `liso doctor " + where + "` lists.");
        }
        if (msg.contains("too many open files")) {
            return new BindDiagnosis(address, BindDiagnosis.Cause.FD_LIMIT,
                    "Cannot listen on " + proto + " " + where + ": the process has run out of file descriptors."
                            + " Raise the limit (`ulimit -n 65536`, or LimitNOFILE= in a systemd unit).");
        }
        String kind = failure instanceof BindException ? "bind failed" : "socket error";
        return new BindDiagnosis(address, BindDiagnosis.Cause.OTHER,
                "Cannot listen on " + proto + " " + where + ": " + kind + " (" + failure.getMessage() + ").");
    }
}
