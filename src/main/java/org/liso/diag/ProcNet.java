package org.liso.diag;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads /proc/net/{tcp,tcp6,udp,udp6}. Addresses there are hex dumps of the kernel's in-memory words: an IPv4 address
 * is one 32-bit word and an IPv6 address four, each printed as a number in host byte order (so on little-endian
 * machines 127.0.0.1 reads {@code 0100007F}); ports are plain hex numbers.
 */
public final class ProcNet {

    private ProcNet() {
    }

    /** Every socket of the four tables under {@code procRoot} (normally /proc); missing tables are skipped. */
    public static List<SocketEntry> read(Path procRoot) throws IOException {
        List<SocketEntry> all = new ArrayList<>();
        for (String table : new String[] {"tcp", "tcp6", "udp", "udp6"}) {
            try {
                all.addAll(parse(ProcFiles.text(procRoot.resolve("net").resolve(table)), table.startsWith("udp"),
                        table.endsWith("6")));
            } catch (NoSuchFileException absent) {
                // no IPv6 in this kernel, or no such protocol: nothing to list
            }
        }
        return all;
    }

    /** True when this host has the tables at all (Linux with /proc mounted). */
    public static boolean available(Path procRoot) {
        return Files.isReadable(procRoot.resolve("net").resolve("tcp"));
    }

    /** Parses one table's text, header line included. */
    public static List<SocketEntry> parse(String text, boolean udp, boolean v6) {
        List<SocketEntry> out = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].trim();
            if (!line.isEmpty()) {
                out.add(parseLine(line, udp, v6));
            }
        }
        return out;
    }

    static SocketEntry parseLine(String line, boolean udp, boolean v6) {
        String[] f = line.split("\\s+");
        if (f.length < 10) {
            throw new IllegalArgumentException("short /proc/net line: " + line);
        }
        InetSocketAddress local = endpoint(f[1]);
        InetSocketAddress remote = endpoint(f[2]);
        TcpState state = TcpState.of(Integer.parseInt(f[3], 16));
        String[] queues = f[4].split(":");
        int uid = Integer.parseInt(f[7]);
        long inode = Long.parseLong(f[9]);
        // IPV6_V6ONLY is not in these tables; SocketTable.snapshot asks ss for it (V6OnlyFlags).
        return new SocketEntry(udp, v6, HostFacts.bindV6Only() == 1 && v6, local, remote, state, uid, inode,
                Long.parseLong(queues[0], 16), Long.parseLong(queues[1], 16));
    }

    /** {@code 0100007F:1F90} → 127.0.0.1:8080. */
    static InetSocketAddress endpoint(String hexAddrPort) {
        int colon = hexAddrPort.indexOf(':');
        String hex = hexAddrPort.substring(0, colon);
        int port = Integer.parseInt(hexAddrPort.substring(colon + 1), 16);
        return new InetSocketAddress(address(hex), port);
    }

    static InetAddress address(String hex) {
        if (hex.length() != 8 && hex.length() != 32) {
            throw new IllegalArgumentException("not a /proc/net address: " + hex);
        }
        byte[] raw = new byte[hex.length() / 2];
        for (int word = 0; word < raw.length / 4; word++) {
            long value = Long.parseLong(hex.substring(word * 8, word * 8 + 8), 16);
            // The word was printed as a host-order number; its bytes in memory are the network-order address.
            for (int b = 0; b < 4; b++) {
                raw[word * 4 + b] = (byte) (value >>> (NATIVE_LITTLE_ENDIAN ? 8 * b : 8 * (3 - b)));
            }
        }
        try {
            // InetAddress turns an IPv4-mapped ::ffff:a.b.c.d into the IPv4 address itself.
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException impossible) {
            throw new IllegalArgumentException(impossible);
        }
    }

    private static final boolean NATIVE_LITTLE_ENDIAN =
            java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;
}
