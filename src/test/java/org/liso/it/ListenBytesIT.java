package org.liso.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code liso listen} where the bytes and the queues matter: --raw is byte-exact, --hex and --print keep every
 * character, a UDP burst is not lost to printing, a unix listener queues as many connects as a TCP one, and a
 * unix path that is in the way is told apart (regular file, stale socket, live socket). Real clients.
 */
class ListenBytesIT {

    /** liso listen with stdout to a file; stderr read for its log. */
    private record Listening(Process process, Path stdout, BufferedReader log) implements AutoCloseable {
        static Listening start(String... args) throws Exception {
            Path out = Files.createTempFile("liso-listen", ".out");
            Process p = new ProcessBuilder(Child.lisoCommand(args)).redirectOutput(out.toFile()).start();
            return new Listening(p, out, new BufferedReader(new InputStreamReader(p.getErrorStream(),
                    StandardCharsets.UTF_8)));
        }

        String awaitLog(String marker) throws Exception {
            for (String l = log.readLine(); l != null; l = log.readLine()) {
                if (l.contains(marker)) {
                    return l;
                }
            }
            throw new AssertionError("liso exited before logging " + marker);
        }

        int port() throws Exception {
            return Integer.parseInt(awaitLog("listening").replaceAll(".*address=\\S*:(\\d+).*", "$1"));
        }

