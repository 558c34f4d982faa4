package org.liso.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Many keep-alive HTTP clients on one selector thread: each connection sends GETs one after the other and checks every
 * response (status 200, Content-Length equal to the file's size, every body byte equal to the file's) as it arrives,
 * without holding bodies in memory. For load and abuse tests against a real server on loopback.
 */
public final class KeepAliveLoad {

    /** A file the clients fetch and the bytes it must come back with. */
    public record Target(String path, byte[] body) {
    }

    /** Responses that were right, wrong (bad status, length or byte), and connections that failed or never ended. */
    public record Result(long ok, long wrong, long failed, List<String> problems) {
        public boolean clean() {
            return wrong == 0 && failed == 0;
        }
    }

    private final int port;
    private final List<Target> targets;
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private long ok;
    private long wrong;
    private long failed;

    private KeepAliveLoad(int port, List<Target> targets) {
        this.port = port;
        this.targets = targets;
    }

    /**
     * Runs {@code connections} clients; each makes {@code requestsEach} requests, or as many as fit before
     * {@code stopIssuingMillis} elapse (whichever comes first). Everything is over after {@code hardLimitMillis}:
     * connections still busy then count as failed.
     */
    public static Result run(int port, int connections, List<Target> targets, long requestsEach,
            long stopIssuingMillis, long hardLimitMillis) throws IOException {
        KeepAliveLoad load = new KeepAliveLoad(port, targets);
        return load.go(connections, requestsEach, stopIssuingMillis, hardLimitMillis);
    }

    private Result go(int connections, long requestsEach, long stopIssuingMillis, long hardLimitMillis)
            throws IOException {
        long start = System.nanoTime();
        long stopIssuing = start + stopIssuingMillis * 1_000_000L;
        long hardLimit = start + hardLimitMillis * 1_000_000L;
        int open = 0;
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < connections; i++) {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                Client c = new Client(ch, i, requestsEach);
                if (ch.connect(new InetSocketAddress("127.0.0.1", port))) {
                    c.sendNext();
                    ch.register(selector, SelectionKey.OP_READ, c);
                } else {
                    ch.register(selector, SelectionKey.OP_CONNECT, c);
                }
                open++;
            }
            while (open > 0 && System.nanoTime() < hardLimit) {
                selector.select(200);
                for (SelectionKey k : selector.selectedKeys()) {
                    Client c = (Client) k.attachment();
                    boolean done;
                    try {
                        done = c.ready(k, System.nanoTime() >= stopIssuing);
                    } catch (IOException e) {
                        fail(c, "I/O error: " + e);
                        done = true;
                    }
                    if (done) {
                        k.cancel();
                        k.channel().close();
                        open--;
                    }
                }
                selector.selectedKeys().clear();
            }
            for (SelectionKey k : selector.keys()) {
                if (k.isValid()) {
                    fail((Client) k.attachment(), "still busy at the hard time limit");
                    k.channel().close();
                }
            }
        }
        return new Result(ok, wrong, failed, List.copyOf(problems));
    }

    private void fail(Client c, String why) {
        failed++;
        if (problems.size() < 20) {
            problems.add("connection " + c.id + " after " + c.done + " responses: " + why);
        }
    }

    private void wrong(Client c, String why) {
        wrong++;
        if (problems.size() < 20) {
            problems.add("connection " + c.id + " response " + (c.done + 1) + ": " + why);
        }
    }

    private final class Client {
        final SocketChannel ch;
        final int id;
        final long requestsEach;
        final ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
        final StringBuilder head = new StringBuilder();
        Target target;
        long done;
        boolean inBody;
        long bodyOffset;
        boolean bodyWrong;

        Client(SocketChannel ch, int id, long requestsEach) {
            this.ch = ch;
            this.id = id;
            this.requestsEach = requestsEach;
        }

        void sendNext() throws IOException {
            target = targets.get((int) ((id + done) % targets.size()));
            ByteBuffer req = ByteBuffer.wrap(("GET " + target.path() + " HTTP/1.1\r\nHost: load\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            while (req.hasRemaining()) {
                if (ch.write(req) == 0) {
                    Thread.onSpinWait(); // a 40-byte request into an empty socket buffer: never for long
                }
            }
            head.setLength(0);
            inBody = false;
            bodyOffset = 0;
            bodyWrong = false;
        }

        /** @return true when this connection is finished (all requests done, or failed) */
        boolean ready(SelectionKey k, boolean stopIssuing) throws IOException {
            if (k.isConnectable()) {
                ch.finishConnect();
                k.interestOps(SelectionKey.OP_READ);
                sendNext();
                return false;
            }
            buf.clear();
            int n = ch.read(buf);
            if (n < 0) {
                fail(this, "server closed the connection" + (inBody ? " in a body" : ""));
                return true;
            }
            buf.flip();
            while (buf.hasRemaining()) {
                if (!inBody) {
                    head.append((char) (buf.get() & 0xff));
                    if (endsWithBlankLine()) {
                        if (!startBody()) {
                            return true;
                        }
                    } else if (head.length() > 16384) {
                        wrong(this, "response head over 16 KiB");
                        return true;
                    }
                    continue;
                }
                int len = (int) Math.min(buf.remaining(), target.body().length - bodyOffset);
                for (int i = 0; i < len; i++) {
                    if (buf.get() != target.body()[(int) bodyOffset + i]) {
                        bodyWrong = true;
                    }
                }
                bodyOffset += len;
                if (bodyOffset == target.body().length && finishBody(stopIssuing)) {
                    return true;
                }
            }
            return false;
        }

        private boolean endsWithBlankLine() {
            int n = head.length();
            return n >= 4 && head.charAt(n - 1) == '\n' && head.charAt(n - 2) == '\r' && head.charAt(n - 3) == '\n'
                    && head.charAt(n - 4) == '\r';
        }

        private boolean startBody() throws IOException {
            String h = head.toString();
            if (!h.startsWith("HTTP/1.1 200 ")) {
                wrong(this, "status line " + h.substring(0, Math.max(0, h.indexOf('\r'))));
                return false;
            }
            long length = -1;
            for (String line : h.split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Long.parseLong(line.substring(15).trim());
                }
            }
            if (length != target.body().length) {
                wrong(this, "Content-Length " + length + " for " + target.path() + ", expected "
                        + target.body().length);
                return false;
            }
            inBody = true;
            return length != 0 || !finishBody(false);
        }

        /** @return true when the connection is finished */
        private boolean finishBody(boolean stopIssuing) throws IOException {
            if (bodyWrong) {
                wrong(this, "body bytes differ from " + target.path());
                return true;
            }
            ok++;
            done++;
            if (done >= requestsEach || stopIssuing) {
                return true;
            }
            sendNext();
            return false;
        }
    }
}
