package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;
import org.liso.testing.RawClient;
import org.liso.testing.RawConnection;

/**
 * Regression: the first connection after the server sat idle for longer than the header timeout was closed at once,
 * without a response, because the loop computed its header deadline from the clock of before the idle select.
 * Also a request that trickles in (each pause shorter than the timeout) after an idle spell must be served.
 */
class FirstRequestAfterIdleIT {
    @TempDir
    Path root;

    @Test
    void aRequestAfterAnIdleSpellIsAnswered() throws Exception {
        Files.writeString(root.resolve("index.html"), "idle\n");
        try (LisoProcess liso = LisoProcess.start(1, "serve", "--root", root.toString(), "--http", "127.0.0.1:0",
                "--header-timeout", "1", "--body-timeout", "1", "-q")) {
            int port = liso.port(0);
            for (int round = 0; round < 3; round++) {
                Thread.sleep(2500); // longer than the header timeout, with nothing for the loop to do
                try (RawConnection c = RawConnection.open(port, 5000)) {
                    RawClient.Reply r = c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read();
                    assertThat(r.status()).as("round %d", round).isEqualTo(200);
                    assertThat(r.bodyText()).isEqualTo("idle\n");
                }
            }
        }
    }
}
