package org.liso.files;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cached small file is answered, from its third request in a second on, with the head its loop kept
 * (server.HeadCache); the first two go the general way. So the same request sent several times on one keep-alive
 * connection of a real {@code liso serve} must come back as the same octets every time, for every form the head
 * takes: GET, HEAD, HTTP/1.0 with and without keep-alive, a negotiated variant with Vary and the operator's caching
 * fields, {@code --header} fields, and the {@code Connection: close} of the last request {@code --max-requests}
 * allows. What the kept head must not hide still works after it was kept: 304, 206, a changed file.
 */
class CachedFileHeadsIT {
    private static final int MAX_REQUESTS = 6;
    private static final String CSS = "body { margin: 0; font: 16px/1.4 system-ui, sans-serif; }\n".repeat(40);

    @TempDir
    static Path tmp;

    private static Path root;
    private static LisoServeProcess server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        root = Files.createDirectories(tmp.resolve("www"));
        Files.write(root.resolve("1k.bin"), new byte[1024]);
        Files.writeString(root.resolve("site.css"), CSS);
        server = LisoServeProcess.start(root, List.of(), "--max-requests", String.valueOf(MAX_REQUESTS),
                "--header", "X-Test: kept", "--cache-control", "*.css=max-age=60");
        port = URI.create(server.url).getPort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** One keep-alive connection to the server, read response by response. */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Client() throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        /** Sends {@code request} and reads its whole response, head and body (none for HEAD, 304). */
        String exchange(String request, boolean head) throws IOException {
            out.write(request.getBytes(ISO_8859_1));
            out.flush();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            int state = 0;
            while (state < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed after " + got);
                }
                got.write(b);
                state = (b == '\r' && state % 2 == 0) || (b == '\n' && state % 2 == 1) ? state + 1 : b == '\r' ? 1 : 0;
            }
            String text = got.toString(ISO_8859_1);
            Matcher m = Pattern.compile("\r\nContent-Length: (\\d+)\r\n").matcher(text);
            if (!head && !text.startsWith("HTTP/1.1 304") && m.find()) {
                got.write(in.readNBytes(Integer.parseInt(m.group(1))));
            }
            return got.toString(ISO_8859_1);
        }

        /** The peer closed the connection (after a response that said it would). */
        boolean closedByServer() throws IOException {
            return in.read() < 0;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static String get(String path, String version, String... fields) {
        StringBuilder b = new StringBuilder("GET " + path + " " + version + "\r\nHost: test\r\n");
        for (String f : fields) {
            b.append(f).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    private static String dateOf(String response) {
        Matcher m = Pattern.compile("\r\nDate: ([^\r]+)\r\n").matcher(response);
        assertThat(m.find()).as(response).isTrue();
        return m.group(1);
    }

    /** One round of answers that must all be the same octets. */
    @FunctionalInterface
    private interface Round {
        List<String> answers() throws Exception;
    }

    /**
     * Runs {@code round} until all its answers carry one Date (each second has its own, and its own kept head), and
     * checks that they are the same octets.
     */
    private static String sameWithinASecond(String what, Round round) throws Exception {
        for (int attempt = 0; attempt < 5; attempt++) {
            List<String> answers = round.answers();
            if (answers.stream().map(CachedFileHeadsIT::dateOf).distinct().count() > 1) {
                continue;
            }
            for (int i = 1; i < answers.size(); i++) {
                assertThat(answers.get(i)).as("answer %d to %s", i + 1, what).isEqualTo(answers.get(0));
            }
            return answers.get(0);
        }
        throw new AssertionError("the second turned during every attempt");
    }

    /** {@code request} sent {@code times} times on one connection. */
    private static String sameEveryTime(String request, boolean head, int times) throws Exception {
        return sameWithinASecond(request, () -> {
            List<String> answers = new ArrayList<>();
            try (Client c = new Client()) {
                for (int i = 0; i < times; i++) {
                    answers.add(c.exchange(request, head));
                }
            }
            return answers;
        });
    }

    /**
     * The last answers of three connections, each sent {@code before} requests ahead of {@code last}: the third last
     * answer goes out with a kept head.
     */
    private static String sameLastAnswer(int before, String last) throws Exception {
        return sameWithinASecond(last, () -> {
            List<String> lasts = new ArrayList<>();
            for (int n = 0; n < 3; n++) {
                try (Client c = new Client()) {
                    for (int i = 0; i < before; i++) {
                        assertThat(c.exchange(get("/1k.bin", "HTTP/1.1"), false)).doesNotContain("Connection:");
                    }
                    lasts.add(c.exchange(last, false));
                    assertThat(c.closedByServer()).isTrue();
                }
            }
            return lasts;
        });
    }

    @Test
    void everyFormOfAKeptHeadIsTheOctetsOfTheFirstAnswer() throws Exception {
        String get = sameEveryTime(get("/1k.bin", "HTTP/1.1"), false, 5);
        assertThat(get).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nX-Test: kept\r\n")
                .contains("\r\nContent-Length: 1024\r\n").doesNotContain("Connection:");
        String head = sameEveryTime(get("/1k.bin", "HTTP/1.1").replace("GET", "HEAD"), true, 5);
        assertThat(head).isEqualTo(get.substring(0, get.length() - 1024));
        String oldKept = sameEveryTime(get("/1k.bin", "HTTP/1.0", "Connection: keep-alive"), false, 5);
        assertThat(oldKept).contains("\r\nConnection: keep-alive\r\n");
        String variant = sameEveryTime(get("/site.css", "HTTP/1.1", "Accept-Encoding: gzip"), false, 5);
        assertThat(variant).contains("\r\nContent-Encoding: gzip\r\n").contains("\r\nVary: Accept-Encoding\r\n")
                .contains("\r\nCache-Control: max-age=60\r\n");
        String identity = sameEveryTime(get("/site.css", "HTTP/1.1"), false, 5);
        assertThat(identity).doesNotContain("Content-Encoding").contains("\r\nVary: Accept-Encoding\r\n")
                .endsWith(CSS);
    }

    @Test
    void theLastRequestOfAConnectionIsToldSoByAKeptHeadToo() throws Exception {
        String last = sameLastAnswer(MAX_REQUESTS - 1, get("/1k.bin", "HTTP/1.1"));
        assertThat(last).contains("\r\nConnection: close\r\n").contains("\r\nContent-Length: 1024\r\n");
        String old = sameLastAnswer(0, get("/1k.bin", "HTTP/1.0"));
        assertThat(old).contains("\r\nConnection: close\r\n");
    }

    @Test
    void conditionalRangeAndChangedFilesAreAnsweredAsThemselvesAfterTheHeadWasKept() throws Exception {
        Files.write(root.resolve("change.bin"), new byte[100]);
        try (Client c = new Client()) {
            String full = "";
            for (int i = 0; i < 4; i++) {
                full = c.exchange(get("/change.bin", "HTTP/1.1"), false);
            }
            Matcher tag = Pattern.compile("\r\nETag: ([^\r]+)\r\n").matcher(full);
            assertThat(tag.find()).isTrue();
            String notModified = c.exchange(get("/change.bin", "HTTP/1.1", "If-None-Match: " + tag.group(1)), false);
            assertThat(notModified).startsWith("HTTP/1.1 304 ").doesNotContain("Content-Length");
            String part = c.exchange(get("/change.bin", "HTTP/1.1", "Range: bytes=0-9"), false);
            assertThat(part).startsWith("HTTP/1.1 206 ").contains("\r\nContent-Range: bytes 0-9/100\r\n")
                    .contains("\r\nContent-Length: 10\r\n");
        }
        Files.write(root.resolve("change.bin"), "now other bytes".getBytes(ISO_8859_1));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String answer;
        do { // the cache revalidates an entry once a second
            try (Client c = new Client()) {
                answer = c.exchange(get("/change.bin", "HTTP/1.1"), false);
            }
            if (!answer.endsWith("now other bytes")) {
                Thread.sleep(20);
            }
        } while (!answer.endsWith("now other bytes") && System.nanoTime() < deadline);
        assertThat(answer).contains("\r\nContent-Length: 15\r\n").endsWith("\r\n\r\nnow other bytes");
    }
}
