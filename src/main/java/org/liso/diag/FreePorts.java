package org.liso.diag;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Ports that bind now. Kernel-chosen ports come from binding port 0; the sockets are held until all {@code count}
 * are found so the kernel hands out distinct ones, then released. Range ports are the first that bind without
 * SO_REUSEADDR (so a port still in TIME-WAIT is not offered).
 */
public final class FreePorts {

    private FreePorts() {
    }

    /** {@code count} ports chosen by the kernel on {@code bind}. */
    public static List<Integer> kernelChosen(InetAddress bind, int count, boolean udp) throws IOException {
        List<NetworkChannel> held = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                NetworkChannel ch = open(bind, udp);
                held.add(ch);
                if (udp) {
                    ((DatagramChannel) ch).bind(new InetSocketAddress(bind, 0));
                } else {
                    ((ServerSocketChannel) ch).bind(new InetSocketAddress(bind, 0), 1);
                }
                ports.add(((InetSocketAddress) ch.getLocalAddress()).getPort());
            }
        } finally {
            for (NetworkChannel ch : held) {
                ch.close();
            }
        }
        return ports;
    }

    /** The first {@code count} ports in {@code from..to} that bind now; fewer when the range has fewer. */
    public static List<Integer> inRange(InetAddress bind, int from, int to, int count, boolean udp) {
        List<Integer> ports = new ArrayList<>();
        for (int p = from; p <= to && ports.size() < count; p++) {
            if (BindCheck.tryBind(new InetSocketAddress(bind, p), udp, false) == null) {
                ports.add(p);
            }
        }
        return ports;
    }

    private static NetworkChannel open(InetAddress bind, boolean udp) throws IOException {
        StandardProtocolFamily family = bind instanceof Inet4Address
                ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
        return udp ? DatagramChannel.open(family) : ServerSocketChannel.open(family);
    }
}
