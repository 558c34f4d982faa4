package org.liso.echo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.liso.loop.ConnectionBudget;
import org.liso.loop.EventLoop;
import org.liso.testing.Await;
import org.liso.testing.KernelBuffers;

/** The echo server on real loopback sockets: many clients, partial I/O, back-pressure, resets and half-closes. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EchoServerIT {
    private static final int BUFFER = EchoServer.DEFAULT_BUFFER;
    private static EventLoop loop;
    private static EchoServer server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        loop = new EventLoop("echo-test");
        server = new EchoServer(loop, new ConnectionBudget(2000), BUFFER, 60_000);
        port = server.listen(new InetSocketAddress("127.0.0.1", 0), 1024).getPort();
        Thread t = new Thread(loop::run, "echo-loop");
        t.setDaemon(true);
        t.start();
    }

    @AfterAll
    static void stop() throws Exception {
        loop.stop();
        loop.awaitStop(5000);
    }

    private static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] b = new byte[n];
        new DataInputStream(in).readFully(b);
        return b;
    }

    @Test
    @Order(1)
    void eightHundredClientsHundredRoundsOfRandomMessages() throws Exception {
        List<Socket> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            for (int i = 0; i < 800; i++) {
                Socket s = new Socket("127.0.0.1", port);
                s.setSoTimeout(20_000);
                clients.add(s);
            }
            Random rnd = new Random(42);
            AtomicLong verified = new AtomicLong();
            for (int round = 0; round < 100; round++) {
                List<Socket> shuffled = new ArrayList<>(clients);
                Collections.shuffle(shuffled, rnd);
                List<Future<?>> work = new ArrayList<>();
                for (Socket s : shuffled.subList(0, 50)) {
                    byte[] msg = new byte[1 + rnd.nextInt(32767)];
                    rnd.nextBytes(msg);
                    work.add(pool.submit(() -> {
                        s.getOutputStream().write(msg);
                        byte[] back = readExactly(s.getInputStream(), msg.length);
                        assertThat(Arrays.equals(back, msg)).as("bytes echoed exactly").isTrue();
                        verified.addAndGet(msg.length);
                        return null;
                    }));
                }
                for (Future<?> f : work) {
                    f.get(60, TimeUnit.SECONDS);
                }
            }
            assertThat(verified.get()).isGreaterThan(50L * 100);
            assertThat(server.stats().openConnections()).isGreaterThanOrEqualTo(800);
        } finally {
            pool.shutdownNow();
            for (Socket s : clients) {
                s.close();
            }
        }
    }

    @Test
    @Order(2)
    void aClientThatSendsMoreThanTheKernelCanHoldWithoutReadingCannotGrowTheServer() throws Exception {
        // Every kernel buffer on the way can hold part of the stream: the server's receive buffer autotunes up to
        // tcp_rmem's maximum (32 MiB on some machines) and its send buffer up to tcp_wmem's. Only a stream larger
        // than all of them together proves the server stopped reading; the client's own buffers are pinned small.
        int size = (int) Math.min(256L << 20, Math.max(10L << 20, KernelBuffers.maxInFlight()
                + (8L << 20)));
        byte[] data = new byte[size];
        new Random(7).nextBytes(data);
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(64 << 10);
            s.setSendBufferSize(64 << 10);
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(30_000);
            AtomicLong sent = new AtomicLong();
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    for (int off = 0; off < data.length; off += 8192) {
                        out.write(data, off, Math.min(8192, data.length - off));
                        sent.addAndGet(Math.min(8192, data.length - off));
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            writer.start();
            long settled = Await.settled("bytes the client could send", 500, 60_000, sent::get);
            assertThat(settled).as("the client is blocked before all %d bytes", data.length).isLessThan(data.length);
            long echoed = server.stats().bytesEchoed();
            assertThat(server.stats().maxQueuedBytes()).as("server-side queue bound").isLessThanOrEqualTo(BUFFER);
            byte[] back = readExactly(s.getInputStream(), data.length);
            writer.join(30_000);
            assertThat(Arrays.equals(back, data)).as("every byte comes back, in order").isTrue();
            assertThat(server.stats().bytesEchoed()).as("the server went on once the client read")
                    .isGreaterThan(echoed);
        }
    }

    @Test
    @Order(3)
    void resetsAndHalfClosesAreNormalEvents() throws Exception {
        for (int i = 0; i < 50; i++) {
            Socket s = new Socket("127.0.0.1", port);
            s.getOutputStream().write(new byte[100_000]);
            s.setSoLinger(true, 0); // RST instead of FIN, with data still in flight
            s.close();
        }
        for (int i = 0; i < 50; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                byte[] msg = ("half-close " + i).repeat(1000).getBytes();
                s.getOutputStream().write(msg);
                s.shutdownOutput();
                byte[] back = s.getInputStream().readAllBytes();
                assertThat(back).isEqualTo(msg);
            }
        }
    }

    @Test
    @Order(4)
    void theLoopStillServesNewClientsAfterAllOfThat() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("still here".getBytes());
            assertThat(new String(readExactly(s.getInputStream(), 10))).isEqualTo("still here");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.stats().openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(server.stats().openConnections()).as("every closed client was released").isZero();
    }
}
