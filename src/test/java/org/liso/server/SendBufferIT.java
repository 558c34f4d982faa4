package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;

/** --sndbuf sets SO_SNDBUF on accepted connections (Linux reports twice the value: its bookkeeping overhead). */
class SendBufferIT {
    @TempDir
    Path root;

    @Test
    void theKernelSeesTheRequestedSendBuffer() throws Exception {
        Files.writeString(root.resolve("index.html"), "x\n");
        try (LisoProcess liso = LisoProcess.start(1, "serve", "--root", root.toString(), "--http", "127.0.0.1:0",
                "--sndbuf", "65536", "-q"); Socket s = new Socket("127.0.0.1", liso.port(0))) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getInputStream().read(new byte[4096]);
            Process ss = new ProcessBuilder("ss", "-tmnH", "state", "established", "( sport = :" + liso.port(0) + " )")
                    .redirectErrorStream(true).start();
            assertThat(ss.waitFor(10, TimeUnit.SECONDS)).isTrue();
            String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(out).contains("tb131072");
        }
    }
}
