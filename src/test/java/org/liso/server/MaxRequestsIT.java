package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;
import org.liso.testing.RawClient;
import org.liso.testing.RawConnection;

/**
 * {@code --max-requests N}: the Nth response on a connection says {@code Connection: close} (RFC 9112 §9.6) and the
 * server then closes it; the responses before it keep the connection.
 */
class MaxRequestsIT {
    private static final int N = 3;

    @TempDir
    static Path root;
    private static LisoProcess liso;

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(root.resolve("index.html"), "index\n");
        liso = LisoProcess.start(1, "serve", "--root", root.toString(), "--http", "127.0.0.1:0", "--max-requests",
                Integer.toString(N), "-q");
    }

    @AfterAll
    static void stop() throws Exception {
        liso.close();
    }

    @Test
    void theNthResponseClosesTheConnection() throws Exception {
        try (RawConnection c = RawConnection.open(liso.port(0))) {
            for (int i = 1; i <= N; i++) {
                RawClient.Reply r = c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo("index\n");
                if (i < N) {
                    assertThat(r.header("Connection")).as("response %d of %d", i, N).isNull();
                } else {
                    assertThat(r.header("Connection")).as("response %d of %d", i, N).isEqualTo("close");
                }
            }
            c.awaitClose();
        }
    }

    @Test
    void aPipelineLongerThanTheLimitGetsNAnswersThenTheClose() throws Exception {
        try (RawConnection c = RawConnection.open(liso.port(0))) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(N + 2));
            for (int i = 1; i <= N; i++) {
                RawClient.Reply r = c.read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("Connection")).as("response %d of %d", i, N).isEqualTo(i == N ? "close" : null);
            }
            c.awaitClose();
        }
    }
}
