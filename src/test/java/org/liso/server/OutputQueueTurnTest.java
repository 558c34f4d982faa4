package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.transport.PlainTransport;

/**
 * A file region goes out in bounded turns over a real loopback socket: at most the quantum per turn, and nothing
 * more in a turn once the socket took less than offered (it is full; asking again only costs an EAGAIN).
 */
class OutputQueueTurnTest {
    private static final int FILE = 8 << 20;
    private static final long QUANTUM = 64 << 10;

    @TempDir
    Path dir;
    private ServerSocketChannel listener;
    private SocketChannel client;
    private SocketChannel server;
    private PlainTransport transport;
    private OutputQueue.Sent sent;

    @BeforeEach
    void connect() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        client = SocketChannel.open();
        client.connect(listener.getLocalAddress());
        server = listener.accept();
        server.configureBlocking(false);
        transport = new PlainTransport(server);
        sent = new OutputQueue.Sent();
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        server.close();
        listener.close();
    }

    private OutputQueue queueFile(long quantum) throws IOException {
        Path file = Files.write(dir.resolve("f"), new byte[FILE]);
        OutputQueue q = new OutputQueue(quantum);
        q.addFile(FileChannel.open(file), 0, FILE, sent);
        return q;
    }

    @Test
    void aTurnSendsAtMostTheQuantumThenTheNextTurnGoesOn() throws IOException {
        OutputQueue q = queueFile(QUANTUM);
        q.beginTurn();
        assertThat(q.writeTo(transport)).as("first turn: an empty socket takes the whole quantum").isEqualTo(QUANTUM);
        assertThat(q.writeTo(transport)).as("the same turn again: its budget is spent").isZero();
        q.beginTurn();
        assertThat(q.writeTo(transport)).as("the next turn").isEqualTo(QUANTUM);
        assertThat(sent.bytes()).isEqualTo(2 * QUANTUM);
    }

    @Test
    void aShortTransferEndsTheTurnEvenWhenTheClientDrainsMeanwhile() throws IOException {
        server.setOption(StandardSocketOptions.SO_SNDBUF, 16 << 10);
        OutputQueue q = queueFile(Long.MAX_VALUE);
        q.beginTurn();
        long first = q.writeTo(transport);
        assertThat(first).as("the small socket buffer took part of the file").isPositive().isLessThan(FILE);
        drain(first);
        assertThat(q.writeTo(transport)).as("same turn: the socket said full, it is not asked again").isZero();
        q.beginTurn();
        assertThat(q.writeTo(transport)).as("a new turn (the socket is writable again)").isPositive();
    }

    /** Reads what the server sent so far, so the socket has room again (bounded by a deadline, no sleeps). */
    private void drain(long bytes) throws IOException {
        ByteBuffer sink = ByteBuffer.allocate(64 << 10);
        long got = 0;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (got < bytes && System.nanoTime() < deadline) {
            got += client.read(sink.clear());
        }
        assertThat(got).isEqualTo(bytes);
    }
}
