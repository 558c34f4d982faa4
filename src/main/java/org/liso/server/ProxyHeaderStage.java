package org.liso.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.liso.Log;
import org.liso.ThrottledWarning;
import org.liso.loop.Timer;
import org.liso.transport.Transport;
import org.liso.transport.TransportFactory;
import org.liso.transport.proxy.ProxyHeader;
import org.liso.transport.proxy.ProxyHeaderDecoder;
import org.liso.transport.proxy.ProxyHeaderException;

/**
 * The first stage of a connection on a listener that wants a PROXY protocol header ({@code --proxy-protocol}):
 * the header is read from the socket itself, before any transport exists, then the connection goes on to its
 * {@link ConnectionStart} (TLS handshake, protocol) as the client the header names.
 *
 * <pre>
 *   READ_HEADER --complete header--> HANDED_OVER (to ConnectionStart)
 *       \--peer not in --trusted-proxies, malformed header, header timeout, EOF, I/O error--> CLOSED
 * </pre>
 *
 * <p>Only the header's own bytes are read: each read asks for no more than the decoder can take without passing the
 * header's end, so the TLS ClientHello or the request behind it stay in the socket for the next stage, whatever
 * transport that is. proxy-protocol.txt §2: the receiver "MUST not try to guess whether the protocol header is
 * present", so a connection without one is closed, and only trusted peers may send one at all; "the receiver may
 * apply a short timeout": the header has {@code --header-timeout}.
 */
final class ProxyHeaderStage implements ServerConnection {

    enum Stage { READ_HEADER, HANDED_OVER, CLOSED }

    private static final String LOG = "http";
    private static final ThrottledWarning UNTRUSTED = new ThrottledWarning(LOG,
            "connection to a PROXY protocol listener from a peer not in --trusted-proxies, closed",
            ThrottledWarning.INTERVAL_MILLIS);
    private static final ThrottledWarning MALFORMED = new ThrottledWarning(LOG,
            "bad PROXY protocol header, connection closed", ThrottledWarning.INTERVAL_MILLIS);

    private final HttpServer server;
    private final SocketChannel channel;
    private final TransportFactory transports;
    private final InetSocketAddress peer;
    private final ProxyHeaderDecoder decoder = new ProxyHeaderDecoder();
    /** Large enough for any v1 line and a v2 header without TLVs in one read; TLVs take more reads. */
    private final ByteBuffer buffer = ByteBuffer.allocate(256);
    private final Timer timer;
    private SelectionKey key;
    private Stage stage = Stage.READ_HEADER;

    ProxyHeaderStage(HttpServer server, SocketChannel channel, TransportFactory transports) throws IOException {
        this.server = server;
        this.channel = channel;
        this.transports = transports;
        this.peer = (InetSocketAddress) channel.getRemoteAddress();
        this.timer = server.loop().timer(this, this::close);
    }

    void start() throws IOException {
        if (peer == null || !server.proxyOptions().trusted().contains(peer.getAddress())) {
            UNTRUSTED.warn("peer", peer);
            close();
            return;
        }
        key = server.loop().register(channel, SelectionKey.OP_READ, this);
        timer.schedule(server.config().headerTimeoutMillis());
    }

    Stage stage() {
        return stage;
    }

    @Override
    public void ready(int readyOps) {
        try {
            read();
        } catch (ProxyHeaderException e) {
            MALFORMED.warn("peer", peer, "error", e.getMessage());
            close();
        } catch (IOException e) {
            Log.debug(LOG, "connection closed before its PROXY header", "peer", peer, "cause",
                    String.valueOf(e.getMessage()));
            close();
        }
    }

    private void read() throws IOException, ProxyHeaderException {
        while (stage == Stage.READ_HEADER) {
            buffer.clear().limit(Math.min(decoder.wanted(), buffer.capacity()));
            int n = channel.read(buffer);
            if (n < 0) {
                close(); // gone before the header was complete: nothing to answer
                return;
            }
            if (n == 0) {
                return;
            }
            buffer.flip();
            ProxyHeader header = decoder.decode(buffer);
            if (header != null) {
                handOver(header);
            }
        }
    }

    private void handOver(ProxyHeader header) throws IOException {
        // v1 UNKNOWN, v2 LOCAL (health checks) and families without an address keep the socket's peer (§2.1, §2.2).
        ClientAddress client = new ClientAddress(header.relayed() ? header.source() : peer);
        Transport transport = server.counted(transports.wrap(channel));
        stage = Stage.HANDED_OVER;
        timer.cancel();
        ConnectionStart next = new ConnectionStart(server, transport, transports.handshakeTimeoutMillis(), client);
        server.handedOver(this, next);
        try {
            next.start(); // the same channel, registered again: the key is kept and now names the next stage
        } catch (IOException e) {
            next.abandoned();
        }
    }

    @Override
    public void failed(RuntimeException fault) {
        close();
    }

    @Override
    public void abandoned() {
        close();
    }

    @Override
    public void shutdownGracefully() {
        close(); // nothing was asked yet
    }

    private void close() {
        if (stage != Stage.READ_HEADER) {
            return;
        }
        stage = Stage.CLOSED;
        timer.cancel();
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // already gone
        }
        server.closed(this);
    }
}
