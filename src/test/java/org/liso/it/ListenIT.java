package org.liso.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code liso listen} with real clients: many concurrent echo clients, sink, print tags, UDP, unix, the budget. */
class ListenIT {

    private static int port(String listeningLine) {
        return Integer.parseInt(listeningLine.replaceAll(".*address=\\S*:(\\d+).*", "$1"));
    }

    @Test
    void echoesManyConcurrentClientsByteExactAndLogsEachOpenAndClose() throws Exception {
        try (Child liso = Child.startLiso("listen", "tcp4:0", "--echo")) {
            int port = port(liso.awaitLine("listening"));
            int clients = 40;
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    int seed = i;
                    results.add(pool.submit(() -> echoRoundTrip(port, seed)));
                }
                for (Future<Boolean> f : results) {
                    assertThat(f.get(60, TimeUnit.SECONDS)).isTrue();
                }
            } finally {
                pool.shutdownNow();
            }
            int opens = 0;
            int closes = 0;
            while (closes < clients) {
                String l = liso.line();
                opens += l.contains(" open conn=") && l.contains("peer=127.0.0.1:") ? 1 : 0;
                closes += l.contains(" close conn=") && l.contains("bytes_in=65536") ? 1 : 0;
            }
            assertThat(opens).isEqualTo(clients);
        }
    }

    private static boolean echoRoundTrip(int port, int seed) throws Exception {
        byte[] data = new byte[65536];
        new Random(seed).nextBytes(data);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(20000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            Thread writer = new Thread(() -> {
                try {
                    out.write(data);
                    s.shutdownOutput();
                } catch (Exception ignored) {
                    // the reader sees the short echo
                }
            });
            writer.start();
            byte[] back = in.readAllBytes();
            writer.join();
            return java.util.Arrays.equals(data, back);
        }
    }

    @Test
    void printTagsEachLineWithItsConnection() throws Exception {
        try (Child liso = Child.startLiso("listen", "tcp6:0", "--print")) {
            int port = port(liso.awaitLine("listening"));
            Child.Result py = Child.run(List.of("python3", "-c", Child.PY
                    + "a = socket.create_connection(('::1', " + port + ")); b = socket.create_connection(('::1', " + port
                    + "))\n"
                    + "a.sendall(b'hello from a\\nsecond'); b.sendall('grüße b\\n'.encode()); time.sleep(0.2)\n"
                    + "a.close(); b.close()\n"));
            assertThat(py.exit()).as(py.all()).isZero();
            List<String> printed = new ArrayList<>();
            while (printed.size() < 3) {
                String l = liso.line();
                if (l.startsWith("[")) {
                    printed.add(l);
                }
            }
            assertThat(printed).anyMatch(l -> l.matches("\\[1 \\[::1]:\\d+] hello from a"))
                    .anyMatch(l -> l.matches("\\[1 \\[::1]:\\d+] second"))
                    .anyMatch(l -> l.matches("\\[2 \\[::1]:\\d+] grüße b"));
        }
    }

    @Test
    void sinkDiscardsAndCountsAndUdpEchoes() throws Exception {
        try (Child liso = Child.startLiso("listen", "tcp4:0", "udp6:0", "--sink")) {
            int tcp = port(liso.awaitLine("listening"));
            liso.awaitLine("listening");
            Child.Result py = Child.run(List.of("python3", "-c", Child.PY
                    + "s = socket.create_connection(('127.0.0.1', " + tcp + ")); s.sendall(b'x' * 1000000); s.close()\n"));
            assertThat(py.exit()).isZero();
            assertThat(liso.awaitLine(" close conn=")).contains("bytes_in=1000000");
        }
        try (Child liso = Child.startLiso("listen", "udp6:0", "--echo")) {
            int udp = port(liso.awaitLine("listening"));
            Child.Result py = Child.run(List.of("python3", "-c", Child.PY
                    + "u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u.settimeout(5)\n"
                    + "u.sendto(b'ping', ('::1', " + udp + ")); print(u.recvfrom(100)[0].decode())\n"));
            assertThat(py.out().trim()).as(py.all()).isEqualTo("ping");
            assertThat(liso.awaitLine(" open conn=")).contains("protocol=udp").contains("peer=[::1]:");
        }
    }

    @Test
    void unixSocketEchoesAndIsRemovedOnShutdown() throws Exception {
        Path dir = Files.createTempDirectory("liso-unix");
        Path sock = dir.resolve("echo.sock");
        try (Child liso = Child.startLiso("listen", "unix:" + sock, "--echo")) {
            assertThat(liso.awaitLine("listening")).contains("unix:" + sock);
            Child.Result py = Child.run(List.of("python3", "-c", Child.PY
                    + "s = socket.socket(socket.AF_UNIX); s.connect('" + sock + "'); s.sendall(b'over unix')\n"
                    + "s.shutdown(socket.SHUT_WR); print(s.recv(100).decode())\n"));
            assertThat(py.out().trim()).as(py.all()).isEqualTo("over unix");
            liso.process.destroy();
            assertThat(liso.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(liso.process.exitValue()).isZero();
            assertThat(sock).doesNotExist();
        } finally {
            Files.deleteIfExists(sock);
            Files.delete(dir);
        }
    }

    @Test
    void maxConnectionsClosesTheOneTooMany() throws Exception {
        try (Child liso = Child.startLiso("listen", "tcp4:0", "--echo", "--max-connections", "2")) {
            int port = port(liso.awaitLine("listening"));
            try (Socket a = new Socket("127.0.0.1", port); Socket b = new Socket("127.0.0.1", port)) {
                liso.awaitLine(" open conn=2");
                try (Socket c = new Socket("127.0.0.1", port)) {
                    c.setSoTimeout(5000);
                    int first;
                    try {
                        first = c.getInputStream().read();
                    } catch (java.net.SocketException reset) {
                        first = -1;
                    }
                    assertThat(first).isEqualTo(-1);
                }
                a.getOutputStream().write('k');
                a.setSoTimeout(5000);
                assertThat(a.getInputStream().read()).isEqualTo('k');
            }
        }
    }
}
