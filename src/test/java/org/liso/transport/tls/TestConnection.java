package org.liso.transport.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.liso.loop.Readiness;
import org.liso.loop.Timer;
import org.liso.transport.Transport;

/**
 * One connection of {@link TestServer}, driving its {@link Transport} exactly as the HTTP server does: read until
 * 0/-1 (again while {@link Transport#hasBufferedInput()}), write, flush, interest = what the app wants plus what the
 * transport needs; a loop timer closes it if the handshake is not done in time.
 *
 * <pre>
 *   OPEN --input ended / response sent--> CLOSING (close_notify queued) --flushed--> CLOSED
 * </pre>
 */
final class TestConnection implements Readiness {

    enum State { OPEN, CLOSING, CLOSED }

    private final TestServer server;
    private final Transport transport;
    private final TestServer.Mode mode;
    private final Path file;
    private final byte[] body;
    private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    private final ByteBuffer[] one = new ByteBuffer[1];
    private final Timer handshakeTimer;
    private SelectionKey key;
    private State state = State.OPEN;
    private boolean inputDone;
    private boolean responding;
    private FileChannel fileChannel;
    private long filePosition;
    private long fileSize;

    TestConnection(TestServer server, Transport transport, TestServer.Mode mode, Path file, byte[] body) {
        this.server = server;
        this.transport = transport;
        this.mode = mode;
        this.file = file;
        this.body = body;
        this.handshakeTimer = server.loop.timer(this::handshakeTimeout);
    }

    void start(long handshakeTimeoutMillis) throws IOException {
        key = server.loop.register(transport.channel(), SelectionKey.OP_READ, this);
        handshakeTimer.schedule(handshakeTimeoutMillis);
    }

    @Override
    public void ready(int readyOps) {
        try {
            boolean again;
            do {
                if (!inputDone && !responding && buf.hasRemaining()) {
                    readSome();
                }
                if (handshakeTimer.armed() && !transport.handshaking()) {
                    handshakeTimer.cancel();
                    server.handshakes.incrementAndGet();
                    server.alpn.add(String.valueOf(transport.applicationProtocol()));
                }
                if (mode == TestServer.Mode.ECHO) {
                    echo();
                } else {
                    answer();
                }
                again = state == State.OPEN && !inputDone && !responding && buf.hasRemaining()
                        && transport.hasBufferedInput();
            } while (again);
            if (state == State.CLOSING && transport.flush()) {
                close();
                return;
            }
            if (state != State.CLOSED) {
                interest();
            }
        } catch (IOException e) {
            server.failed.incrementAndGet();
            close();
        }
    }

    @Override
    public void failed(RuntimeException fault) {
        close();
    }

    private void readSome() throws IOException {
        while (buf.hasRemaining()) {
            int n = transport.read(buf);
            if (n < 0) {
                inputDone = true;
                if (transport instanceof TlsTransport t && t.closeNotifyReceived()) {
                    server.closeNotifies.incrementAndGet();
                }
                return;
            }
            if (n == 0) {
                return;
            }
        }
    }

    private void echo() throws IOException {
        if (buf.position() > 0) {
            buf.flip();
            one[0] = buf;
            transport.write(one, 0, 1);
            buf.compact();
        }
        transport.flush();
        if (inputDone && buf.position() == 0 && state == State.OPEN) {
            state = State.CLOSING;
            transport.shutdownOutput();
        }
    }

    private void answer() throws IOException {
        if (!responding && headEnded()) {
            responding = true;
            fileSize = file != null ? java.nio.file.Files.size(file) : body.length;
            buf.clear();
            buf.put(("HTTP/1.1 200 OK\r\nContent-Length: " + fileSize + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            if (file == null) {
                buf.put(body);
            } else {
                fileChannel = FileChannel.open(file, StandardOpenOption.READ);
            }
            buf.flip();
        } else if (!responding && inputDone) {
            state = State.CLOSING;
            transport.shutdownOutput();
            return;
        }
        if (!responding || state != State.OPEN) {
            return;
        }
        if (buf.hasRemaining()) {
            one[0] = buf;
            transport.write(one, 0, 1);
        }
        while (!buf.hasRemaining() && fileChannel != null && filePosition < fileSize) {
            long n = transport.transferFrom(fileChannel, filePosition, fileSize - filePosition);
            if (n == 0) {
                break;
            }
            filePosition += n;
        }
        if (!buf.hasRemaining() && (fileChannel == null || filePosition == fileSize)) {
            state = State.CLOSING;
            transport.shutdownOutput();
        }
    }

    private boolean headEnded() {
        byte[] a = buf.array();
        for (int i = 3; i < buf.position(); i++) {
            if (a[i - 3] == '\r' && a[i - 2] == '\n' && a[i - 1] == '\r' && a[i] == '\n') {
                return true;
            }
        }
        return false;
    }

    private void interest() {
        int ops = 0;
        boolean appWantsRead = state == State.OPEN && !inputDone && !responding && buf.hasRemaining();
        if (appWantsRead || transport.needsRead()) {
            ops |= SelectionKey.OP_READ;
        }
        boolean appHasOutput = mode == TestServer.Mode.ECHO ? buf.position() > 0
                : responding && state == State.OPEN;
        if (appHasOutput || transport.hasPendingOutput()) {
            ops |= SelectionKey.OP_WRITE;
        }
        key.interestOps(ops);
    }

    private void handshakeTimeout() {
        if (transport.handshaking()) {
            server.handshakeTimeouts.incrementAndGet();
            close();
        }
    }

    private void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        handshakeTimer.cancel();
        if (key != null) {
            key.cancel();
        }
        transport.close();
        if (fileChannel != null) {
            try {
                fileChannel.close();
            } catch (IOException ignored) {
                // test helper
            }
        }
        server.closed(this);
    }
}
