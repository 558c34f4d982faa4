import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What the gathering write of a 1 KiB cached file's response costs with its head in a heap buffer (as a head
 * encoded per response is: the JDK copies it into a temporary direct buffer for writev) and with the head in a direct
 * buffer (kept by the loop, server.HeadCache: a view of it goes to writev as it is). The encoding itself is not in
 * either figure (bench/HeadCost.java has it), only what the heap buffer costs the write. The body is a direct buffer both ways, as
 * SmallFileCache keeps it. One blocking loopback connection, a thread draining the client side; nanoseconds per
 * write (syscall included), median of 15 rounds of 200,000 writes after 5 of warm-up, the two ways alternating round
 * by round in one JVM so a busy machine slows both alike.
 * Usage: java bench/HeadWriteCost.java
 */
public class HeadWriteCost {
    private static final int N = 200_000;

    public static void main(String[] args) throws Exception {
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                + "Last-Modified: Tue, 01 Dec 2026 18:16:38 GMT\r\nETag: \"23054f-400-18ed33ff50010e0a\"\r\n"
                + "Accept-Ranges: bytes\r\nDate: Tue, 01 Dec 2026 21:30:00 GMT\r\nServer: liso/0.1.0\r\n"
                + "X-Content-Type-Options: nosniff\r\nContent-Length: 1024\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer body = ByteBuffer.allocateDirect(1024).asReadOnlyBuffer();
        ByteBuffer heapHead = ByteBuffer.wrap(head);
        ByteBuffer kept = ByteBuffer.allocateDirect(head.length).put(head).flip().asReadOnlyBuffer();
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             SocketChannel client = SocketChannel.open(listener.getLocalAddress());
             SocketChannel server = listener.accept()) {
            Thread drain = new Thread(() -> {
                ByteBuffer sink = ByteBuffer.allocateDirect(1 << 20);
                try {
                    while (client.read(sink.clear()) >= 0) {
                        // discard
                    }
                } catch (IOException closed) {
                    // the run is over
                }
            });
            drain.setDaemon(true);
            drain.start();
            long[] heap = new long[15];
            long[] direct = new long[15];
            ByteBuffer[] gather = new ByteBuffer[2];
            for (int r = -5; r < 15; r++) {
                long t = System.nanoTime();
                for (int i = 0; i < N; i++) {
                    gather[0] = heapHead.duplicate();
                    gather[1] = body.duplicate();
                    write(server, gather);
                }
                long a = (System.nanoTime() - t) / N;
                t = System.nanoTime();
                for (int i = 0; i < N; i++) {
                    gather[0] = kept.duplicate();
                    gather[1] = body.duplicate();
                    write(server, gather);
                }
                long b = (System.nanoTime() - t) / N;
                if (r >= 0) {
                    heap[r] = a;
                    direct[r] = b;
                }
            }
            Arrays.sort(heap);
            Arrays.sort(direct);
            System.out.printf("| heap head + direct body | %d ns (%d-%d) |%n", heap[7], heap[0], heap[14]);
            System.out.printf("| kept direct head + direct body | %d ns (%d-%d) |%n", direct[7], direct[0], direct[14]);
            System.out.printf("| ratio | %.2f |%n", (double) direct[7] / heap[7]);
        }
    }

    private static void write(SocketChannel ch, ByteBuffer[] gather) throws IOException {
        while (gather[1].hasRemaining()) {
            ch.write(gather);
        }
    }
}
