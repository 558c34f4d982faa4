package org.liso.server;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.liso.http.Headers;
import org.liso.http.HttpDate;
import org.liso.http.Version;
import org.liso.server.spi.Body;
import org.liso.server.spi.ErrorPageSource;
import org.liso.server.spi.Response;
import org.liso.transport.PlainTransport;

/**
 * The heads a loop keeps for bodies sent again and again ({@link HeadCache}) put the same octets on the wire as the
 * general path encodes for the same response: responses with one shared body and the same field objects (as a cached
 * file gives) are compared, over a loopback socket, with the same responses made of fresh objects, which are never
 * kept; for every Connection form, HEAD, HTTP/1.0, lisod's Connection on every response, HSTS and the operator's
 * fields. What differs (another status, another field value, a new second, a handler's own server field) is never
 * answered with a kept head.
 */
class KeptHeadsTest {
    private static final ServerConfig CONFIG = ServerConfig.DEFAULT.withServerHeader("liso/test")
            .withExtraHeaders(List.<String[]>of(new String[] {"X-Content-Type-Options", "nosniff"}))
            .withHsts(600);
    private static final byte[] CONTENT = "0123456789abcdef".repeat(64).getBytes(ISO_8859_1);
    private static final String TYPE = "application/octet-stream";
    private static final String MODIFIED = "Tue, 01 Dec 2026 18:16:38 GMT";
    private static final String ETAG = "\"23054f-400-18ed33ff50010e0a\"";

    private ServerSocketChannel listener;
    private SocketChannel client;
    private SocketChannel server;
    private PlainTransport transport;

