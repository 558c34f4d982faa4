package org.liso.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;

/** {@code liso who} shows the N listeners of one {@code liso serve --loops N} as one SO_REUSEPORT group. */
class WhoReusePortIT {
    @TempDir
    Path dir;

    @Test
    void theListenersOfTheLoopsOfOneProcessAreOneGroup() throws Exception {
        Files.writeString(dir.resolve("index.html"), "hi\n");
        try (LisoProcess liso = LisoProcess.start(1, "serve", "--root", dir.toString(), "--http", "127.0.0.1:0",
                "--loops", "3")) {
            String port = Integer.toString(liso.port(0));
            Child.Result ss = Child.run(List.of("ss", "-Hltn", "sport = :" + port));
            assertThat(ss.out().lines().count()).as("listening sockets the kernel shows: %s", ss.out()).isEqualTo(3);

            Child.Result who = Child.liso("who", port);
            assertThat(who.exit()).isZero();
            List<String> rows = who.out().lines().filter(l -> l.contains(":" + port)).toList();
            assertThat(rows).as(who.out()).hasSize(1);
            assertThat(rows.get(0)).contains("SO_REUSEPORT group of 3").contains(Long.toString(liso.pid()));

            Child.Result json = Child.liso("who", port, "--json");
            Child.Result groups = Child.run(List.of("python3", "-c", "import json, sys\n"
                    + "d = json.load(sys.stdin)\n"
                    + "print(len(d['sockets']), sorted({s['reuseport_group'] for s in d['sockets']}))"), json.out());
            assertThat(groups.out().trim()).isEqualTo("3 [3]");
        }
    }
}
