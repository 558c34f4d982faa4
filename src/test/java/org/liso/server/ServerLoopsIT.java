package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.liso.loop.ConnectionBudget;
import org.liso.loop.EventLoop;
import org.liso.server.spi.Body;
import org.liso.server.spi.Handler;
import org.liso.server.spi.Response;
import org.liso.testing.KeepAliveLoad;
import org.liso.transport.TransportFactory;

/**
 * Two loops serving one address in one process: one port, the load spread over both, a shutdown that serves what
 * is still queued in every loop's listener, one connection budget for the whole server.
 */
class ServerLoopsIT {
    private static final byte[] BODY = "ok\n".getBytes(StandardCharsets.US_ASCII);

    /** Requests answered, by loop thread name. */
    private final Map<String, LongAdder> served = new ConcurrentHashMap<>();
    /** A 1 GiB sparse file served at /big (no disk used), or null. */
    private volatile java.nio.file.Path big;
    private volatile String bigLoop;
    private final Handler counting = ex -> {
        if (big != null && ex.request().path().equals("/big")) {
            bigLoop = Thread.currentThread().getName();
            try {
                java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(big);
                ex.respond(Response.of(200, "application/octet-stream", Body.file(ch, 0, ch.size())));
            } catch (IOException e) {
                throw new org.liso.http.HttpException(500, e.toString());
            }
            return;
        }
        served.computeIfAbsent(Thread.currentThread().getName(), k -> new LongAdder()).increment();
        ex.respond(Response.of(200, "text/plain", Body.bytes(java.nio.ByteBuffer.wrap(BODY))));
    };
    private ServerLoops loops;
    private final List<Thread> threads = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (loops != null) {
            loops.stop();
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
    }

