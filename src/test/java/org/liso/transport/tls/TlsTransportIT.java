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

/** The TLS transport under the test echo service, with Java's own TLS client. */
class TlsTransportIT {
    static KeyMaterial material;
    static SSLContext client;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        material = KeyMaterial.selfSigned();
        client = Clients.trusting(material);
        server = TestServer.echo(new TlsTransportFactory(material, TlsSettings.DEFAULT), 10_000);
    }

    @AfterAll
    static void stop() throws Exception {
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
                    s.shutdownOutput();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.start();
            byte[] back = in.readAllBytes();
            writer.join();
            assertThat(back).isEqualTo(data);
        }
    }

    @Test
    void closeNotifyTravelsBothWays() throws Exception {
        // Other tests' connections may still be closing: count from a quiet server, or their close_notify is ours.
        long quietBy = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (server.open.get() > 0 && System.nanoTime() < quietBy) {
            Thread.sleep(10);
        }
        int failedBefore = server.failed.get();
        int notifiesBefore = server.closeNotifies.get();
        try (SSLSocket s = Clients.connect(client, server.port(), null)) {
            s.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            // TLS 1.3 half-close (RFC 8446 §6.1): our close_notify ends the server's input, it echoes what it had,
            // then sends its own close_notify, which ends our stream with -1 rather than an exception.
            s.shutdownOutput();
            // readAllBytes returns only at a clean end of stream: JSSE throws if TCP closes without close_notify.
            assertThat(s.getInputStream().readAllBytes()).isEqualTo("bye".getBytes(StandardCharsets.US_ASCII));
        }
        long closedBy = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (server.open.get() > 0 && System.nanoTime() < closedBy) {
            Thread.sleep(10);
        }
        assertThat(server.failed.get()).isEqualTo(failedBefore);
        assertThat(server.closeNotifies.get()).isEqualTo(notifiesBefore + 1);
    }
}
