package org.liso.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import org.liso.Log;
import org.liso.http2.ServerSession;
import org.liso.loop.Timer;
import org.liso.transport.Transport;

/**
 * What a connection goes through between accept and the protocol that serves it: the transport's handshake (TLS, its
 * ALPN answer read at the end), then a look at the first bytes for the HTTP/2 connection preface (RFC 9113 §3.4),
 * then the connection type for that protocol is attached to the key, taking over the bytes already read. A PROXY
 * protocol header, when it comes, is one more stage in front of the handshake.
 *
 * <pre>
 *   HANDSHAKE --transport's handshake done--> SNIFF --first bytes tell the protocol--> HANDED_OVER
 *       \                                       \
 *        \--handshake timeout, EOF, I/O error----\--header timeout, EOF, I/O error--> CLOSED
 * </pre>
 *
 * <p>Each stage has a deadline: {@code --handshake-timeout} for the handshake (a client that stops mid-handshake
 * holds no slot for longer), {@code --header-timeout} for the first bytes (one that never speaks is closed silently,
 * RFC 9112 §9.5).
 */
final class ConnectionStart implements ServerConnection {

    enum Stage { HANDSHAKE, SNIFF, HANDED_OVER, CLOSED }

    /** The protocols a connection can be handed to. */
    enum Protocol { HTTP_1_1, HTTP_2 }

    private static final String LOG = "http";

    private final HttpServer server;
    private final Transport transport;
    private final long handshakeTimeoutMillis;
    private final InputBuffer in;
    private final ClientAddress client;
    private final Timer timer;
    private SelectionKey key;
    private Stage stage;

    ConnectionStart(HttpServer server, Transport transport, long handshakeTimeoutMillis, ClientAddress client) {
        this.server = server;
        this.client = client;
        this.transport = transport;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.in = new InputBuffer(server.buffers());
        this.timer = server.loop().timer(this, this::timedOut);
    }

    void start() throws IOException {
        key = server.loop().register(transport.channel(), SelectionKey.OP_READ, this);
        if (transport.handshaking() && handshakeTimeoutMillis > 0) {
            stage = Stage.HANDSHAKE;
            timer.schedule(handshakeTimeoutMillis);
        } else {
            stage = transport.handshaking() ? Stage.HANDSHAKE : Stage.SNIFF;
            timer.schedule(server.config().headerTimeoutMillis());
        }
        // A client sends its request right behind the TCP handshake, so by the time the loop accepts it is usually
        // in the socket already: read it now rather than after a select. A short connection is then served and
        // closed before its key ever reaches epoll (no epoll_ctl ADD and DEL, no wake-up of its own); when nothing
        // came yet, one read answers EAGAIN and the key waits as before. A TLS ClientHello is read the same way: the
        // handshake step loops until the engine waits for the socket, so nothing read here is left for a readiness
        // that would not come. (HttpsIT runs that failed this way under load, 3 in 10, failed with an EOF after a
        // completed handshake, not a stalled one; with RecordIo's CLOSED-wrap fix they passed 14 in 14.)
        server.loop().readyNow(key, SelectionKey.OP_READ);
    }

    Stage stage() {
        return stage;
    }

    @Override
    public void ready(int readyOps) {
        try {
            step();
        } catch (IOException e) {
            Log.debug(LOG, "connection closed before its first request", "peer", peer(), "cause",
                    String.valueOf(e.getMessage()));
            close();
        }
    }

    private void step() throws IOException {
        if (stage == Stage.HANDSHAKE) {
            in.readFrom(transport); // advances the handshake; application bytes that follow it are kept
            transport.flush();
            if (transport.handshaking()) {
                if (in.eof()) {
                    close();
                } else {
                    interest();
                }
                return;
            }
            stage = Stage.SNIFF;
            server.metrics().handshake(transport.resumed());
            timer.schedule(server.config().headerTimeoutMillis());
            if ("h2".equals(transport.applicationProtocol()) && server.http2().overTls()) {
                handOver(Protocol.HTTP_2);
                return;
            }
        }
        if (stage == Stage.SNIFF) {
            in.readFrom(transport);
            if (!in.hasBytes()) {
                if (in.eof()) {
                    close(); // spoke no byte: nothing to answer
                } else {
                    interest();
                }
                return;
            }
            // RFC 9113 §3.3: prior knowledge is for cleartext; over TLS, h2 is chosen by ALPN or not at all.
            boolean preface = !transport.isSecure() && server.http2().cleartext() && prefaceSoFar();
            if (preface && in.bytes().remaining() < ServerSession.PREFACE.length && !in.eof()) {
                interest(); // "PRI * HTTP/2.0..." so far: the next bytes decide
                return;
            }
            handOver(preface ? Protocol.HTTP_2 : Protocol.HTTP_1_1);
        }
    }

    /** True while the bytes read so far are a prefix of the HTTP/2 preface (or the whole of it). */
    private boolean prefaceSoFar() {
        ByteBuffer b = in.bytes();
        if (b == null) {
            return false;
        }
        int n = Math.min(b.remaining(), ServerSession.PREFACE.length);
        for (int i = 0; i < n; i++) {
            if (b.get(b.position() + i) != ServerSession.PREFACE[i]) {
                return false;
            }
        }
        return n > 0;
    }

    private void handOver(Protocol protocol) throws IOException {
        stage = Stage.HANDED_OVER;
        timer.cancel();
        if (protocol == Protocol.HTTP_2) {
            Http2Connection c = new Http2Connection(server, transport, in, client, server.http2());
            server.handedOver(this, c);
            c.adopt(key);
            return;
        }
        // Where HTTP/2 is off, HTTP/1.1 answers a preface with 505 (RFC 9110 §15.6.6).
        HttpConnection c = new HttpConnection(server, transport, in, client);
        server.handedOver(this, c);
        c.adopt(key);
    }

    private void interest() {
        ConnectionInterest.update(key, transport, true, false);
    }

    private void timedOut() {
        if (stage == Stage.HANDSHAKE) {
            Log.info(LOG, "TLS handshake not completed in time, closing", "peer", peer(),
                    "timeout_ms", handshakeTimeoutMillis);
        }
        close();
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
    public ConnectionPhase phase() {
        return stage == Stage.HANDSHAKE ? ConnectionPhase.HANDSHAKE : ConnectionPhase.NEW;
    }

    @Override
    public void shutdownGracefully() {
        close(); // nothing was asked yet, so nothing is cut short
    }

    private void close() {
        if (stage == Stage.CLOSED || stage == Stage.HANDED_OVER) {
            return;
        }
        if (stage == Stage.HANDSHAKE) {
            server.metrics().handshakeFailed();
        }
        stage = Stage.CLOSED;
        timer.cancel();
        if (key != null) {
            key.cancel();
        }
        in.drop();
        server.loop().closeAfterDeregistration(key, transport::close);
        server.closed(this);
    }

    private Object peer() {
        return client.address();
    }
}
