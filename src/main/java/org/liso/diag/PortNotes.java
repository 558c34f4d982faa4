package org.liso.diag;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.List;

/**
 * What doctor warns about and free-port avoids, in one place so they agree: the ephemeral range the kernel takes
 * outgoing ports from (net.ipv4.ip_local_port_range, minus net.ipv4.ip_local_reserved_ports, which it never picks),
 * and link-local IPv6 addresses, which mean nothing without the interface they belong to (RFC 4007 section 11).
 */
public final class PortNotes {

    private PortNotes() {
    }

    /** {@code 32768-60999}, as the sysctl holds it. */
    public static String ephemeralText() {
        int[] r = HostFacts.localPortRange();
        return r[0] + "-" + r[1];
    }

    /** Whether the kernel may hand {@code port} to an outgoing connection (in the range and not reserved). */
    public static boolean ephemeral(int port) {
        int[] r = HostFacts.localPortRange();
        return port >= r[0] && port <= r[1] && !reserved(port);
    }

    /** Whether net.ipv4.ip_local_reserved_ports lists {@code port}. */
    public static boolean reserved(int port) {
        for (int[] r : HostFacts.reservedPorts()) {
            if (port >= r[0] && port <= r[1]) {
                return true;
            }
        }
        return false;
    }

    /**
     * Up to {@code count} ports in {@code from..to}, outside the ephemeral range and not reserved, that bind now.
     * With {@code randomStart} the search starts at a random one of them (wrapping), so that callers at the same
     * moment are unlikely to be handed the same port; else at {@code from}.
     */
    public static List<Integer> outsideEphemeral(InetAddress bind, int from, int to, int count, boolean udp,
            boolean randomStart) {
        List<Integer> candidates = new ArrayList<>();
        for (int p = from; p <= to; p++) {
            if (!ephemeral(p) && !reserved(p)) {
                candidates.add(p);
            }
        }
        List<Integer> out = new ArrayList<>();
        int start = randomStart && !candidates.isEmpty() ? new java.util.Random().nextInt(candidates.size()) : 0;
        for (int i = 0; i < candidates.size() && out.size() < count; i++) {
            int p = candidates.get((start + i) % candidates.size());
            if (FreePorts.inRange(bind, p, p, 1, udp).size() == 1) {
                out.add(p);
            }
        }
        return out;
    }

    /** The warning for a port in the ephemeral range, or null. */
    public static String ephemeralWarning(int port) {
        if (!ephemeral(port)) {
            return null;
        }
        return "port " + port + " lies in net.ipv4.ip_local_port_range " + ephemeralText() + ": outgoing"
                + " connections may take it at any time; prefer a port outside the range for a server"
                + " (`liso free-port --outside-ephemeral`), or reserve it (net.ipv4.ip_local_reserved_ports).";
    }

    /** The note for a link-local IPv6 address, naming the interface it is on; null for any other address. */
    public static String linkLocalWarning(InetAddress address) {
        if (!(address instanceof Inet6Address v6) || !address.isLinkLocalAddress()) {
            return null;
        }
        String nic = v6.getScopedInterface() != null ? v6.getScopedInterface().getName() : interfaceOf(address);
        return "link-local address " + Addresses.ipText(address) + " belongs to one interface" + (nic == null ? ""
                : " (" + nic + ")") + ": Liso binds it as given because the JDK fills in the scope, but clients"
                + " and other servers need it written with the scope: [" + Addresses.ipText(address) + "%"
                + (nic == null ? "IFACE" : nic) + "].";
    }

    private static String interfaceOf(InetAddress address) {
        try {
            NetworkInterface nic = NetworkInterface.getByInetAddress(address);
            return nic == null ? null : nic.getName();
        } catch (java.net.SocketException e) {
            return null;
        }
    }
}
