package org.liso.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Slow attackers on one selector thread (slowloris and slow-POST): each connection first sends {@code prefix} at once,
 * then {@code trickle} one byte per {@code tickMillis}, and is reopened whenever the server closes it, until the run
 * ends. Records how long every connection lived and what status (if any) the server sent before closing it.
 */
public final class SlowClients {

    /** Connections the server closed, the longest lifetime of those, statuses seen, and those still open at the end. */
    public record Result(long closedByServer, long maxLifetimeMillis, Map<Integer, Long> statuses, long openAtEnd,
            long connectFailures) {
    }

    private SlowClients() {
    }

    public static Result run(int port, int connections, String prefix, String trickle, long tickMillis,
            long durationMillis) throws IOException {
        byte[] head = prefix.getBytes(StandardCharsets.ISO_8859_1);
        byte[] drip = trickle.getBytes(StandardCharsets.ISO_8859_1);
        long end = System.nanoTime() + durationMillis * 1_000_000L;
        long closed = 0;
        long maxLife = 0;
        long connectFailures = 0;
        Map<Integer, Long> statuses = new TreeMap<>();
        List<Slow> all = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < connections; i++) {
                all.add(open(selector, port, i));
            }
            while (System.nanoTime() < end) {
                selector.select(50);
                long now = System.nanoTime();
                for (SelectionKey k : selector.selectedKeys()) {
                    Slow s = (Slow) k.attachment();
                    try {
                        if (k.isConnectable()) {
                            s.ch.finishConnect();
                            k.interestOps(SelectionKey.OP_READ);
                            s.started = now;
                            s.ch.write(ByteBuffer.wrap(head));
                            s.nextDrip = now + tickMillis * 1_000_000L;
                            continue;
                        }
                        if (!s.read()) {
                            continue;
                        }
                        closed++;
                        maxLife = Math.max(maxLife, (now - s.started) / 1_000_000L);
                    } catch (IOException e) {
                        if (s.started == 0) {
                            connectFailures++;
                        } else {
                            closed++; // a reset is a close too
                            maxLife = Math.max(maxLife, (now - s.started) / 1_000_000L);
                        }
                    }
                    statuses.merge(s.status(), 1L, Long::sum);
                    k.cancel();
                    s.ch.close();
                    all.set(s.index, open(selector, port, s.index));
                }
                selector.selectedKeys().clear();
                for (Slow s : all) {
                    if (s.started != 0 && s.ch.isOpen() && now >= s.nextDrip) {
                        try {
                            s.ch.write(ByteBuffer.wrap(drip, s.dripped % drip.length, 1));
                            s.dripped++;
                        } catch (IOException serverClosed) {
                            // the read side sees it next
                        }
                        s.nextDrip = now + tickMillis * 1_000_000L;
                    }
                }
            }
            long open = 0;
            for (Slow s : all) {
                if (s.ch.isOpen()) {
                    open++;
                    s.ch.close();
                }
            }
            return new Result(closed, maxLife, statuses, open, connectFailures);
        }
    }

    private static Slow open(Selector selector, int port, int index) throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        Slow s = new Slow(ch, index);
        ch.connect(new InetSocketAddress("127.0.0.1", port));
        ch.register(selector, SelectionKey.OP_CONNECT, s);
        return s;
    }

    private static final class Slow {
        final SocketChannel ch;
        final int index;
        final StringBuilder got = new StringBuilder();
        long started;
        long nextDrip;
        int dripped;

        Slow(SocketChannel ch, int index) {
            this.ch = ch;
            this.index = index;
        }

        /** @return true when the server closed the connection */
        boolean read() throws IOException {
            ByteBuffer b = ByteBuffer.allocate(4096);
            int n = ch.read(b);
            if (n < 0) {
                return true;
            }
            for (int i = 0; i < n && got.length() < 64; i++) {
                got.append((char) (b.get(i) & 0xff));
            }
            return false;
        }

        /** The first response's status, or 0 when the server sent nothing. */
        int status() {
            String s = got.toString();
            if (s.startsWith("HTTP/1.1 ") && s.length() >= 12) {
                return Integer.parseInt(s.substring(9, 12));
            }
            return 0;
        }
    }
}
