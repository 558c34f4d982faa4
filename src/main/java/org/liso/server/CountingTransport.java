package org.liso.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import org.liso.transport.Transport;

/**
 * A transport that counts the application bytes through it into its loop's {@link LoopMetrics}: every connection
 * type reads and writes through its transport, so bytes in and out are counted in one place. Forwards every method
 * of {@link Transport}, its defaults included ({@code CountingTransportTest} checks that none is left out).
 */
final class CountingTransport implements Transport {
    private final Transport inner;
    private final LoopMetrics metrics;

    CountingTransport(Transport inner, LoopMetrics metrics) {
        this.inner = inner;
        this.metrics = metrics;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n = inner.read(dst);
        metrics.read(n);
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long n = inner.write(srcs, offset, length);
        metrics.wrote(n);
        return n;
    }

    @Override
    public long transferFrom(FileChannel file, long position, long count) throws IOException {
        long n = inner.transferFrom(file, position, count);
        metrics.wrote(n);
        return n;
    }

    @Override
    public boolean flush() throws IOException {
        return inner.flush();
    }

    @Override
    public boolean hasPendingOutput() {
        return inner.hasPendingOutput();
    }

    @Override
    public boolean needsRead() {
        return inner.needsRead();
    }

    @Override
    public boolean hasBufferedInput() {
        return inner.hasBufferedInput();
    }

    @Override
    public boolean handshaking() {
        return inner.handshaking();
    }

    @Override
    public String applicationProtocol() {
        return inner.applicationProtocol();
    }

    @Override
    public boolean resumed() {
        return inner.resumed();
    }

    @Override
    public boolean isSecure() {
        return inner.isSecure();
    }

    @Override
    public void shutdownOutput() throws IOException {
        inner.shutdownOutput();
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public SocketChannel channel() {
        return inner.channel();
    }
}
