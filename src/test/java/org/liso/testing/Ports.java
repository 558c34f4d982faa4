package org.liso.testing;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import org.liso.diag.HostFacts;

/**
 * A port for a server that must be given a number (lisod's classic form has no port 0), free on 127.0.0.1 now.
 * Chosen below the kernel's ephemeral range (net.ipv4.ip_local_port_range): the kernel never hands such a port to
 * a connect() or a bind to port 0, so between this check and the server's own bind only another explicit bind can
 * take it, where a port from {@code new ServerSocket(0)} may go to any outgoing connection meanwhile.
 */
public final class Ports {
    private static final int LOWEST = 10_000;

    private Ports() {
    }

    public static int unused() throws IOException {
        int below = HostFacts.localPortRange()[0];
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        if (below - LOWEST < 1000) { // no room below the ephemeral range here: the kernel's choice, as before
            try (ServerSocket s = new ServerSocket(0, 1, loopback)) {
                return s.getLocalPort();
            }
        }
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(loopback, port), 1);
                return port;
            } catch (BindException taken) {
                // held by someone: try another
            }
        }
        throw new IOException("no free port on 127.0.0.1 between " + LOWEST + " and " + below);
    }
}
