package org.liso.transport.tls;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/**
 * The buffers of one TLS connection, its engine, and the engine calls that move bytes between them and the socket;
 * what the handshake and the connection's state decide is {@link Handshake}'s and {@link TlsTransport}'s.
 *
 * <p>{@code netIn} (ciphertext read, possibly a partial record), {@code appIn} (plaintext the caller's buffer had
 * no room for), {@code netOut} (records not yet taken by the socket) are leased from the loop's {@link BufferPool}s
 * only while they hold bytes. Application data is wrapped {@link TlsTransport#BATCH_RECORDS} records at a time into
 * one {@code netOut} before the socket write, so a large response costs one write per 64 KiB, not one per 16 KiB
 * record. At most one batch waits in {@code netOut}.
 */
final class RecordIo {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();
    static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};

    private final SocketChannel channel;
    private final BufferPool pool;
    private final BufferPool batches;
    private final ByteBuffer[] one = new ByteBuffer[1];
    /** The engine the bytes go through; replaced once at most, before any went through it (ticket routing). */
    private SSLEngine engine;
    private ByteBuffer netIn;
    private ByteBuffer appIn;
    private ByteBuffer netOut;

    /**
     * @param pool record-sized buffers ({@code netIn}, {@code appIn})
     * @param batches buffers for {@link TlsTransport#BATCH_RECORDS} wrapped records ({@code netOut}, file chunks)
     */
    RecordIo(SocketChannel channel, SSLEngine engine, BufferPool pool, BufferPool batches) {
        this.channel = channel;
        this.engine = engine;
        this.pool = pool;
        this.batches = batches;
    }

    /** The engine of this connection: the one it was made with, or the one {@link Handshake} routed it to. */
    SSLEngine engine() {
        return engine;
    }

    void use(SSLEngine e) {
        this.engine = e;
    }

    /** Ciphertext read from {@code index 0} to its position, or null when none waits. */
    ByteBuffer netIn() {
        return netIn;
    }

    boolean holdsPlaintext() {
        return appIn != null;
    }

    boolean holdsOutput() {
        return netOut != null;
    }

    /** Reads {@code count} bytes of {@code file} from {@code position}, wraps and writes them as the socket takes. */
    long transfer(FileChannel file, long position, long count) throws IOException {
        long total = 0;
        while (total < count) {
            ByteBuffer chunk = batches.lease();
            try {
                chunk.limit((int) Math.min(count - total, (long) TlsTransport.BATCH_RECORDS * TlsTransport.MAX_PLAINTEXT));
                int n = file.read(chunk, position + total);
                if (n < 0) {
                    if (total == 0) {
                        throw new EOFException("file ended at " + (position + total) + " before the expected "
                                + count + " bytes were sent");
                    }
                    break;
                }
                chunk.flip();
                one[0] = chunk;
                total += wrapBatch(one, 0, 1);
            } finally {
                one[0] = null;
                batches.release(chunk);
            }
            if (!flushNetOut()) {
                break;
            }
        }
        return total;
    }

    /**
     * Unwraps from {@code netIn} into {@code dst}. JSSE consumes nothing when {@code dst} is too small
     * (BUFFER_OVERFLOW); Conscrypt takes the whole record into its BIO and keeps the plaintext, so the retry may find
     * {@code netIn} empty and released: it then unwraps from nothing, which hands over what the engine holds.
     */
    SSLEngineResult unwrap(ByteBuffer dst) throws SSLException {
        if (netIn == null) {
            return engine.unwrap(EMPTY, dst);
        }
        netIn.flip();
        try {
            return engine.unwrap(netIn, dst);
        } finally {
            netIn.compact();
            if (netIn.position() == 0) {
                netIn = release(netIn);
            }
        }
    }

    /** Unwraps one record into {@code appIn} (read mode afterwards, null if nothing was produced). */
    SSLEngineResult unwrapToAppIn() throws SSLException {
        if (appIn == null) {
            appIn = pool.lease();
        } else {
            appIn.compact();
        }
        try {
            SSLEngineResult r = unwrap(appIn);
            if (r.getStatus() == Status.BUFFER_OVERFLOW && appIn.position() == 0
                    && appIn.capacity() < engine.getSession().getApplicationBufferSize()) {
                pool.release(appIn);
                appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
                r = unwrap(appIn);
            }
            return r;
        } finally {
            appIn.flip();
            if (!appIn.hasRemaining()) {
                appIn = release(appIn);
            }
        }
    }

    /**
     * Wraps application data into up to {@link TlsTransport#BATCH_RECORDS} records in one {@code netOut}.
     *
     * @return bytes of {@code srcs} consumed, more than 0 whenever {@code srcs} has bytes
     * @throws IOException when the engine will wrap no more application data (see {@link #closedEngine})
     */
    long wrapBatch(ByteBuffer[] srcs, int offset, int length) throws IOException {
        int packet = engine.getSession().getPacketBufferSize();
        if (batches.size() < 2 * packet) {
            // the engine now wants records the batch cannot hold
            return closedEngine(wrap(srcs, offset, length)).bytesConsumed();
        }
        netOut = batches.lease();
        long consumed = 0;
        try {
            while (netOut.remaining() >= packet && remaining(srcs, offset, length) > 0) {
                SSLEngineResult r = closedEngine(engine.wrap(srcs, offset, length, netOut));
                consumed += r.bytesConsumed();
                if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    Handshake.runTasks(engine);
                }
                if (r.getStatus() != Status.OK || r.bytesConsumed() == 0) {
                    break;
                }
            }
            return consumed;
        } finally {
            netOut.flip();
            if (!netOut.hasRemaining()) {
                netOut = releaseBatch(netOut);
            }
        }
    }

    /**
     * {@code r}, unless it is the engine's CLOSED with nothing consumed: it will take no more application data, and
     * a caller that counted on progress (a file sent batch by batch) would ask again forever. BoringSSL stops writing
     * once the peer's close_notify came in, though TLS 1.3 lets a side go on sending after it (RFC 8446 §6.1), and
     * says so only by this status ({@code isOutboundDone()} stays false); the response cannot be finished then.
     */
    private static SSLEngineResult closedEngine(SSLEngineResult r) throws IOException {
        if (r.getStatus() == Status.CLOSED && r.bytesConsumed() == 0) {
            throw new IOException("TLS engine takes no more application data (the peer closed the connection)");
        }
        return r;
    }

    SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length) throws SSLException {
        netOut = batches.lease();
        try {
            SSLEngineResult r = engine.wrap(srcs, offset, length, netOut);
            if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                batches.release(netOut);
                netOut = ByteBuffer.allocateDirect(engine.getSession().getPacketBufferSize());
                r = engine.wrap(srcs, offset, length, netOut);
            }
            if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                Handshake.runTasks(engine);
            }
            return r;
        } finally {
            netOut.flip();
            if (!netOut.hasRemaining()) {
                netOut = releaseBatch(netOut);
            }
        }
    }

    int fillNetIn() throws IOException {
        if (netIn == null) {
            netIn = pool.lease();
        } else if (!netIn.hasRemaining()) {
            netIn = Records.grow(netIn, engine.getSession().getPacketBufferSize(), pool);
        }
        int n = channel.read(netIn);
        if (netIn.position() == 0) {
            netIn = release(netIn);
        }
        return n;
    }

    boolean flushNetOut() throws IOException {
        if (netOut == null) {
            return true;
        }
        channel.write(netOut);
        if (netOut.hasRemaining()) {
            return false;
        }
        netOut = releaseBatch(netOut);
        return true;
    }

    int drainAppIn(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), appIn.remaining());
        int limit = appIn.limit();
        appIn.limit(appIn.position() + n);
        dst.put(appIn);
        appIn.limit(limit);
        if (!appIn.hasRemaining()) {
            appIn = release(appIn);
        }
        return n;
    }

    private ByteBuffer release(ByteBuffer b) {
        if (b != null) {
            pool.release(b);
        }
        return null;
    }

    private ByteBuffer releaseBatch(ByteBuffer b) {
        if (b != null) {
            batches.release(b);
        }
        return null;
    }

    static long remaining(ByteBuffer[] srcs, int offset, int length) {
        long n = 0;
        for (int i = offset; i < offset + length; i++) {
            n += srcs[i].remaining();
        }
        return n;
    }

    /**
     * Wraps what the engine holds for the wire outside the handshake: close_notify, an alert. JSSE says so with
     * NEED_WRAP; Conscrypt reports NOT_HANDSHAKING once the handshake is done and only {@code isOutboundDone()}
     * tells that bytes still wait in its BIO, which a wrap drains.
     */
    void drainEngine() throws IOException {
        for (int i = 0; i < 4 && !engine.isOutboundDone() && flushNetOut(); i++) {
            wrap(NOTHING, 0, 1);
            if (netOut == null) {
                return; // nothing came out: nothing was waiting
            }
        }
    }

    /** Sends the alert the engine queued after a failure, if the socket takes it now. */
    void sendAlert() {
        try {
            if (flushNetOut() && (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP
                    || !engine.isOutboundDone())) {
                wrap(NOTHING, 0, 1);
                flushNetOut();
            }
        } catch (IOException | RuntimeException ignored) {
            // the peer is told or not; the connection closes either way
        }
    }

    /** Gives every buffer back (the connection closes). */
    void releaseAll() {
        netIn = release(netIn);
        appIn = release(appIn);
        netOut = releaseBatch(netOut);
    }
}
