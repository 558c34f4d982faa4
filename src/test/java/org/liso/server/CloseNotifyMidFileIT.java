package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.liso.testing.LisoProcess;
import org.liso.transport.tls.KeyMaterial;

/**
 * A client sends its close_notify while a file is still on its way to it. BoringSSL then wraps no more application
 * data (the engine answers CLOSED, consuming nothing), and the file sender asked it again for the same batch
 * forever: the loop spun on one pread at 100 % CPU and every other connection of the loop stood still. The
 * response is cut short instead, and the loop serves the next client.
 */
class CloseNotifyMidFileIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"native", "jdk"})
    void closeNotifyWhileAFileIsSentEndsThatResponseAndTheLoopGoesOn(String provider) throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        byte[] big = new byte[8 << 20];
        new Random(7).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        Files.writeString(root.resolve("small.txt"), "small\n");
        KeyMaterial.selfSigned().writePem(dir);
        try (LisoProcess liso = LisoProcess.start(2, "serve", "--root", root.toString(), "--http", "127.0.0.1:0",
                "--https", "127.0.0.1:0", "--key", dir.resolve("key.pem").toString(), "--cert",
                dir.resolve("cert.pem").toString(), "--loops", "1", "--tls-provider", provider, "-q")) {
            SSLContext client = HttpsIT.trusting(dir.resolve("cert.pem"));
            try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", liso.port(1))) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                InputStream in = s.getInputStream();
                byte[] buf = new byte[16_384];
                long got = 0;
                while (got < 100_000) {
                    got += in.read(buf);
                }
                s.shutdownOutput(); // close_notify; this side keeps reading (RFC 8446 §6.1 allows a half-close)
                try {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        got += n;
                    }
                } catch (IOException cut) {
                    // the server may reset instead of sending the rest: either way the response has ended
                }
                assertThat(got).as("bytes of the 8 MiB response before it ended").isLessThanOrEqualTo(big.length + 4096L);
            }
            // One loop: were it still spinning on the file above, this request would never be answered.
            try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", liso.port(1))) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET /small.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(reply).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nsmall\n");
            }
        }
    }
}
