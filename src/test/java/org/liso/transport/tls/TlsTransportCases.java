package org.liso.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The TLS transport under the test echo service, with Java's own TLS client. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TlsTransportCases {
    final TlsProvider provider;
    final TlsSettings settings;

    TlsTransportCases(TlsProvider provider) {
        this.provider = provider;
        this.settings = TlsSettings.DEFAULT.withProvider(provider);
    }

    KeyMaterial material;
    SSLContext client;
    TestServer server;

    @BeforeAll
    void start() throws Exception {
        material = KeyMaterial.selfSigned();
        client = Clients.trusting(material);
        server = TestServer.echo(new TlsTransportFactory(material, settings), 10_000);
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    @Test
    void tls13RoundTripWithAlpn() throws Exception {
        try (SSLSocket s = Clients.connect(client, server.port(), null)) {
            assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(s.getApplicationProtocol()).isEqualTo("http/1.1");
            s.getOutputStream().write("hello tls".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(Clients.readExactly(s.getInputStream(), 9), StandardCharsets.US_ASCII))
                    .isEqualTo("hello tls");
        }
    }

    @Test
    void tls12RoundTripUsesEcdheAead() throws Exception {
        try (SSLSocket s = Clients.connect(client, server.port(), "TLSv1.2")) {
            assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(s.getSession().getCipherSuite()).startsWith("TLS_ECDHE_").containsAnyOf("_GCM_", "CHACHA20");
            s.getOutputStream().write(new byte[] {1, 2, 3});
            assertThat(Clients.readExactly(s.getInputStream(), 3)).containsExactly(1, 2, 3);
        }
    }

    /** RFC 7301 §3.2: the server's preference among what the client offers; "" when the client offers nothing. */
    @Test
    void alpnPicksTheServersFirstChoiceFromAList() throws Exception {
        TlsSettings both = settings.withApplicationProtocols(java.util.List.of("h2", "http/1.1"));
        try (TestServer s = TestServer.echo(new TlsTransportFactory(material, both), 10_000)) {
            String[][] offers = {{"http/1.1", "h2"}, {"http/1.1"}, {}};
            for (String[] offer : offers) {
                try (SSLSocket c = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", s.port())) {
                    javax.net.ssl.SSLParameters p = c.getSSLParameters();
                    p.setApplicationProtocols(offer);
                    c.setSSLParameters(p);
                    c.getOutputStream().write('x');
                    assertThat(c.getInputStream().read()).isEqualTo('x');
                }
            }
            assertThat(new java.util.ArrayList<>(s.alpn)).containsExactly("h2", "http/1.1", "");
        }
    }

    @Test
    void largeWritesOfAnySizeComeBackByteExact() throws Exception {
        byte[] data = new byte[300_001];
        new java.util.Random(7).nextBytes(data);
        try (SSLSocket s = Clients.connect(client, server.port(), null)) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            Thread writer = new Thread(() -> {
                try {
                    out.write(data, 0, 1);
                    out.write(data, 1, 70_000);
                    out.write(data, 70_001, data.length - 70_001);
                    out.flush();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.start();
            byte[] back = Clients.readExactly(in, data.length);
            writer.join();
            assertThat(back).isEqualTo(data);
        }
    }

    @Test
    void closeNotifyTravelsBothWays() throws Exception {
        int[] before = quietCounts();
        try (SSLSocket s = Clients.connect(client, server.port(), null)) {
            s.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            assertThat(Clients.readExactly(s.getInputStream(), 3)).isEqualTo("bye".getBytes(StandardCharsets.US_ASCII));
            // Our close_notify ends the server's input; it answers with its own, which ends our stream with -1
            // rather than an exception (readAllBytes returns only at a clean end: JSSE throws on a bare FIN).
            s.shutdownOutput();
            assertThat(s.getInputStream().readAllBytes()).isEmpty();
        }
        assertClosedCleanly(before);
    }

    /**
     * Counts (failed, close_notify received) from a quiet server: other tests' connections may still be closing,
     * and their close_notify is not ours.
     */
    int[] quietCounts() throws InterruptedException {
        long quietBy = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (server.open.get() > 0 && System.nanoTime() < quietBy) {
            Thread.sleep(10);
        }
        return new int[] {server.failed.get(), server.closeNotifies.get()};
    }

    void assertClosedCleanly(int[] before) throws InterruptedException {
        long closedBy = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (server.open.get() > 0 && System.nanoTime() < closedBy) {
            Thread.sleep(10);
        }
        assertThat(server.failed.get()).isEqualTo(before[0]);
        assertThat(server.closeNotifies.get()).isEqualTo(before[1] + 1);
    }
}
