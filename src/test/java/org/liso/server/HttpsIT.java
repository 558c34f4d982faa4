package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;
import org.liso.testing.RawClient;
import org.liso.transport.tls.KeyMaterial;

/** HTTP over TLS on the same loop as plain HTTP, driven by curl, openssl s_client and Java's TLS client. */
class HttpsIT {
    @TempDir
    static Path dir;
    private static LisoProcess liso;
    private static Path cert;
    private static byte[] big;
    private static SSLContext client;

    @BeforeAll
    static void start() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("index.html"), "tls index\n");
        Files.writeString(root.resolve("a.txt"), "aaa\n");
        big = new byte[1 << 20];
        new Random(5).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        KeyMaterial.selfSigned().writePem(dir);
        cert = dir.resolve("cert.pem");
        liso = LisoProcess.start(2, "serve", "--root", root.toString(), "--http", "127.0.0.1:0", "--https",
                "127.0.0.1:0", "--key", dir.resolve("key.pem").toString(), "--cert", cert.toString(),
                "--header-timeout", "10", "--max-connections", "2000", "--hsts", "600", "-q");
        client = trusting(cert);
    }

    @AfterAll
    static void stop() throws Exception {
        liso.close();
    }

    private static int httpsPort() {
        return liso.port(1);
    }

    static SSLContext trusting(Path pem) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            ks.setCertificateEntry("liso", (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
        return ctx;
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void curlGetHeadAndKeepAliveOverTls() throws Exception {
        String base = "https://localhost:" + httpsPort();
        String out = run("curl", "-sS", "-v", "--http1.1", "--cacert", cert.toString(), base + "/", base + "/a.txt",
                base + "/index.html");
        assertThat(out).contains("tls index").contains("aaa");
        assertThat(out.split("Re-using existing connection", -1)).hasSize(3);
        assertThat(out).contains("ALPN: offers http/1.1").contains("ALPN: server accepted http/1.1");
        // A client that offers both gets h2, the server's first choice (RFC 7301 §3.2).
        String both = run("curl", "-sS", "-v", "--cacert", cert.toString(), base + "/a.txt");
        assertThat(both).contains("ALPN: offers h2,http/1.1").contains("ALPN: server accepted h2").contains("aaa");
        assertThat(out.toLowerCase()).contains("strict-transport-security: max-age=600")
                .contains("x-content-type-options: nosniff");
        String head = run("curl", "-sS", "-I", "--http1.1", "--cacert", cert.toString(), base + "/a.txt");
        assertThat(head).contains("HTTP/1.1 200");
        assertThat(head.toLowerCase()).contains("content-length: 4");
        String range = run("curl", "-sS", "--cacert", cert.toString(), "-r", "1-2", base + "/a.txt");
        assertThat(range).isEqualTo("aa");
    }

    @Test
    void opensslPipelinesFiveRequestsInOrderAndRefusesOldProtocols() throws Exception {
        StringBuilder req = new StringBuilder();
        String[] paths = {"/", "/a.txt", "/missing", "/a.txt", "/"};
        for (int i = 0; i < paths.length; i++) {
            req.append("GET ").append(paths[i]).append(" HTTP/1.1\r\nHost: localhost\r\n")
                    .append(i == paths.length - 1 ? "Connection: close\r\n" : "").append("\r\n");
        }
        Process p = new ProcessBuilder("openssl", "s_client", "-quiet", "-connect", "127.0.0.1:" + httpsPort(),
                "-servername", "localhost", "-CAfile", cert.toString()).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        p.getOutputStream().write(req.toString().getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().flush();
        byte[] raw = p.getInputStream().readAllBytes(); // the server closes after the last one
        p.getOutputStream().close();
        p.waitFor(30, TimeUnit.SECONDS);
        List<RawClient.Reply> replies = RawClient.parse(raw, false);
        assertThat(replies).extracting(RawClient.Reply::status).containsExactly(200, 200, 404, 200, 200);
        assertThat(replies.get(1).bodyText()).isEqualTo("aaa\n");
        for (String old : List.of("-tls1", "-tls1_1")) {
            String out = run("openssl", "s_client", old, "-connect", "127.0.0.1:" + httpsPort(), "-CAfile",
                    cert.toString());
            assertThat(out).as(old).contains("Cipher is (NONE)").containsAnyOf("alert protocol version",
                    "no protocols available");
        }
        String tls12 = run("openssl", "s_client", "-tls1_2", "-connect", "127.0.0.1:" + httpsPort(), "-CAfile",
                cert.toString(), "-alpn", "http/1.1");
        assertThat(tls12).contains("Protocol  : TLSv1.2").contains("ALPN protocol: http/1.1")
                .contains("Verify return code: 0");
    }

    @Test
    void stalledHandshakeAndGarbageAreClosedAndTheLoopServesOn() throws Exception {
        try (Socket stalled = new Socket("127.0.0.1", httpsPort()); Socket garbage = new Socket("127.0.0.1",
                httpsPort())) {
            // Half of a TLS record header, then nothing: only the handshake timeout can end it.
            stalled.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02});
            garbage.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            garbage.setSoTimeout(20_000);
            InputStream g = garbage.getInputStream();
            assertThat(drainToEof(g)).as("garbage instead of a ClientHello is closed").isTrue();
            String meanwhile = run("curl", "-sS", "--cacert", cert.toString(),
                    "https://localhost:" + httpsPort() + "/a.txt");
            assertThat(meanwhile).isEqualTo("aaa\n");
            stalled.setSoTimeout(40_000);
            assertThat(drainToEof(stalled.getInputStream())).as("stalled handshake closed by the timeout").isTrue();
        }
    }

    private static boolean drainToEof(InputStream in) {
        try {
            while (in.read() >= 0) {
                // an alert may come first
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Test
    void twoHundredConcurrentTlsConnectionsEachFetchOneMegabyteExactly() throws Exception {
        List<SSLSocket> sockets = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(200);
        java.util.concurrent.CountDownLatch allOpen = new java.util.concurrent.CountDownLatch(200);
        try {
            List<Future<byte[]>> got = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                got.add(pool.submit(() -> {
                    SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", httpsPort());
                    sockets.add(s);
                    s.setSoTimeout(60_000);
                    s.startHandshake();
                    allOpen.countDown();
                    allOpen.await(60, TimeUnit.SECONDS); // all 200 are open at once before any fetches
                    return fetch(s, "/big.bin");
                }));
            }
            for (Future<byte[]> f : got) {
                assertThat(Arrays.equals(f.get(120, TimeUnit.SECONDS), big)).as("1 MiB byte-exact").isTrue();
            }
        } finally {
            pool.shutdownNow();
            for (SSLSocket s : sockets) {
                s.close();
            }
        }
    }

    private static byte[] fetch(SSLSocket s, String path) throws IOException {
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        DataInputStream in = new DataInputStream(s.getInputStream());
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            head.write(in.readUnsignedByte());
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        int at = h.toLowerCase().indexOf("content-length: ") + 16;
        int len = Integer.parseInt(h.substring(at, h.indexOf("\r\n", at)));
        byte[] body = new byte[len];
        in.readFully(body);
        return body;
    }
}
