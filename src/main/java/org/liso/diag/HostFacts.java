package org.liso.diag;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The kernel settings and process limits that decide whether a bind can work; each read is cheap and fresh. */
public final class HostFacts {

    /** CAP_NET_BIND_SERVICE is capability number 10 (linux/capability.h). */
    static final int CAP_NET_BIND_SERVICE = 10;

    private HostFacts() {
    }

    /** net.ipv4.ip_unprivileged_port_start (Linux ≥ 4.11); 1024 where it cannot be read, the classic rule. */
    public static int unprivilegedPortStart() {
        return (int) readLong("/proc/sys/net/ipv4/ip_unprivileged_port_start", 1024);
    }

    /** net.ipv4.ip_local_port_range as {low, high}; {32768, 60999} (the kernel default) where it cannot be read. */
    public static int[] localPortRange() {
        try {
            String[] f = ProcFiles.text(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            return new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[1])};
        } catch (IOException | RuntimeException e) {
            return new int[] {32768, 60999};
        }
    }

    /** net.ipv4.ip_local_reserved_ports as {low, high} ranges (it holds {@code 8080,9000-9100}); empty if none. */
    public static List<int[]> reservedPorts() {
        List<int[]> out = new ArrayList<>();
        try {
            String text = ProcFiles.text(Path.of("/proc/sys/net/ipv4/ip_local_reserved_ports")).trim();
            for (String part : text.split(",")) {
                if (!part.isBlank()) {
                    String[] ab = part.trim().split("-");
                    out.add(new int[] {Integer.parseInt(ab[0]), Integer.parseInt(ab[ab.length - 1])});
                }
            }
        } catch (IOException | RuntimeException e) {
            // no such sysctl: nothing reserved
        }
        return out;
    }

    /** net.ipv6.bindv6only: 1 makes new IPv6 sockets v6only by default; -1 unknown. */
    public static int bindV6Only() {
        return (int) readLong("/proc/sys/net/ipv6/bindv6only", -1);
    }

    /** Whether this process holds CAP_NET_BIND_SERVICE in its effective set (/proc/self/status CapEff). */
    public static boolean canBindPrivileged() {
        return (capEff() >>> CAP_NET_BIND_SERVICE & 1L) != 0;
    }

    /** Whether this process runs with effective uid 0 (from /proc/self/status). */
    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).trim().split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "root".equals(System.getProperty("user.name"));
    }

    /** The CapEff mask from /proc/self/status; 0 when unreadable. */
    public static long capEff() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return Long.parseUnsignedLong(line.substring(7).trim(), 16);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return 0;
    }

    /** The open-files limit of this process (getrlimit, needs no descriptor); -1 when unknown. */
    public static long fdLimit() {
        try {
            OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
                return unix.getMaxFileDescriptorCount();
            }
        } catch (LinkageError | InternalError noDescriptorForTheLibrary) {
            // first use at the limit itself: see BindDoctor.prepare
        }
        return -1;
    }

    /** Descriptors open now; -1 when they cannot be counted (counting needs a descriptor itself). */
    public static long fdsOpen() {
        try {
            OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
                return unix.getOpenFileDescriptorCount();
            }
        } catch (LinkageError | InternalError | RuntimeException noDescriptorLeft) {
            // counting opens /proc/self/fd, which needs a descriptor of its own
        }
        return -1;
    }

    /** The last hard limit read, for when no descriptor is left to read it again (it rarely changes). */
    private static volatile long lastHardLimit = -1;

    /**
     * The hard open-files limit (the ceiling `ulimit -n` may raise the soft one to; the JVM raises its soft limit to
     * it at startup); the last value read when it cannot be read now; -1 when never known.
     */
    public static long fdHardLimit() {
        try {
            for (String line : ProcFiles.text(Path.of("/proc/self/limits")).split("\n")) {
                if (line.startsWith("Max open files")) {
                    String hard = line.substring("Max open files".length()).trim().split("\\s+")[1];
                    lastHardLimit = hard.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(hard);
                }
            }
        } catch (IOException | RuntimeException | LinkageError | InternalError e) {
            // not Linux, or no descriptor left to read it with
        }
        return lastHardLimit;
    }

    /** The effective uid of this process (the one the kernel compares for SO_REUSEPORT groups); -1 unknown. */
    public static int effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /** Every address on this host's interfaces that are up, loopback first. */
    public static List<InetAddress> localAddresses() {
        List<InetAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp()) {
                    for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                        out.add(a);
                    }
                }
            }
        } catch (SocketException | RuntimeException e) {
            // no interfaces to list
        }
        out.sort((a, b) -> Boolean.compare(!a.isLoopbackAddress(), !b.isLoopbackAddress()));
        return out;
    }

    /** Addresses as text, IPv6 without zone, for a message. */
    public static String localAddressesText() {
        StringBuilder sb = new StringBuilder();
        for (InetAddress a : localAddresses()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(Addresses.ipText(a));
            if (a instanceof java.net.Inet6Address v6 && a.isLinkLocalAddress() && v6.getScopedInterface() != null) {
                sb.append('%').append(v6.getScopedInterface().getName());
            }
        }
        return sb.length() == 0 ? "(none found)" : sb.toString();
    }

    private static long readLong(String path, long otherwise) {
        try {
            return Long.parseLong(ProcFiles.text(Path.of(path)).trim());
        } catch (IOException | RuntimeException e) {
            return otherwise;
        }
    }
}
