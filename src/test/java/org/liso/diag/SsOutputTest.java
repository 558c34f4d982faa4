package org.liso.diag;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fallback parser on `ss -tuanpHe` output captured on a real host (iproute2 6.1). */
class SsOutputTest {

    @Test
    void parsesListenersConnectionsOwnersAndDualStack() throws IOException {
        String text;
        try (InputStream in = getClass().getResourceAsStream("ss-tuanpHe.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<OwnedSocket> all = SsOutput.parse(text, UserNames.load(Path.of("/nonexistent")));
        assertThat(all).hasSize(7);
        assertThat(all.get(0).socket().udp()).isTrue();
        assertThat(all.get(0).socket().localText()).isEqualTo("127.0.0.1:36110");
        assertThat(all.get(0).socket().isListening()).isTrue();
        assertThat(all.get(0).owners()).singleElement().satisfies(p -> {
            assertThat(p.pid()).isEqualTo(7367);
            assertThat(p.commandLine()).isEqualTo("python3");
        });
        assertThat(all.get(2).owners()).isEmpty();
        assertThat(all.get(2).socket().inode()).isEqualTo(89);
        OwnedSocket dual = all.get(4);
        assertThat(dual.socket().localText()).isEqualTo("*:35689");
        assertThat(dual.socket().v6()).isTrue();
        assertThat(dual.socket().state()).isEqualTo(TcpState.LISTEN);
        assertThat(all.get(5).socket().localText()).isEqualTo("[::1]:53435");
        OwnedSocket mapped = all.get(6);
        assertThat(mapped.socket().localText()).isEqualTo("[::ffff:127.0.0.1]:35689");
        assertThat(mapped.socket().state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(all.get(3).socket().remoteText()).isEqualTo("127.0.0.1:35689");
    }
}