    private InetSocketAddress start(int count, ServerLoops.Accepting accepting, int maxConnections)
            throws Exception {
        loops = new ServerLoops(count, "t", ServerConfig.DEFAULT, counting, null,
                new ConnectionBudget(maxConnections), accepting);
        InetSocketAddress a = loops.listen(new InetSocketAddress("127.0.0.1", 0), TransportFactory.PLAIN, 1024);
        Thread t = new Thread(() -> {
            try {
                loops.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "loops-runner");
        t.setDaemon(true);
        t.start();
        threads.add(t);
        return a;
    }

    @Test
    void aThousandKeepAliveClientsAreSpreadOverTwoReusePortLoops() throws Exception {
        InetSocketAddress a = start(2, ServerLoops.Accepting.REUSEPORT, 4096);
        assertThat(a.getPort()).isPositive();
        spreadOverBothLoops(a.getPort(), 1000);
    }

    @Test
    void withHandOffLoopZeroGivesEachConnectionToTheLoopWithFewest() throws Exception {
        InetSocketAddress a = start(2, ServerLoops.Accepting.HANDOFF, 4096);
        spreadOverBothLoops(a.getPort(), 1000);
    }

    private void spreadOverBothLoops(int port, int clients) throws Exception {
        KeepAliveLoad.Result r = KeepAliveLoad.run(port, clients,
                List.of(new KeepAliveLoad.Target("/x", BODY)), 20, 60_000, 90_000);
        assertThat(r.clean()).as("%s", r.problems()).isTrue();
        assertThat(r.ok()).isEqualTo(clients * 20L);
        long total = served.values().stream().mapToLong(LongAdder::sum).sum();
        assertThat(served).as("requests by loop").hasSize(2);
        for (Map.Entry<String, LongAdder> e : served.entrySet()) {
            assertThat(e.getValue().sum()).as("requests on %s of %d: %s", e.getKey(), total, served)
                    .isLessThanOrEqualTo(total * 60 / 100);
        }
    }

    /**
     * Closing a listening socket resets the connections in its accept queue. Every loop's listener has a queue of
     * its own: with both loops held up, clients that connected and sent a request are queued in both, more than a
     * loop accepts in one turn; the shutdown must answer every one of them, those accepted in the turn it began
     * (whose requests were not read yet) as well as those still queued.
     */
    @Test
    void aShutdownAnswersTheConnectionsQueuedInEveryLoopsListener() throws Exception {
        InetSocketAddress a = start(2, ServerLoops.Accepting.REUSEPORT, 4096);
        CountDownLatch held = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        for (EventLoop loop : loops.loops()) {
            loop.execute(() -> {
                held.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                Socket s = new Socket();
                s.connect(a, 5000); // completes in the kernel: the connection waits in a listener's queue
                s.setSoTimeout(10_000);
                s.getOutputStream().write(("GET /q" + i + " HTTP/1.1\r\nHost: t\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                clients.add(s);
            }
            loops.shutdown(10_000);
            release.countDown();
            int answered = 0;
            for (Socket s : clients) {
                String reply = readAll(s.getInputStream());
                if (reply.startsWith("HTTP/1.1 200 ")) {
                    answered++;
                }
            }
            assertThat(answered).as("queued clients answered").isEqualTo(clients.size());
            assertThat(served).as("both listeners had queued clients").hasSize(2);
        } finally {
            release.countDown();
            for (Socket s : clients) {
                s.close();
            }
        }
    }

    /**
     * A client downloading 1 GiB at 10 KB/s holds its connection for a day: its loop writes what the socket takes
     * and moves on. Meanwhile clients on both loops (the slow one's too) are answered at once.
     */
    @Test
    void aSlowDownloadNeverDelaysTheOtherClients(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("big.bin");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(1L << 30);
        }
        big = file;
        InetSocketAddress a = start(2, ServerLoops.Accepting.REUSEPORT, 4096);
        java.util.concurrent.ScheduledExecutorService pace = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor();
        java.util.concurrent.atomic.AtomicLong downloaded = new java.util.concurrent.atomic.AtomicLong();
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(16 * 1024);
            slow.connect(a, 5000);
            slow.getOutputStream().write("GET /big HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = slow.getInputStream();
            byte[] chunk = new byte[10_000];
            pace.scheduleAtFixedRate(() -> {
                try {
                    downloaded.addAndGet(Math.max(0, in.read(chunk)));
                } catch (IOException e) {
                    downloaded.set(-1);
                }
            }, 0, 1, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (downloaded.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(downloaded.get()).as("the slow download began").isPositive();
            long worst = 0;
            for (int c = 0; c < 40; c++) {
                try (Socket s = new Socket()) {
                    s.connect(a, 5000);
                    s.setSoTimeout(10_000);
                    for (int i = 0; i < 25; i++) {
                        long t0 = System.nanoTime();
                        assertThat(exchange(s)).startsWith("HTTP/1.1 200 ");
                        worst = Math.max(worst, System.nanoTime() - t0);
                    }
                }
            }
            assertThat(served).as("clients answered on both loops, %s serving the slow one", bigLoop).hasSize(2);
            assertThat(TimeUnit.NANOSECONDS.toMillis(worst)).as("slowest answer (ms) during the slow download")
                    .isLessThan(1000);
            assertThat(downloaded.get()).as("the slow download is still going").isBetween(1L, (1L << 30) - 1);
        } finally {
            pace.shutdownNow();
        }
    }

    /** {@code --max-connections} bounds the whole server: loops take their slots from one budget. */
    @Test
    void theConnectionBudgetIsForAllLoopsTogether() throws Exception {
        InetSocketAddress a = start(2, ServerLoops.Accepting.REUSEPORT, 8);
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                Socket s = new Socket();
                s.connect(a, 5000);
                s.setSoTimeout(10_000);
                held.add(s);
                assertThat(exchange(s)).startsWith("HTTP/1.1 200 "); // served, so its slot is taken
            }
            assertThat(served).as("the 8 were spread over both loops").hasSize(2);
            for (int i = 0; i < 20; i++) {
                assertThat(refused(a)).as("connection %d over the budget", 9 + i).isTrue();
            }
            held.remove(0).close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            boolean servedAgain = false;
            while (!servedAgain && System.nanoTime() < deadline) {
                servedAgain = !refused(a);
            }
            assertThat(servedAgain).as("a freed slot is taken again, by either loop").isTrue();
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    private static String exchange(Socket s) throws IOException {
        s.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (!got.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\nok\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            got.write(b);
        }
        return got.toString(StandardCharsets.US_ASCII);
    }

    /** True when the server closed a new connection without answering (the reset may come at once). */
    private static boolean refused(InetSocketAddress a) {
        try (Socket s = new Socket()) {
            s.connect(a, 5000);
            s.setSoTimeout(10_000);
            return !exchange(s).startsWith("HTTP/1.1 200 ");
        } catch (IOException reset) {
            return true;
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                got.write(buf, 0, n);
            }
        } catch (IOException reset) {
            // what came before the reset is the answer
        }
        return got.toString(StandardCharsets.US_ASCII);
    }
}
