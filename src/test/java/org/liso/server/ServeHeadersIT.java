package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;
import org.liso.testing.RawClient;
import org.liso.testing.RawConnection;
import org.liso.transport.tls.KeyMaterial;

/**
 * {@code --header 'Name: value'} fields go on every response, errors included, over HTTP and HTTPS;
 * {@code --hsts} sends Strict-Transport-Security on HTTPS responses only (RFC 6797 §7.2: a host must not send it
 * over plain HTTP), errors included.
 */
class ServeHeadersIT {
    private static final String CSP = "default-src 'self'; img-src *";

    @TempDir
    static Path dir;
    private static LisoProcess liso;
    private static SSLContext tls;

    @BeforeAll
    static void start() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("index.html"), "index\n");
        KeyMaterial.selfSigned().writePem(dir);
        liso = LisoProcess.start(2, "serve", "--root", root.toString(), "--http", "127.0.0.1:0", "--https",
                "127.0.0.1:0", "--key", dir.resolve("key.pem").toString(), "--cert",
                dir.resolve("cert.pem").toString(), "--hsts", "31536000", "--header", "X-Liso-Test: one, two",
                "--header", "Content-Security-Policy: " + CSP, "-q");
        assertThat(liso.url(0)).startsWith("http://");
        assertThat(liso.url(1)).startsWith("https://");
        tls = HttpsIT.trusting(dir.resolve("cert.pem"));
    }

    @AfterAll
    static void stop() throws Exception {
        liso.close();
    }

    /** A 200, a 404, a 501 (DELETE), then a malformed request (400, after which the server closes). */
    private static List<RawClient.Reply> fourAnswers(RawConnection c) throws Exception {
        c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /missing HTTP/1.1\r\nHost: x\r\n\r\n"
                + "DELETE / HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n");
        List<RawClient.Reply> r = List.of(c.read(), c.read(), c.read(), c.read());
        assertThat(r).extracting(RawClient.Reply::status).containsExactly(200, 404, 501, 400);
        return r;
    }

    @Test
    void plainHttpHasTheExtraHeadersOnEveryResponseAndNoHsts() throws Exception {
        try (RawConnection c = RawConnection.open(liso.port(0))) {
            for (RawClient.Reply r : fourAnswers(c)) {
                assertThat(r.header("X-Liso-Test")).as(r.head()).isEqualTo("one, two");
                assertThat(r.header("Content-Security-Policy")).as(r.head()).isEqualTo(CSP);
                assertThat(r.header("Strict-Transport-Security")).as(r.head()).isNull();
            }
        }
    }

    @Test
    void httpsHasTheExtraHeadersAndHstsOnEveryResponse() throws Exception {
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", liso.port(1));
        try (Socket closing = s; RawConnection c = RawConnection.over(s, 15_000)) {
            s.startHandshake();
            for (RawClient.Reply r : fourAnswers(c)) {
                assertThat(r.header("X-Liso-Test")).as(r.head()).isEqualTo("one, two");
                assertThat(r.header("Content-Security-Policy")).as(r.head()).isEqualTo(CSP);
                assertThat(r.header("Strict-Transport-Security")).as(r.head()).isEqualTo("max-age=31536000");
            }
        }
    }
}
