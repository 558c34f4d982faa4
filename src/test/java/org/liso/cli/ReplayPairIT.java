package org.liso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.liso.testing.Lisod;
import org.liso.testing.LisoProcess;

/** The handout's checkpoint-1 replay pair at the repository root: replay.out is what `liso echo` returns for replay.test. */
class ReplayPairIT {
    @Test
    void echoReturnsReplayOutForReplayTest() throws Exception {
        byte[] in = Files.readAllBytes(Lisod.repo().resolve("replay.test"));
        byte[] expected = Files.readAllBytes(Lisod.repo().resolve("replay.out"));
        assertThat(in.length).isGreaterThan(100);
        try (LisoProcess echo = LisoProcess.start(1, "echo", "--port", "0");
             Socket s = new Socket("127.0.0.1", echo.port(0))) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(in);
            s.shutdownOutput();
            try (InputStream back = s.getInputStream()) {
                assertThat(back.readAllBytes()).isEqualTo(expected);
            }
        }
    }
}
