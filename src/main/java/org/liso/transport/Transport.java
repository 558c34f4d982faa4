package org.liso.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

/**
 * The byte stream under a connection: plain TCP or TLS. Non-blocking; loop thread only.
 *
 * <p>The connection above decides what it wants (read more requests, write responses) and asks the transport what
 * the wire needs on top of that: a TLS handshake may need to read while the application wants to write, and wrapped
 * bytes may wait in the transport after the application's own buffers are empty. The selector interest is the union:
 * <pre>
 *   OP_READ  = app wants to read  || {@link #needsRead()}
 *   OP_WRITE = app has output     || {@link #hasPendingOutput()}
 * </pre>
 */
public interface Transport {

    /**
     * Reads application bytes into {@code dst}.
     *
     * @return bytes read, 0 when nothing is available now, -1 at end of stream (FIN or TLS close_notify)
     * @throws IOException on reset or protocol failure; the connection then closes quietly
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Writes application bytes from {@code srcs}; consumes what the transport accepted now.
     *
     * @return bytes of {@code srcs} consumed (may be 0 when the socket or the transport's own buffer is full)
     */
    long write(ByteBuffer[] srcs, int offset, int length) throws IOException;

    /**
     * Sends up to {@code count} bytes of {@code file} from {@code position}. Plain TCP uses zero-copy
     * {@link FileChannel#transferTo}; TLS reads a bounded chunk and encrypts it.
     *
     * @return bytes of the file consumed; less than {@code count} only when the socket (or the transport's own
     *         buffer) is full or the file ended, which the output queue takes as "this turn is over"
     */
    long transferFrom(FileChannel file, long position, long count) throws IOException;

    /** Writes out bytes the transport holds (e.g. TLS records); true when nothing is left pending. */
    boolean flush() throws IOException;

    /** The transport holds bytes for the wire that a write-ready socket would let it send. */
    boolean hasPendingOutput();

    /** The transport must read from the wire to make progress (e.g. the TLS handshake waits for the peer). */
    boolean needsRead();

    /** Bytes of application data already decrypted and waiting (TLS), to be read without waiting for the socket. */
    default boolean hasBufferedInput() {
        return false;
    }

    /**
     * True while a TLS handshake is still running; the connection arms its handshake timeout until this turns false,
     * so a peer that stops mid-handshake is closed instead of holding a connection slot forever.
     */
    default boolean handshaking() {
        return false;
    }

    /**
     * The protocol ALPN chose (RFC 7301), e.g. {@code http/1.1} or {@code h2}; "" when the client offered none; null
     * for a transport without ALPN (plain TCP) or before the handshake is done.
     */
    default String applicationProtocol() {
        return null;
    }

    /** True once a TLS handshake resumed an earlier session (RFC 8446 §2.2) instead of making a new one. */
    default boolean resumed() {
        return false;
    }

    /** True for TLS (the {@code HTTPS} CGI variable, the scheme in redirects). */
    boolean isSecure();

    /**
     * Begins an orderly close of the write side: TLS queues close_notify; plain TCP shuts output down. Pending
     * output is still flushed by {@link #flush()}.
     */
    void shutdownOutput() throws IOException;

    /** Closes at once, without waiting for anything. Idempotent. */
    void close();

    SocketChannel channel();
}
