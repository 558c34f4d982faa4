package org.liso.transport.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import org.liso.Log;
import org.liso.transport.Transport;

/**
 * TLS over a non-blocking socket with an {@link SSLEngine}, driven by the loop: every call makes what progress the
 * socket allows now and returns; the handshake advances inside {@link #read}, {@link #write} and {@link #flush}.
 *
 * <pre>
 *   HANDSHAKING --engine reports FINISHED--> OPEN
 *        |                                     |
 *        +--alert / EOF / close() ---------> CLOSED <--close()
 * </pre>
 * Within OPEN, close_notify travels as the engine's inbound/outbound-done flags: a received close_notify makes
 * {@link #read} return -1 (RFC 8446 §6.1); {@link #shutdownOutput} queues ours, and once it is on the wire the TCP
 * write side is shut down too.
 *
 * <p>Buffers, the engine and the wrap/unwrap calls that fill and drain them are {@link RecordIo}'s; the handshake's
 * own steps (ticket routing, unwrapping, whether it resumed) are {@link Handshake}'s. {@link #write} stops consuming
 * when the socket stops taking, which is the back-pressure the connection above sees.
 *
 * <p>Delegated tasks (NEED_TASK: key exchange and the signature, about 1 ms of CPU per full handshake) run inline on
 * the loop thread; see {@link Handshake} for the measurement behind that choice. An idle connection retains about
 * 6 KiB of heap (its engine and session), so 10,000 idle TLS connections need about 60 MiB.
 */
public final class TlsTransport implements Transport {

    enum State { HANDSHAKING, OPEN, CLOSED }

    /** RFC 8446 §5.1: the largest plaintext one record carries. */
    static final int MAX_PLAINTEXT = 16_384;
    /** Records wrapped before one socket write (see the class comment). */
    static final int BATCH_RECORDS = 4;
    private static final String LOG = "tls";

    private final SocketChannel channel;
    private final RecordIo io;
    private final Handshake handshake;
    private State state = State.HANDSHAKING;
    private boolean tcpOutputShut;
    private boolean closeNotifyReceived;
    /** The input ended: the peer's close_notify, or a FIN ({@link #endOfStream}). */
    private boolean inputEnded;
    /** {@link #shutdownOutput} was called: close_notify is queued in the engine or on its way. */
    private boolean outputClosing;

    /**
     * @param pool record-sized buffers ({@code netIn}, {@code appIn})
     * @param batches buffers for {@link #BATCH_RECORDS} wrapped records ({@code netOut}, file chunks)
     */
    TlsTransport(SocketChannel channel, SSLEngine engine, BufferPool pool, BufferPool batches, boolean resumption)
            throws IOException {
        this(channel, engine, pool, batches, resumption, null);
    }

    /** @param router the ticket keys, when a retired one may still resume (see {@link TicketRing}) */
    TlsTransport(SocketChannel channel, SSLEngine engine, BufferPool pool, BufferPool batches, boolean resumption,
            TicketRing router) throws IOException {
        this.channel = channel;
        this.io = new RecordIo(channel, engine, pool, batches);
        this.handshake = new Handshake(io, resumption, router);
        engine.beginHandshake();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        try {
            if (!dst.hasRemaining()) {
                return 0;
            }
            if (io.holdsPlaintext()) {
                return io.drainAppIn(dst);
            }
            if (state == State.CLOSED || inputEnded) {
                return -1;
            }
            if (!advance()) {
                return io.holdsPlaintext() ? io.drainAppIn(dst) : 0;
            }
            return readRecords(dst);
        } catch (SSLException e) {
            throw fail(e);
        }
    }

