package org.liso.listen;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.HashMap;
import java.util.Map;
import org.liso.Log;
import org.liso.diag.Addresses;
import org.liso.loop.EventLoop;
import org.liso.loop.Readiness;

/**
 * A UDP socket of {@code liso listen}: each datagram is discarded, sent back to its sender, or printed. A peer
 * address seen for the first time is logged as opening a "connection" so the log reads like the TCP one.
 */
final class DatagramSession implements Readiness {
    private static final String LOG = "listen";
    private static final int MAX_PEERS = 4096;
    private static final int MAX_PER_READY = 4096;

    private final DatagramChannel channel;
    private final ListenMode mode;
    private final LinePrinter printer;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(65536);
    private final Map<SocketAddress, ConnectionTag> peers = new HashMap<>();
    private final java.util.function.LongSupplier ids;

    DatagramSession(DatagramChannel channel, ListenMode mode, LinePrinter printer, java.util.function.LongSupplier ids) {
        this.channel = channel;
        this.mode = mode;
        this.printer = printer;
        this.ids = ids;
    }

    void start(EventLoop loop) throws IOException {
        loop.register(channel, SelectionKey.OP_READ, this);
    }

    /**
     * Reads every queued datagram (up to {@link #MAX_PER_READY}, so other sockets on the loop get their turn; the
     * selector reports the rest at once) and flushes stdout once for the batch: a flush per datagram was what let
     * a burst overflow the socket's receive buffer.
     */
    @Override
    public void ready(int readyOps) {
        try {
            for (int i = 0; i < MAX_PER_READY; i++) {
                buf.clear();
                SocketAddress from = channel.receive(buf);
                if (from == null) {
                    return;
                }
                buf.flip();
                ConnectionTag tag = tagOf(from);
                if (mode == ListenMode.ECHO) {
                    channel.send(buf, from);
                } else if (mode.prints()) {
                    printer.print(tag, buf);
                    if (mode == ListenMode.PRINT) {
                        printer.finish(tag); // a datagram is a message: its last line ends with it
                    }
                }
            }
        } catch (IOException e) {
            // An ICMP error from an earlier send surfaces here; the socket itself is fine.
            Log.debug(LOG, "udp receive failed", "error", e.toString());
        } finally {
            if (mode.prints()) {
                printer.flush();
            }
        }
    }

    private ConnectionTag tagOf(SocketAddress from) {
        ConnectionTag tag = peers.get(from);
        if (tag == null) {
            if (peers.size() >= MAX_PEERS) {
                peers.clear();
            }
            tag = new ConnectionTag(ids.getAsLong(), Addresses.format((InetSocketAddress) from));
            peers.put(from, tag);
            Log.info(LOG, "open", "conn", tag.id(), "peer", tag.peer(), "protocol", "udp");
        }
        return tag;
    }
}