        /** Polls stdout until {@code done} holds or 20 s pass. */
        byte[] output(java.util.function.Predicate<byte[]> done) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            byte[] b = Files.readAllBytes(stdout);
            while (!done.test(b) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
                b = Files.readAllBytes(stdout);
            }
            return b;
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            Files.deleteIfExists(stdout);
        }
    }

    /** 0xff, a lone CR, CRLF, and a 3-byte UTF-8 character straddling byte 8192. */
    private static byte[] awkwardBytes() {
        List<Byte> b = new ArrayList<>();
        for (byte x : new byte[] {'a', (byte) 0xff, 'b', '\r', 'c', '\r', '\n'}) {
            b.add(x);
        }
        while (b.size() < 8191) {
            b.add((byte) 'x');
        }
        for (byte x : "☃ end\n".getBytes(StandardCharsets.UTF_8)) {
            b.add(x);
        }
        byte[] out = new byte[b.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i);
        }
        return out;
    }

    private static void send(int port, byte[] data) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            OutputStream o = s.getOutputStream();
            o.write(data);
            o.flush();
        }
    }

    @Test
    void rawIsByteExactHexShowsEveryByteAndPrintKeepsCharactersWhole() throws Exception {
        byte[] data = awkwardBytes();
        try (Listening raw = Listening.start("listen", "tcp4:0", "--raw")) {
            send(raw.port(), data);
            raw.awaitLog(" close conn=");
            assertThat(raw.output(b -> b.length >= data.length)).isEqualTo(data);
        }
        try (Listening hex = Listening.start("listen", "tcp4:0", "--hex")) {
            send(hex.port(), data);
            hex.awaitLog(" close conn=");
            String dump = new String(hex.output(b -> b.length > 0), StandardCharsets.UTF_8);
            assertThat(dump).containsPattern("\\[1 127\\.0\\.0\\.1:\\d+\\] 00000000  61 ff 62 0d 63 0d 0a 78 ")
                    .contains("|a.b.c..xxxxxxxxx|");
            assertThat(dump.split("\n")).hasSize((data.length + 15) / 16);
        }
        try (Listening print = Listening.start("listen", "tcp4:0", "--print")) {
            send(print.port(), data);
            print.awaitLog(" close conn=");
            String text = new String(print.output(b -> new String(b, StandardCharsets.UTF_8).contains("end")),
                    StandardCharsets.UTF_8);
            assertThat(text).contains("☃ end").doesNotContain("\uFFFD\uFFFD");
        }
    }

    /**
     * 3000 datagrams sent as fast as python3 can: with the default 208 KiB receive buffer most are dropped while
     * the loop prints; with --receive-buffer's 4 MiB default (net.core.rmem_max permitting) the burst waits there.
     */
    @Test
    void aUdpBurstIsNotLostToPrinting() throws Exception {
        int count = 3000;
        try (Listening udp = Listening.start("listen", "udp4:0", "--print")) {
            int port = udp.port();
            Child.Result sent = Child.run(List.of("python3", "-c", Child.PY
                    + "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                    + "for i in range(" + count + "):\n"
                    + "    u.sendto(b'datagram %06d ' % i + b'x' * 80, ('127.0.0.1', " + port + "))\n"));
            assertThat(sent.exit()).as(sent.all()).isZero();
            byte[] out = udp.output(b -> lines(b) >= count);
            int got = lines(out);
            System.out.println("ListenBytesIT: " + got + " of " + count + " datagrams printed");
            assertThat(got).isGreaterThanOrEqualTo(count * 99 / 100);
        }
    }

    private static int lines(byte[] b) {
        int n = 0;
        for (byte x : b) {
            n += x == '\n' ? 1 : 0;
        }
        return n;
    }

    @Test
    void aUnixListenerQueuesAsManyConnectsAsTcp() throws Exception {
        Path dir = Files.createTempDirectory("liso-unix");
        Path sock = dir.resolve("q.sock");
        try (Listening unix = Listening.start("listen", "unix:" + sock, "--sink", "--max-connections", "4096")) {
            unix.awaitLog("listening");
            Child.Result r = Child.run(List.of("python3", "-c", Child.PY
                    + "cs = []; again = 0\n"
                    + "for i in range(200):\n"
                    + "    c = socket.socket(socket.AF_UNIX); c.setblocking(False)\n"
                    + "    try:\n        c.connect(sys.argv[1])\n"
                    + "    except BlockingIOError:\n        again += 1\n"
                    + "    cs.append(c)\n"
                    + "print(again)\n", sock.toString()));
            assertThat(r.exit()).as(r.all()).isZero();
            assertThat(r.out().trim()).as("connects refused with EAGAIN").isEqualTo("0");
        } finally {
            Files.deleteIfExists(sock);
            Files.delete(dir);
        }
    }

    @Test
    void aUnixPathInTheWayIsToldApart() throws Exception {
        Path dir = Files.createTempDirectory("liso-unix");
        Path file = dir.resolve("data.txt");
        Files.writeString(file, "someone's data\n");
        Path stale = dir.resolve("stale.sock");
        Path live = dir.resolve("live.sock");
        // A socket closed without unlink leaves its file behind: a stale socket.
        Child.Result made = Child.run(List.of("python3", "-c", Child.PY
                + "s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(); s.close()\n", stale.toString()));
        assertThat(made.exit()).as(made.all()).isZero();
        try (Child holder = Child.start(List.of("python3", "-c", Child.PY
                + "s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen()\n"
                + Child.pyReady("1"), live.toString()))) {
            holder.line();
            Child.Result onFile = Child.liso("listen", "unix:" + file);
            assertThat(onFile.exit()).isEqualTo(69);
            assertThat(onFile.err()).contains("the path is a regular file, not a socket").contains("do not remove it")
                    .doesNotContain("rm ");
            assertThat(Files.readString(file)).isEqualTo("someone's data\n");
            Child.Result onStale = Child.liso("listen", "unix:" + stale);
            assertThat(onStale.exit()).isEqualTo(69);
            assertThat(onStale.err()).contains("a stale socket file: nothing listens there").contains("rm " + stale);
            Child.Result onLive = Child.liso("listen", "unix:" + live);
            assertThat(onLive.exit()).isEqualTo(69);
            assertThat(onLive.err()).contains("a live process listens there").contains("liso who " + live);
        } finally {
            for (Path p : new Path[] {file, stale, live}) {
                Files.deleteIfExists(p);
            }
            Files.delete(dir);
        }
    }
}
