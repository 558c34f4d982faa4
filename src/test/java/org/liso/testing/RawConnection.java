package org.liso.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One raw HTTP/1.1 connection for tests: sends exact bytes and reads responses by their framing (see
 * {@link ResponseReader}), every read bounded by one deadline for the whole conversation. A test never decides that a
 * response is over because the server went quiet, and a server that sends less than it announced fails the read
 * with a timeout instead of passing.
 */
public final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final ResponseReader reader;
    private final long deadline;

    private RawConnection(Socket socket, long deadline) throws IOException {
        this.socket = socket;
        this.deadline = deadline;
        this.in = new BufferedInputStream(new DeadlineStream(socket.getInputStream()), 64 * 1024);
        this.reader = new ResponseReader(in);
    }

    /** Connects to 127.0.0.1:{@code port}; everything on this connection must be over within {@code millis}. */
    public static RawConnection open(int port, long millis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress("127.0.0.1", port), (int) millis);
            return new RawConnection(s, deadline);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** A connection already made, e.g. a TLS socket whose handshake the caller did. */
    public static RawConnection over(Socket connected, long millis) throws IOException {
        return new RawConnection(connected, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis));
    }

    public static RawConnection open(int port) throws IOException {
        return open(port, 15_000);
    }

    public Socket socket() {
        return socket;
    }

    public RawConnection send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    public RawConnection send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The next final response (interim 1xx responses are read and dropped). */
    public RawClient.Reply read() throws IOException {
        return read(false);
    }

    /** The next final response to a HEAD request: a head with no body, whatever Content-Length says. */
    public RawClient.Reply readHead() throws IOException {
        return read(true);
    }

    private RawClient.Reply read(boolean head) throws IOException {
        for (;;) {
            RawClient.Reply r = next(head);
            if (r.status() / 100 != 1) {
                return r;
            }
        }
    }

    /** The next response as sent, interim 1xx responses included. */
    public RawClient.Reply next(boolean head) throws IOException {
        RawClient.Reply r = reader.next(head);
        if (r == null) {
            throw new java.io.EOFException("the server closed the connection instead of responding");
        }
        return r;
    }

    /**
     * Waits, within the deadline, for the server to end the connection (EOF or reset) and fails if it sends anything
     * else first or does not close in time.
     */
    public void awaitClose() throws IOException {
        int b;
        try {
            b = in.read();
        } catch (SocketException reset) {
            return;
        }
        if (b >= 0) {
            byte[] more = in.readNBytes(Math.min(in.available(), 200));
            throw new IOException("expected the server to close, it sent: "
                    + RawClient.printable((char) b + new String(more, StandardCharsets.ISO_8859_1)));
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Each read waits at most until the connection's deadline. */
    private final class DeadlineStream extends InputStream {
        private final InputStream raw;

        DeadlineStream(InputStream raw) {
            this.raw = raw;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("the connection's deadline passed");
            }
            socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
            return raw.read(b, off, len);
        }
    }
}