    private int readRecords(ByteBuffer dst) throws IOException {
        while (true) {
            if (io.netIn() != null) {
                int start = dst.position();
                Status s = unwrapApplication(dst);
                if (s == Status.CLOSED) {
                    closeNotifyReceived = true;
                    inputEnded = true;
                    advance();
                    return -1;
                }
                int n = dst.position() - start;
                if (s == Status.OK && n > 0) {
                    return n;
                }
                if (s == Status.OK) {
                    // A record without application data (KeyUpdate, an alert warning): look for the next.
                    continue;
                }
                if (s == Status.BUFFER_OVERFLOW) {
                    return 0;
                }
            }
            int got = io.fillNetIn();
            if (got == 0) {
                return 0;
            }
            if (got < 0) {
                return endOfStream();
            }
        }
    }

    /** Unwraps one record into {@code dst}, or through {@code appIn} when {@code dst} is too small for it. */
    private Status unwrapApplication(ByteBuffer dst) throws IOException {
        SSLEngineResult r = io.unwrap(dst);
        if (r.getStatus() == Status.BUFFER_OVERFLOW) {
            r = io.unwrapToAppIn();
            if (io.holdsPlaintext()) {
                io.drainAppIn(dst);
            }
        }
        if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK || r.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            advance();
        }
        return r.getStatus();
    }

    private int endOfStream() {
        inputEnded = true;
        try {
            engine().closeInbound();
        } catch (SSLException truncated) {
            // FIN without close_notify (RFC 8446 §6.1 calls it truncation); HTTP framing tells whether data was cut.
            Log.debug(LOG, "peer closed without close_notify", "peer", peer());
        }
        return -1;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        try {
            if (!readyToWrite()) {
                return 0;
            }
            long total = 0;
            while (RecordIo.remaining(srcs, offset, length) > 0) {
                long n = io.wrapBatch(srcs, offset, length);
                total += n;
                if (!io.flushNetOut() || n == 0) {
                    break;
                }
            }
            return total;
        } catch (SSLException e) {
            throw fail(e);
        }
    }

    @Override
    public long transferFrom(FileChannel file, long position, long count) throws IOException {
        try {
            if (!readyToWrite()) {
                return 0;
            }
            return io.transfer(file, position, count);
        } catch (SSLException e) {
            throw fail(e);
        }
    }

    private boolean readyToWrite() throws IOException {
        if (state == State.CLOSED) {
            throw new ClosedChannelException();
        }
        if (outputMayBeClosed() && engine().isOutboundDone()) {
            throw new IOException("TLS output already closed (close_notify sent)");
        }
        return advance() && io.flushNetOut();
    }

    @Override
    public boolean flush() throws IOException {
        if (state == State.CLOSED) {
            return true;
        }
        try {
            advance();
            if (outputClosing) {
                io.drainEngine();
            }
            boolean done = io.flushNetOut() && engine().getHandshakeStatus() != HandshakeStatus.NEED_WRAP
                    && (!outputClosing || engine().isOutboundDone());
            if (done && !tcpOutputShut && outputMayBeClosed() && engine().isOutboundDone()) {
                tcpOutputShut = true;
                channel.shutdownOutput();
            }
            return done;
        } catch (SSLException e) {
            throw fail(e);
        }
    }

    /**
     * Whether the engine's output can be done: we closed it, or a close_notify came in (BoringSSL then closes both
     * directions). Only then is the engine asked, since each of Conscrypt's {@code isOutboundDone}/{@code
     * isInboundDone} takes its lock and a JNI call into BoringSSL ({@code SSL_get_shutdown}), several per request on a
     * keep-alive connection otherwise; a fatal alert fails the connection through {@link #fail} instead.
     */
    private boolean outputMayBeClosed() {
        return outputClosing || closeNotifyReceived;
    }

    @Override
    public boolean hasPendingOutput() {
        return state != State.CLOSED && (io.holdsOutput() || engine().getHandshakeStatus() == HandshakeStatus.NEED_WRAP
                || outputClosing && !engine().isOutboundDone());
    }

    @Override
    public boolean needsRead() {
        if (state != State.HANDSHAKING) {
            return false;
        }
        HandshakeStatus hs = engine().getHandshakeStatus();
        return hs == HandshakeStatus.NEED_UNWRAP || hs == HandshakeStatus.NEED_UNWRAP_AGAIN;
    }

    @Override
    public boolean hasBufferedInput() {
        return state != State.CLOSED && (io.holdsPlaintext() || Records.hasCompleteRecord(io.netIn()));
    }

    @Override
    public boolean handshaking() {
        return state == State.HANDSHAKING;
    }

    @Override
    public boolean isSecure() {
        return true;
    }

    /** The negotiated protocol (e.g. {@code TLSv1.3}), or null before the handshake is done. */
    public String protocol() {
        return state == State.OPEN ? engine().getSession().getProtocol() : null;
    }

    /**
     * The ALPN protocol chosen ({@code http/1.1}, {@code h2}), "" when none was (the client offered none), null
     * before the handshake. JSSE says "" itself; Conscrypt says null for none, which the handshake state tells apart.
     */
    @Override
    public String applicationProtocol() {
        String p = engine().getApplicationProtocol();
        return p == null && state == State.OPEN ? "" : p;
    }

    @Override
    public boolean resumed() {
        return handshake.resumed();
    }

    /** The input ended with the peer's close_notify rather than a bare TCP FIN (truncation, RFC 8446 §6.1). */
    public boolean closeNotifyReceived() {
        return closeNotifyReceived;
    }

    @Override
    public void shutdownOutput() throws IOException {
        if (state == State.CLOSED || engine().isOutboundDone()) {
            return;
        }
        outputClosing = true;
        engine().closeOutbound();
        flush();
    }

    @Override
    public void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        engine().closeOutbound();
        try {
            // Both directions closed: the native engine frees its BoringSSL state now rather than when the
            // collector finds the engine (JSSE has nothing to free).
            engine().closeInbound();
        } catch (SSLException noCloseNotify) {
            // JSSE's complaint that the peer sent no close_notify: closing at once is what was asked
        }
        io.releaseAll();
        try {
            channel.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public SocketChannel channel() {
        return channel;
    }

    /**
     * Runs the handshake (and post-handshake wraps: session tickets, KeyUpdate replies, close_notify) as far as the
     * socket allows.
     *
     * @return true when no handshake step is waiting (the caller may move application data)
     */
    private boolean advance() throws IOException {
        while (true) {
            HandshakeStatus hs = engine().getHandshakeStatus();
            switch (hs) {
                case NEED_TASK -> Handshake.runTasks(engine());
                case NEED_WRAP -> {
                    if (!io.flushNetOut()) {
                        return false;
                    }
                    io.wrap(RecordIo.NOTHING, 0, 1);
                    if (!io.flushNetOut()) {
                        return false;
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (state != State.HANDSHAKING) {
                        return true; // waiting for the peer's close_notify: read() does that
                    }
                    if (!handshake.unwrap()) {
                        return false;
                    }
                }
                default -> {
                    if (state == State.HANDSHAKING) {
                        finished();
                    }
                    return true;
                }
            }
        }
    }

    private void finished() {
        state = State.OPEN;
        handshake.finished();
        if (Log.enabled(Log.Level.DEBUG)) {
            SSLEngine engine = engine();
            Log.debug(LOG, "handshake done", "peer", peer(), "protocol", engine.getSession().getProtocol(),
                    "cipher", engine.getSession().getCipherSuite(), "alpn", engine.getApplicationProtocol());
        }
    }

    /** The connection's engine: the one it was made with, or the one the handshake routed it to. */
    private SSLEngine engine() {
        return io.engine();
    }

    /** Sends the alert the engine queued for {@code e} if the socket takes it now, then reports the failure. */
    private IOException fail(SSLException e) {
        io.sendAlert();
        return e;
    }

    /** The peer's address, which Log prints as {@code 127.0.0.1:50002}. */
    private Object peer() {
        try {
            return channel.getRemoteAddress();
        } catch (IOException e) {
            return "?";
        }
    }
}
