package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.liso.loop.ConnectionBudget;
import org.liso.server.spi.Body;
import org.liso.server.spi.Response;
import org.liso.transport.tls.KeyMaterial;
import org.liso.transport.tls.TlsSettings;
import org.liso.transport.tls.TlsTransportFactory;

/**
 * A certificate reload (SIGHUP, on a thread of its own) swaps the pair for every loop: after it, connections on
 * either loop are served with the new certificate, and none with the old.
 */
class LoopsCertificateReloadIT {

    @Test
    void afterAReloadEveryLoopServesTheNewPair() throws Exception {
        KeyMaterial first = KeyMaterial.selfSigned();
        KeyMaterial second = KeyMaterial.selfSigned();
        TlsTransportFactory tls = new TlsTransportFactory(first, TlsSettings.DEFAULT);
        ServerLoops loops = new ServerLoops(2, "tls", ServerConfig.DEFAULT,
                ex -> ex.respond(Response.of(200, "text/plain", Body.text(Thread.currentThread().getName()))),
                null, new ConnectionBudget(1024), ServerLoops.Accepting.REUSEPORT);
        InetSocketAddress a = loops.listen(new InetSocketAddress("127.0.0.1", 0), tls, 1024);
        Thread runner = new Thread(() -> {
            try {
                loops.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        runner.start();
        try {
            assertThat(servedBy(a, first.leaf(), 20)).as("loops serving the first pair").hasSize(2);
            assertThat(tls.reload(second)).isTrue();
            assertThat(servedBy(a, second.leaf(), 40)).as("loops serving the new pair").hasSize(2);
        } finally {
            loops.shutdown(2_000);
            runner.join(10_000);
        }
    }

    /** Makes {@code clients} connections, each checking it got {@code expected}; the loops that answered them. */
    private static Set<String> servedBy(InetSocketAddress a, X509Certificate expected, int clients) throws Exception {
        Set<String> loops = new HashSet<>();
        for (int i = 0; i < clients; i++) {
            SSLContext c = SSLContext.getInstance("TLS"); // a context per client: no session of an old pair resumed
            c.init(null, new TrustManager[] {new AnyCertificate()}, null);
            try (SSLSocket s = (SSLSocket) c.getSocketFactory().createSocket(a.getAddress(), a.getPort())) {
                s.setSoTimeout(10_000);
                s.startHandshake();
                assertThat(s.getSession().getPeerCertificates()[0]).as("certificate on connection %d", i)
                        .isEqualTo(expected);
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String reply = readAll(s.getInputStream());
                assertThat(reply).startsWith("HTTP/1.1 200 ");
                loops.add(reply.substring(reply.indexOf("\r\n\r\n") + 4));
            }
        }
        return loops;
    }

    private static String readAll(InputStream in) throws java.io.IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) > 0; ) {
            got.write(buf, 0, n);
        }
        return got.toString(StandardCharsets.US_ASCII);
    }

    /** The test checks the certificate itself, against the pair it expects. */
    private static final class AnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
