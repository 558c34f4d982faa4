package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;

/**
 * --handshake-timeout is armed from accept until the TLS handshake is done, apart from --header-timeout: a real
 * server, raw TCP clients on its HTTPS port that send nothing or half a ClientHello are closed after the handshake
 * timeout (1 s), long before the header timeout (10 s); a plain HTTP connection and a finished handshake are not.
 */
class HandshakeTimeoutIT {
    private static final long HANDSHAKE_MILLIS = 1000;
    private static final long HEADER_MILLIS = 10_000;

    @TempDir
    Path root;

    @Test
    void stalledHandshakesAreClosedAfterTheHandshakeTimeoutNotTheHeaderTimeout() throws Exception {
        Files.writeString(root.resolve("index.html"), "hi\n");
        try (LisoProcess liso = LisoProcess.start(2, "serve", "--root", root.toString(), "--http", "127.0.0.1:0",
                "--https", "127.0.0.1:0", "--handshake-timeout", "1", "--header-timeout", "10", "-q")) {
            int http = liso.url(0).startsWith("http:") ? liso.port(0) : liso.port(1);
            int https = liso.url(0).startsWith("https:") ? liso.port(0) : liso.port(1);
            warmUp(https);
            long start = System.nanoTime(); // before the connects: the server's timers start later than this
            try (Socket silent = new Socket("127.0.0.1", https); Socket half = new Socket("127.0.0.1", https);
                    Socket plain = new Socket("127.0.0.1", http); SSLSocket done = handshaken(https)) {
                // A TLS record header announcing a 512-byte handshake message, and 9 bytes of it: a ClientHello
                // the server waits for the rest of.
                half.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc,
                    0x03, 0x03, 0x11, 0x22, 0x33});
                long silentClosed = awaitClose(silent, start);
                long halfClosed = awaitClose(half, start);
                System.out.printf("HandshakeTimeoutIT: silent closed after %d ms, half ClientHello after %d ms%n",
                        silentClosed, halfClosed);
                for (long ms : new long[] {silentClosed, halfClosed}) {
                    assertThat(ms).as("closed by the handshake timeout").isBetween(HANDSHAKE_MILLIS,
                            HEADER_MILLIS / 2);
                }
                // Plain HTTP has no handshake: the same silence is still within its header timeout.
                plain.setSoTimeout(200);
                try {
                    int b = plain.getInputStream().read();
                    throw new AssertionError("plain connection closed early (read " + b + ")");
                } catch (SocketTimeoutException stillOpen) {
                    // expected
                }
                // A handshake that finished before the timeout is not cut when the timer's time comes.
                done.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                done.setSoTimeout(5000);
                byte[] head = done.getInputStream().readNBytes(12);
                assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
            }
        }
    }

    /** Milliseconds from {@code start} until the server closes {@code s} (EOF or reset), within a deadline. */
    private static long awaitClose(Socket s, long start) throws IOException {
        s.setSoTimeout((int) HEADER_MILLIS + 5000);
        InputStream in = s.getInputStream();
        try {
            while (in.read() >= 0) {
                // a TLS alert, if any, then EOF
            }
        } catch (SocketException reset) {
            // closed with RST: the same verdict
        } catch (SocketTimeoutException hung) {
            throw new AssertionError("not closed even after the header timeout", hung);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /**
     * Handshakes until one finishes, which warms the server's TLS code (JIT, the first SSLEngine): cold, on a loaded
     * machine, a handshake can take longer than the 1 s timeout that the test's own must finish within.
     */
    private static void warmUp(int port) throws Exception {
        for (int attempt = 1;; attempt++) {
            try (SSLSocket warm = handshaken(port)) {
                return;
            } catch (IOException cutByTheTimeout) {
                if (attempt == 5) {
                    throw new AssertionError("no handshake finished within the 1 s timeout in 5 attempts",
                            cutByTheTimeout);
                }
            }
        }
    }

    private static SSLSocket handshaken(int port) throws Exception {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // the server's certificate is self-signed, made at start-up; this test is about timing only
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {trustAll}, null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
        s.startHandshake();
        return s;
    }
}
