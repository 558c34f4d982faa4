package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.server.spi.Body;
import org.liso.server.spi.Response;
import org.liso.testing.RawClient;
import org.liso.transport.tls.KeyMaterial;
import org.liso.transport.tls.TlsSettings;
import org.liso.transport.tls.TlsTransportFactory;

/**
 * Over TLS, pipelined requests beyond the connection's input buffer wait decrypted inside the transport, where no
 * readiness event reports them. A handler that answers later (from a loop task, as CGI does) wakes the connection
 * from outside; that wake must also take up the input the transport holds, or the pipeline stops at the buffer's
 * end and the connection idles out.
 */
class TlsPipelineWakeIT {
    private static final int REQUESTS = 1000;

    @TempDir
    Path dir;

    @Test
    void requestsHeldInsideTheTlsTransportAreAnsweredAfterALateAnswer() throws Exception {
        KeyMaterial material = KeyMaterial.selfSigned();
        material.writePem(dir);
        ServerConfig config = ServerConfig.DEFAULT.withTimeouts(3000, 3000, 3000, 3000);
        try (TestServer server = new TestServer(config, ex -> ex.loop().execute(
                () -> ex.respond(Response.of(200, "text/plain", Body.text("ok")))),
                new TlsTransportFactory(material, TlsSettings.DEFAULT), 16);
                Socket raw = new Socket("127.0.0.1", server.port());
                SSLSocket s = (SSLSocket) HttpsIT.trusting(dir.resolve("cert.pem")).getSocketFactory()
                        .createSocket(raw, "localhost", server.port(), true)) {
            s.setSoTimeout(20_000);
            s.startHandshake();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 0; i < REQUESTS; i++) {
                all.writeBytes(("GET /" + i + " HTTP/1.1\r\nHost: x\r\n" + (i == REQUESTS - 1 ? "Connection: close\r\n"
                        : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    s.getOutputStream().write(all.toByteArray());
                    s.getOutputStream().flush();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            // readAllBytes ends at the server's close: after the last response, or at the idle timeout of a stall.
            List<RawClient.Reply> replies = RawClient.parse(s.getInputStream().readAllBytes(), false);
            assertThat(replies).as("responses").hasSize(REQUESTS);
            assertThat(replies).allSatisfy(r -> assertThat(r.bodyText()).isEqualTo("ok"));
            writer.get(10, TimeUnit.SECONDS);
        }
    }
}
