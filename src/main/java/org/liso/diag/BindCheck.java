package org.liso.diag;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code liso doctor} does: binds the address the way a server would, once without and once with SO_REUSEADDR,
 * releases it at once, and explains the outcome with the same words as every server's failed bind, plus warnings
 * that matter even when the bind works.
 *
 * @param address    what was checked
 * @param udp        UDP rather than TCP
 * @param plain      the failure of the bind without SO_REUSEADDR, null when it worked
 * @param reuse      the failure of the bind with SO_REUSEADDR, null when it worked
 * @param diagnosis  the explanation (cause FREE when the SO_REUSEADDR bind works)
 * @param holders    sockets on this host that overlap the address
 * @param warnings   notes for the operator: ephemeral range, privileged port, dual-stack, descriptors left
 * @param fds        descriptor headroom of this process
 */
public record BindCheck(InetSocketAddress address, boolean udp, IOException plain, IOException reuse,
        BindDiagnosis diagnosis, List<OwnedSocket> holders, List<String> warnings, FdHeadroom fds) {

    /** Runs the check now. */
    public static BindCheck run(InetSocketAddress address, boolean udp) {
        BindDoctor.prepare();
        IOException plain = tryBind(address, udp, false);
        IOException reuse = plain == null ? null : tryBind(address, udp, true);
        List<OwnedSocket> holders = List.of();
        if (plain == null || BindError.of(plain) != BindError.EMFILE) {
            try {
                holders = SocketTable.snapshot().conflicting(address.getAddress(), address.getPort(), udp);
            } catch (IOException | RuntimeException | LinkageError | InternalError e) {
                holders = List.of();
            }
        }
        List<OwnedSocket> held = holders.stream()
                .filter(o -> !o.socket().isListening() && !o.owners().isEmpty()).toList();
        BindDiagnosis diagnosis;
        if (plain == null) {
            diagnosis = new BindDiagnosis(address, BindDiagnosis.Cause.FREE, (udp ? "UDP " : "TCP ")
                    + Addresses.format(address) + " is free: a server can bind it now.");
        } else if (reuse == null) {
            diagnosis = BindDoctor.explain(address, udp, plain);
            if (BindError.of(plain) == BindError.EADDRINUSE && !held.isEmpty()) {
                // The old listener set SO_REUSEADDR, so its connections do not block a bind that sets it too; they
                // are not TIME-WAIT leftovers but sockets a live process keeps.
                diagnosis = new BindDiagnosis(address, BindDiagnosis.Cause.IN_USE_CONNECTION, (udp ? "UDP " : "TCP ")
                        + Addresses.format(address) + ": a bind without SO_REUSEADDR fails (EADDRINUSE) and one with"
                        + " it works (the old listener set it too), because " + InUse.heldText(held,
                                address.getPort()) + ". Liso sets SO_REUSEADDR, so it can listen here; other servers"
                        + " cannot until the sockets are closed (`liso who " + address.getPort() + " --all`).");
            } else if (BindError.of(plain) == BindError.EADDRINUSE) {
                // The SO_REUSEADDR bind worked, so nothing listens: what blocks a plain bind are closed connections.
                diagnosis = new BindDiagnosis(address, BindDiagnosis.Cause.IN_USE_TIME_WAIT, (udp ? "UDP " : "TCP ")
                        + Addresses.format(address) + ": a bind without SO_REUSEADDR fails (EADDRINUSE) because"
                        + " sockets of closed connections (TIME-WAIT) still hold the port; with SO_REUSEADDR it"
                        + " works. Liso sets SO_REUSEADDR, so it can listen here; other servers should set it too.");
            }
        } else {
            diagnosis = BindDoctor.explain(address, udp, reuse);
        }
        FdHeadroom fds = FdHeadroom.now();
        List<String> warnings = warnings(address, diagnosis);
        if (fds.warning() != null) {
            warnings.add(fds.warning());
        }
        return new BindCheck(address, udp, plain, reuse, diagnosis, holders, warnings, fds);
    }

    /** True when a server that sets SO_REUSEADDR (as Liso does) can bind the address now. */
    public boolean bindable() {
        return reuse == null;
    }

    private static List<String> warnings(InetSocketAddress address, BindDiagnosis d) {
        List<String> out = new ArrayList<>();
        int port = address.getPort();
        String ephemeral = PortNotes.ephemeralWarning(port);
        if (ephemeral != null) {
            out.add(ephemeral);
        }
        String linkLocal = PortNotes.linkLocalWarning(address.getAddress());
        if (linkLocal != null) {
            out.add(linkLocal);
        }
        int limit = HostFacts.unprivilegedPortStart();
        if (port > 0 && port < limit && d.cause() != BindDiagnosis.Cause.PERMISSION) {
            out.add("port " + port + " is below net.ipv4.ip_unprivileged_port_start=" + limit + ": it works here"
                    + " because this process has CAP_NET_BIND_SERVICE (root, or granted); another user gets EACCES.");
        }
        if (address.getAddress().isAnyLocalAddress() && !(address.getAddress() instanceof Inet4Address)
                && d.cause() == BindDiagnosis.Cause.FREE) {
            out.add("[::] is dual-stack on Linux (net.ipv6.bindv6only=" + HostFacts.bindV6Only() + "): it takes"
                    + " IPv4 port " + port + " too, so a later bind of 0.0.0.0:" + port + " fails.");
        }
        return out;
    }

    static IOException tryBind(InetSocketAddress address, boolean udp, boolean reuseAddress) {
        StandardProtocolFamily family = address.getAddress() instanceof Inet4Address
                ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
        NetworkChannel ch = null;
        try {
            if (udp) {
                DatagramChannel d = DatagramChannel.open(family);
                ch = d;
                d.setOption(StandardSocketOptions.SO_REUSEADDR, reuseAddress);
                d.bind(address);
            } else {
                ServerSocketChannel s = ServerSocketChannel.open(family);
                ch = s;
                s.setOption(StandardSocketOptions.SO_REUSEADDR, reuseAddress);
                s.bind(address, 1);
            }
            return null;
        } catch (IOException e) {
            return e;
        } catch (LinkageError | InternalError noDescriptorForTheClass) {
            // Near the descriptor limit the JDK cannot even load its socket classes (they open files as they load).
            return new IOException("Too many open files (the JDK could not load its socket classes: "
                    + noDescriptorForTheClass.getMessage() + ")", noDescriptorForTheClass);
        } finally {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException | LinkageError ignored) {
                    // the probe socket is gone either way
                }
            }
        }
    }

    /** The report as one JSON-ready map. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", Addresses.format(address));
        m.put("protocol", udp ? "udp" : "tcp");
        m.put("bindable", bindable());
        m.put("cause", diagnosis.cause().name());
        m.put("errno_plain", plain == null ? null : BindError.of(plain).name());
        m.put("errno_reuseaddr", reuse == null ? null : BindError.of(reuse).name());
        m.put("explanation", diagnosis.paragraph());
        List<Object> hs = new ArrayList<>();
        for (OwnedSocket o : holders) {
            hs.add(SocketJson.of(o));
        }
        m.put("holders", hs);
        m.put("warnings", warnings);
        m.put("descriptors", fds.toJson());
        return m;
    }
}
