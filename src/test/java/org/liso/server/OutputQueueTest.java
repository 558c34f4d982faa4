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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.transport.PlainTransport;

/**
 * Byte counting per response over a real loopback socket with small buffers, so writes are partial: each response
 * is credited exactly the body bytes the socket took, pipelined responses apart, and the log actions run in order
 * when their last byte went or when the queue is dropped.
 */
class OutputQueueTest {
    private static final int BODY = 200_000;
    private static final int FILE = 300_000;

    @TempDir
    Path dir;
    private ServerSocketChannel listener;
    private SocketChannel client;
    private SocketChannel server;
    private PlainTransport transport;

    @BeforeEach
    void connect() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        client = SocketChannel.open();
        client.setOption(StandardSocketOptions.SO_RCVBUF, 8192);
        client.connect(listener.getLocalAddress());
        server = listener.accept();
        server.setOption(StandardSocketOptions.SO_SNDBUF, 8192);
        server.configureBlocking(false);
        transport = new PlainTransport(server);
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        server.close();
        listener.close();
    }

    private static ByteBuffer bytes(int n) {
        return ByteBuffer.wrap(new byte[n]);
    }

    /** Two pipelined responses: a 10-byte head and a 200 KB buffer body, an 11-byte head and a 300 KB file. */
    private List<String> queueTwo(OutputQueue q, OutputQueue.Sent a, OutputQueue.Sent b) throws IOException {
        List<String> log = new ArrayList<>();
        Path file = Files.write(dir.resolve("f"), new byte[FILE]);
        q.add(bytes(10));
        q.add(bytes(BODY), a);
        q.whenWritten(() -> log.add("a " + a.bytes()));
        q.add(bytes(11));
        q.addFile(FileChannel.open(file), 0, FILE, b);
        q.whenWritten(() -> log.add("b " + b.bytes()));
        return log;
    }

    @Test
    void eachResponseIsCreditedWhatTheSocketTookAndLoggedWhenItsLastByteWent() throws IOException {
        OutputQueue q = new OutputQueue(SendOptions.DEFAULT.fileBytesPerTurn());
        OutputQueue.Sent a = new OutputQueue.Sent();
        OutputQueue.Sent b = new OutputQueue.Sent();
        List<String> log = queueTwo(q, a, b);
        long written = 0;
        long read = 0;
        ByteBuffer sink = ByteBuffer.allocate(4096);
        int partialWrites = 0;
        while (!q.isEmpty()) {
            q.beginTurn(); // as the connection does on every readiness event
            long n = q.writeTo(transport);
            written += n;
            partialWrites += q.isEmpty() ? 0 : 1;
            // What is credited is always what went to the socket, minus the heads, split at the first body's end.
            assertThat(a.bytes()).isEqualTo(Math.max(0, Math.min(written - 10, BODY)));
            assertThat(b.bytes()).isEqualTo(Math.max(0, Math.min(written - 10 - BODY - 11, FILE)));
            assertThat(log).hasSize(a.bytes() == BODY ? (b.bytes() == FILE ? 2 : 1) : 0);
            sink.clear();
            read += client.read(sink);
        }
        assertThat(partialWrites).as("the small buffers made writes partial").isGreaterThan(10);
        assertThat(log).containsExactly("a " + BODY, "b " + FILE);
        assertThat(written).isEqualTo(10 + BODY + 11 + FILE);
        assertThat(read).isLessThanOrEqualTo(written);
    }

    @Test
    void droppingTheQueueLogsWhatWentOutSoFarInOrder() throws IOException {
        OutputQueue q = new OutputQueue(SendOptions.DEFAULT.fileBytesPerTurn());
        OutputQueue.Sent a = new OutputQueue.Sent();
        OutputQueue.Sent b = new OutputQueue.Sent();
        List<String> log = queueTwo(q, a, b);
        long written = 0;
        for (long n; (n = q.writeTo(transport)) > 0;) {
            written += n; // until the socket is full: the client reads nothing
        }
        assertThat(written).isGreaterThan(10).isLessThan(BODY);
        assertThat(log).isEmpty();
        q.clear(); // the connection closes
        assertThat(log).containsExactly("a " + (written - 10), "b 0");
        assertThat(q.isEmpty()).isTrue();
    }

    @Test
    void anActionWithNothingAheadOfItRunsAtOnce() throws IOException {
        OutputQueue q = new OutputQueue(SendOptions.DEFAULT.fileBytesPerTurn());
        List<String> log = new ArrayList<>();
        q.whenWritten(() -> log.add("now"));
        assertThat(log).containsExactly("now");
        q.add(bytes(5));
        q.whenWritten(() -> log.add("after 5"));
        assertThat(q.isEmpty()).isFalse();
        assertThat(q.writeTo(transport)).isEqualTo(5);
        assertThat(log).containsExactly("now", "after 5");
        assertThat(q.isEmpty()).isTrue();
    }
}
