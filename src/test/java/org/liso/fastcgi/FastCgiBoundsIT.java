package org.liso.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;

/**
 * {@code --fastcgi-conns} and {@code --fastcgi-idle} bound the whole server, whatever its loops, and a graceful
 * shutdown answers the requests still waiting for a connection 503: against the Python responder (responder.py),
 * whose "active N" events count the requests it holds at once.
 */
class FastCgiBoundsIT {

    @TempDir
    Path dir;

    private LisoProcess serve(Responder app, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("serve", "--http", "127.0.0.1:0", "--no-https",
                "--root", dir.toString(), "--fastcgi", "/app=" + app.address));
        args.addAll(List.of(flags));
        return LisoProcess.start(1, args.toArray(String[]::new));
    }

    private static String url(LisoProcess liso, String path) {
        return "http://127.0.0.1:" + liso.port(0) + path;
    }

    private static int mostActive(Responder app) throws Exception {
        return app.events().stream().filter(e -> e.startsWith("active "))
                .mapToInt(e -> Integer.parseInt(e.substring("active ".length()))).max().orElse(0);
    }

    @Test
    void theConnectionBoundIsTheWholeServers() throws Exception {
        try (Responder app = Responder.start(dir, "unix:" + dir.resolve("app.sock"));
                LisoProcess liso = serve(app, "--loops", "2", "--fastcgi-conns", "1", "--fastcgi-timeout", "20s")) {
            // Eight clients at once, on new connections, so both loops get some: one application connection in all.
            List<Process> clients = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                clients.add(Curl.start(url(liso, "/app/slow?ms=150")));
            }
            for (Process c : clients) {
                Curl.Reply r = Curl.await(c);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("slow done\n");
            }
            assertThat(app.events()).filteredOn(e -> e.startsWith("request ")).hasSize(8);
            assertThat(mostActive(app)).as("requests the application held at once").isEqualTo(1);
        }
    }

    @Test
    void aConnectionKeptIdleOnOneLoopIsGivenUpForAnothersRequest() throws Exception {
        try (Responder app = Responder.start(dir, "unix:" + dir.resolve("app.sock"));
                LisoProcess liso = serve(app, "--loops", "2", "--fastcgi-conns", "1", "--fastcgi-idle", "1",
                        "--fastcgi-timeout", "5s")) {
            // One client connection after another lands on either loop; the one slot is kept idle by whichever loop
            // used it last, and must move when the other loop's request needs it (else that request waits: 504).
            for (int i = 0; i < 10; i++) {
                Curl.Reply r = Curl.run(url(liso, "/app/env"));
                assertThat(r.status()).as("request %d", i).isEqualTo(200);
            }
            assertThat(mostActive(app)).isEqualTo(1);
        }
    }

    @Test
    void requestsWaitingForAConnectionAreAnswered503AtShutdown() throws Exception {
        try (Responder app = Responder.start(dir, "unix:" + dir.resolve("app.sock"));
                LisoProcess liso = serve(app, "--loops", "1", "--verbose", "--fastcgi-conns", "1",
                        "--fastcgi-timeout", "20s", "--shutdown-grace", "15s")) {
            Process busy = Curl.start(url(liso, "/app/slow?ms=5000"));
            app.awaitEvent(e -> e.equals("request 1 /slow"));
            Process waiting = Curl.start(url(liso, "/app/env"));
            awaitLog(liso, "request waits for a connection");
            long t0 = System.nanoTime();
            liso.process().destroy(); // SIGTERM: a graceful shutdown
            Curl.Reply refused = Curl.await(waiting);
            long waitedMillis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(refused.status()).isEqualTo(503);
            assertThat(waitedMillis).as("answered at once, not after the busy request").isLessThan(4_000);
            // The request in flight finishes within the grace period; the waiting one never reached the application.
            Curl.Reply finished = Curl.await(busy);
            assertThat(finished.status()).isEqualTo(200);
            assertThat(finished.body()).isEqualTo("slow done\n");
            assertThat(liso.process().waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(liso.process().exitValue()).isZero();
            assertThat(app.events()).filteredOn(e -> e.startsWith("request ")).containsExactly("request 1 /slow");
        }
    }

    private static void awaitLog(LisoProcess liso, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!liso.stderr().contains(text)) {
            assertThat(System.nanoTime()).as("log line with " + text + " in " + liso.stderr()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