    @BeforeEach
    void connect() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        client = SocketChannel.open(listener.getLocalAddress());
        server = listener.accept();
        server.configureBlocking(false);
        transport = new PlainTransport(server);
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        server.close();
        listener.close();
    }

    /** What a cached file's response is made of: the same strings every time, fresh Headers and Response. */
    private static Headers fileFields(String type, String modified, String etag) {
        Headers h = new Headers();
        h.add("Content-Type", type);
        h.add("Last-Modified", modified);
        h.add("ETag", etag);
        h.add("Accept-Ranges", "bytes");
        return h;
    }

    /** The same fields as new String objects of equal content: never the kept head's inputs. */
    private static Headers freshFields() {
        return fileFields(new String(TYPE), new String(MODIFIED), new String(ETAG));
    }

    private static Body freshBody() {
        return Body.bytes(ByteBuffer.allocateDirect(CONTENT.length).put(CONTENT).flip().asReadOnlyBuffer());
    }

    /** One case: a status, the request's version and method, whether the connection closes after it. */
    private record Case(int status, Version version, boolean head, boolean closeAfter, boolean connectionAlways) {
    }

    private static List<Case> cases() {
        List<Case> all = new ArrayList<>();
        for (int status : new int[] {200, 404}) {
            for (Version v : new Version[] {Version.HTTP_1_1, Version.HTTP_1_0}) {
                for (boolean head : new boolean[] {false, true}) {
                    for (boolean close : new boolean[] {false, true}) {
                        for (boolean always : new boolean[] {false, true}) {
                            all.add(new Case(status, v, head, close, always));
                        }
                    }
                }
            }
        }
        return all;
    }

    /** Sends one response through a new sender (one per exchange, as the connection makes them) and reads it. */
    private String send(ServerFields fields, Case c, Response r) throws IOException {
        OutputQueue out = new OutputQueue(SendOptions.DEFAULT.fileBytesPerTurn());
        ResponseSender sender = new ResponseSender(out, fields, c.connectionAlways());
        boolean closes = sender.start(r, c.version(), c.head(), c.closeAfter());
        assertThat(closes).isEqualTo(c.closeAfter());
        assertThat(sender.complete()).isTrue();
        long n = 0;
        while (!out.isEmpty()) {
            n += out.writeTo(transport);
        }
        ByteBuffer got = ByteBuffer.allocate((int) n);
        while (got.hasRemaining()) {
            client.read(got);
        }
        return new String(got.array(), ISO_8859_1);
    }

    @Test
    void aKeptHeadIsTheOctetsTheGeneralPathWrites() throws IOException {
        for (boolean secure : new boolean[] {false, true}) {
            String date;
            do { // every response of a round in one second of the clock, so the two paths share one Date
                date = HttpDate.now();
                ServerFields fields = new ServerFields(secure, CONFIG, ErrorPageSource.NONE);
                Body shared = freshBody();
                for (Case c : cases()) {
                    String general = send(fields, c, new Response(c.status(), freshFields(), freshBody()));
                    String sent = null;
                    for (int i = 0; i < 3; i++) { // seen once, kept the second time, sent from the third
                        sent = send(fields, c, new Response(c.status(), fileFields(TYPE, MODIFIED, ETAG), shared));
                        assertThat(sent).as("%s, %s, round %d", c, secure ? "TLS" : "plain", i).isEqualTo(general);
                    }
                    assertThat(fields.heads().find((Body.Bytes) shared, c.status(), fileFields(TYPE, MODIFIED, ETAG),
                            form(c), fields.lines())).as("kept for %s", c).isNotNull();
                    assertThat(general).contains(c.head() ? "\r\n\r\n" : "\r\n\r\n" + new String(CONTENT, ISO_8859_1))
                            .contains("Content-Length: 1024\r\n");
                }
            } while (!date.equals(HttpDate.now()));
        }
    }

    private static int form(Case c) {
        return c.closeAfter() ? HeadCache.CLOSE
                : c.version() == Version.HTTP_1_0 || c.connectionAlways() ? HeadCache.KEEP_ALIVE : HeadCache.PLAIN;
    }

    @Test
    void anotherStatusOrFieldValueIsNotAnsweredWithTheKeptHead() throws IOException {
        ServerFields fields = new ServerFields(false, CONFIG, ErrorPageSource.NONE);
        Body shared = freshBody();
        Case ok = new Case(200, Version.HTTP_1_1, false, false, false);
        for (int i = 0; i < 3; i++) {
            send(fields, ok, new Response(200, fileFields(TYPE, MODIFIED, ETAG), shared));
        }
        String otherTag = send(fields, ok, new Response(200, fileFields(TYPE, MODIFIED, "\"other\""), shared));
        assertThat(otherTag).contains("ETag: \"other\"\r\n").doesNotContain(ETAG);
        String notFound = send(fields, ok, new Response(404, fileFields(TYPE, MODIFIED, ETAG), shared));
        assertThat(notFound).startsWith("HTTP/1.1 404 ");
        Headers more = fileFields(TYPE, MODIFIED, ETAG);
        more.add("Vary", "Accept-Encoding");
        assertThat(send(fields, ok, new Response(200, more, shared))).contains("\r\nVary: Accept-Encoding\r\n");
        Headers fewer = new Headers();
        fewer.add("Content-Type", TYPE);
        assertThat(send(fields, ok, new Response(200, fewer, shared))).doesNotContain("ETag");
    }

    @Test
    void aHandlersOwnServerFieldsAreNeverKept() throws IOException {
        ServerFields fields = new ServerFields(false, CONFIG, ErrorPageSource.NONE);
        Body shared = freshBody();
        Case ok = new Case(200, Version.HTTP_1_1, false, false, false);
        String nosniff = "nosniff-by-handler";
        String server = "handler/1";
        for (int i = 0; i < 4; i++) {
            Headers h = fileFields(TYPE, MODIFIED, ETAG);
            h.add("X-Content-Type-Options", nosniff);
            h.add("Server", server);
            String sent = send(fields, ok, new Response(200, h, shared));
            assertThat(sent).contains("X-Content-Type-Options: nosniff-by-handler\r\n")
                    .doesNotContain("Server: handler/1").contains("Server: liso/test\r\n");
        }
        Headers h = fileFields(TYPE, MODIFIED, ETAG);
        h.add("X-Content-Type-Options", nosniff);
        assertThat(fields.heads().find((Body.Bytes) shared, 200, h, HeadCache.PLAIN, fields.lines())).isNull();
    }

    @Test
    void aNewSecondSendsItsOwnDate() throws Exception {
        ServerFields fields = new ServerFields(false, CONFIG, ErrorPageSource.NONE);
        Body shared = freshBody();
        Case ok = new Case(200, Version.HTTP_1_1, false, false, false);
        String before = HttpDate.now();
        for (int i = 0; i < 3; i++) {
            send(fields, ok, new Response(200, fileFields(TYPE, MODIFIED, ETAG), shared));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (HttpDate.now().equals(before) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(HttpDate.now()).isNotEqualTo(before);
        for (int i = 0; i < 3; i++) {
            String from = HttpDate.now();
            String sent = send(fields, ok, new Response(200, fileFields(TYPE, MODIFIED, ETAG), shared));
            String to = HttpDate.now(); // the clock may tick during the send: either second is right, no older one
            assertThat(sent).as("round %d of the new second", i).containsAnyOf("\r\nDate: " + from + "\r\n",
                    "\r\nDate: " + to + "\r\n").doesNotContain(before);
        }
    }
}
