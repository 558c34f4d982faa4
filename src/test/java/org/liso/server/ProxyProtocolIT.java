package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.loop.ConnectionBudget;
import org.liso.loop.EventLoop;
import org.liso.server.spi.Body;
import org.liso.server.spi.Handler;
import org.liso.server.spi.Response;
import org.liso.testing.RawClient;
import org.liso.testing.RawConnection;
import org.liso.transport.TransportFactory;
import org.liso.transport.proxy.TrustedProxies;
import org.liso.transport.tls.KeyMaterial;
import org.liso.transport.tls.TlsSettings;
import org.liso.transport.tls.TlsTransportFactory;

/**
 * Listeners with a PROXY protocol header, over real loopback sockets: the client the header names is the one the
 * handler and the access log see, over plain TCP and under TLS (the header comes before the handshake); a header
 * from a peer outside --trusted-proxies, a malformed one, or none at all closes the connection unanswered; a
 * listener without the flag never parses one.
 */
class ProxyProtocolIT {
    /** Answers with the address the exchange reports for its client. */
    private static final Handler WHO = ex -> ex.respond(Response.of(200, "text/plain",
            Body.text(ex.remoteAddress().getAddress().getHostAddress() + " " + ex.remoteAddress().getPort())));
    private static final byte[] V2_TCP4 = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A,
            0x21, 0x11, 0x00, 0x0C, (byte) 203, 0, 113, 9, 127, 0, 0, 1, (byte) 0x9c, 0x40, 0x00, 0x50};
    private static final byte[] V2_LOCAL = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A,
            0x20, 0x00, 0x00, 0x00};
    private static final String GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

    @TempDir
    Path dir;

    private final List<String> accessLines = new CopyOnWriteArrayList<>();
    private EventLoop loop;
    private HttpServer server;
    private Thread thread;

    private int start(String trusted, boolean proxyProtocol, TransportFactory transports) throws Exception {
        loop = new EventLoop("test");
        ProxyOptions options = new ProxyOptions(TrustedProxies.parse(trusted), false);
        server = new HttpServer(loop, ServerConfig.DEFAULT.withTimeouts(1500, 5000, 5000, 5000), WHO,
                new AccessLog(accessLines::add), new ConnectionBudget(64), options);
        InetSocketAddress a = server.listen(new InetSocketAddress("127.0.0.1", 0), transports, 64, proxyProtocol);
        thread = new Thread(loop::run, "test-loop");
        thread.setDaemon(true);
        thread.start();
        return a.getPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (loop != null) {
            loop.stop();
            loop.awaitStop(5000);
        }
    }

    @Test
    void aV1HeaderNamesTheClientForTheHandlerAndTheAccessLog() throws Exception {
        int port = start("127.0.0.1", true, TransportFactory.PLAIN);
        try (RawConnection c = RawConnection.open(port)) {
            RawClient.Reply r = c.send("PROXY TCP4 198.51.100.7 127.0.0.1 51234 80\r\n" + GET).read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("198.51.100.7 51234");
            RawClient.Reply again = c.send(GET).read();
            assertThat(again.bodyText()).as("the whole connection is the client's").isEqualTo("198.51.100.7 51234");
        }
        awaitAccessLines(2);
        assertThat(accessLines).allSatisfy(l -> assertThat(l).startsWith("198.51.100.7 - - ["));
    }

    @Test
    void aV2HeaderCutAtEveryIndexIsRead() throws Exception {
        int port = start("127.0.0.0/8", true, TransportFactory.PLAIN);
        byte[] all = concat(V2_TCP4, GET.getBytes(StandardCharsets.US_ASCII));
        for (int cut = 1; cut < V2_TCP4.length + 4; cut++) {
            try (RawConnection c = RawConnection.open(port)) {
                c.send(Arrays.copyOfRange(all, 0, cut));
                c.send(Arrays.copyOfRange(all, cut, all.length));
                assertThat(c.read().bodyText()).as("cut at %d", cut).isEqualTo("203.0.113.9 40000");
            }
        }
    }

    @Test
    void aLocalHeaderLeavesTheSocketsPeer() throws Exception {
        int port = start("127.0.0.1", true, TransportFactory.PLAIN);
        try (RawConnection c = RawConnection.open(port)) {
            RawClient.Reply r = c.send(concat(V2_LOCAL, GET.getBytes(StandardCharsets.US_ASCII))).read();
            assertThat(r.bodyText()).isEqualTo("127.0.0.1 " + c.socket().getLocalPort());
        }
    }

    @Test
    void theHeaderComesBeforeTheTlsHandshake() throws Exception {
        KeyMaterial material = KeyMaterial.selfSigned();
        material.writePem(dir);
        int port = start("127.0.0.1", true, new TlsTransportFactory(material, TlsSettings.DEFAULT));
        try (Socket raw = new Socket("127.0.0.1", port)) {
            raw.getOutputStream().write(V2_TCP4); // the ClientHello follows at once, in the same read if it can
            try (SSLSocket s = (SSLSocket) HttpsIT.trusting(dir.resolve("cert.pem")).getSocketFactory()
                    .createSocket(raw, "localhost", port, true)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write((GET.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"))
                        .getBytes(StandardCharsets.US_ASCII));
                List<RawClient.Reply> replies = RawClient.parse(s.getInputStream().readAllBytes(), false);
                assertThat(replies).hasSize(1);
                assertThat(replies.get(0).bodyText()).isEqualTo("203.0.113.9 40000");
            }
        }
    }

    @Test
    void aPeerOutsideTheTrustedProxiesIsClosedUnanswered() throws Exception {
        int port = start("10.0.0.0/8", true, TransportFactory.PLAIN);
        try (RawConnection c = RawConnection.open(port)) {
            c.send(concat(V2_TCP4, GET.getBytes(StandardCharsets.US_ASCII)));
            c.awaitClose();
        }
        awaitNoConnections();
        assertThat(accessLines).isEmpty();
    }

    @Test
    void aMalformedHeaderOrNoneIsClosedUnanswered() throws Exception {
        int port = start("127.0.0.1", true, TransportFactory.PLAIN);
        for (String bad : new String[] {GET, "PROXY TCP4 198.51.100.7 127.0.0.1 051234 80\r\n" + GET,
                "PROXY TCP4 198.51.100.7 127.0.0.1 1 80\n" + GET, "PROXY UNKNOWN" + "x".repeat(200)}) {
            try (RawConnection c = RawConnection.open(port)) {
                c.send(bad);
                c.awaitClose();
            }
        }
        awaitNoConnections();
        assertThat(accessLines).isEmpty();
    }

    @Test
    void aHeaderThatNeverEndsIsClosedAtTheHeaderTimeout() throws Exception {
        int port = start("127.0.0.1", true, TransportFactory.PLAIN);
        try (RawConnection c = RawConnection.open(port, 10_000)) {
            c.send("PROXY TCP4 198.51.100.7 ");
            long t0 = System.nanoTime();
            c.awaitClose();
            assertThat((System.nanoTime() - t0) / 1_000_000).as("closed by the 1.5 s header timeout")
                    .isBetween(500L, 8_000L);
        }
        awaitNoConnections();
    }

    @Test
    void aListenerWithoutTheFlagNeverParsesAHeader() throws Exception {
        int port = start("127.0.0.1", false, TransportFactory.PLAIN);
        try (RawConnection c = RawConnection.open(port)) {
            RawClient.Reply r = c.send("PROXY TCP4 198.51.100.7 127.0.0.1 51234 80\r\n" + GET).read();
            assertThat(r.status()).as("the line is a (bad) request line").isBetween(400, 501);
        }
        try (RawConnection c = RawConnection.open(port)) {
            assertThat(c.send(GET).read().bodyText()).isEqualTo("127.0.0.1 " + c.socket().getLocalPort());
        }
    }

    private void awaitAccessLines(int n) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (accessLines.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(accessLines).hasSize(n);
    }

    private void awaitNoConnections() throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        int open;
        do {
            java.util.concurrent.CompletableFuture<Integer> f = new java.util.concurrent.CompletableFuture<>();
            loop.execute(() -> f.complete(server.openConnections()));
            open = f.get(5, java.util.concurrent.TimeUnit.SECONDS);
        } while (open > 0 && System.nanoTime() < deadline && sleep());
        assertThat(open).as("connections left open").isZero();
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(10);
        return true;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
