package org.liso.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With SO_REUSEPORT on its listeners, a {@code --loops 2} server could bind a port another process of the same user
 * already listens on with SO_REUSEPORT, and silently take part of its clients. It must fail as a one-loop server
 * does: exit 69 with the bind doctor's diagnosis naming the holder.
 */
class ReusePortBindIT {
    private static final String HOLD_REUSEPORT = Child.PY
            + "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)\n"
            + "s.bind(('127.0.0.1', 0)); s.listen()\n"
            + Child.pyReady("s.getsockname()[1]");

    @TempDir
    Path dir;

    @Test
    void aPortInAnotherProcesssReusePortGroupIsInUse() throws Exception {
        Files.writeString(dir.resolve("index.html"), "hi\n");
        try (Child py = Child.python(HOLD_REUSEPORT)) {
            int port = Integer.parseInt(py.line());
            Child.Result serve = Child.liso("serve", "--root", dir.toString(), "--no-https", "--loops", "2",
                    "--http", "127.0.0.1:" + port);
            assertThat(serve.exit()).as(serve.all()).isEqualTo(69);
            assertThat(serve.err()).contains("127.0.0.1:" + port).contains("pid " + py.pid() + " (")
                    .doesNotContain("Exception");
            // Said by a server that sets SO_REUSEPORT on each of its loops' listeners: why it still will not join.
            assertThat(serve.err()).contains("SO_REUSEPORT group of 1 listener(s)")
                    .contains("it sets SO_REUSEPORT only among its own loops' listeners (--loops N), after a plain"
                            + " bind without it has shown the port free")
                    .doesNotContain("Liso does not set SO_REUSEPORT");
        }
    }
}
