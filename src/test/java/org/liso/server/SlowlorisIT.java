package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.Await;
import org.liso.testing.KeepAliveLoad;
import org.liso.testing.LisoProcess;
import org.liso.testing.ProcStats;
import org.liso.testing.ServerWarmup;
import org.liso.testing.SlowClients;

/**
 * Slowloris and slow-POST against the real server: 2,000 connections sending a request head one byte per second and
 * 500 sending a body with pauses longer than the body timeout, each reopened as soon as the server closes it, for
 * 12 s, while 50 keep-alive clients fetch files. The normal clients must get every response right; every slow
 * connection must be closed by its timeout (with a 408 or nothing), well before it could finish.
 */
class SlowlorisIT {
    private static final long SECONDS = 12;

    @TempDir
    Path root;

    @Test
    void slowClientsAreCutOffWhileNormalClientsAreServed() throws Exception {
        byte[] small = new byte[1024];
        byte[] large = new byte[200 * 1024];
        new Random(7).nextBytes(small);
        new Random(8).nextBytes(large);
        Files.write(root.resolve("small.bin"), small);
        Files.write(root.resolve("large.bin"), large);
        try (LisoProcess liso = LisoProcess.start(1, "serve", "--root", root.toString(), "--http", "127.0.0.1:0",
                "--max-connections", "4000", "--header-timeout", "2", "--body-timeout", "2", "-q")) {
            int port = liso.port(0);
            List<KeepAliveLoad.Target> files = List.of(new KeepAliveLoad.Target("/small.bin", small),
                    new KeepAliveLoad.Target("/large.bin", large));
            ServerWarmup.run(port, files);
            ProcStats before = ProcStats.of(liso.pid());
            CompletableFuture<SlowClients.Result> heads = CompletableFuture.supplyAsync(() -> slow(() ->
                    SlowClients.run(port, 2000, "", "GET / HTTP/1.1\r\nHost: a\r\nX-Slow: " + "a".repeat(200),
                            1000, SECONDS * 1000)));
            CompletableFuture<SlowClients.Result> bodies = CompletableFuture.supplyAsync(() -> slow(() ->
                    SlowClients.run(port, 500, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n", "b",
                            3000, SECONDS * 1000)));
            // The attack in place first: the server holds (nearly) all 2,500 slow connections. Some may already be
            // closed by their timeout and on their way back, hence not all.
            Await.until("the server to hold the slow connections", 20_000, () -> ProcStats.of(liso.pid()),
                    now -> now.fds() >= before.fds() + 2400);
            KeepAliveLoad.Result normal = KeepAliveLoad.run(port, 50, files, Long.MAX_VALUE, (SECONDS - 3) * 1000, (SECONDS + 20) * 1000);
            SlowClients.Result h = heads.get();
            SlowClients.Result b = bodies.get();
            System.out.println("SlowlorisIT: normal " + normal.ok() + " ok, " + normal.wrong() + " wrong, "
                    + normal.failed() + " failed; slow heads " + h + "; slow bodies " + b);

            assertThat(normal.problems()).as("normal clients' problems").isEmpty();
            assertThat(normal.clean()).isTrue();
            assertThat(normal.ok()).as("normal responses").isGreaterThan(500);

            // Each slow-head connection lives header-timeout (2 s) plus scheduling slack on a loaded 2-core machine;
            // one that finished its 230-byte head would have lived 230 s.
            assertThat(h.closedByServer()).as("slow heads closed").isGreaterThanOrEqualTo(2000);
            assertThat(h.maxLifetimeMillis()).as("longest slow head").isLessThan(8000);
            assertThat(h.statuses().keySet()).as("statuses sent to slow heads").isSubsetOf(0, 408);
            assertThat(h.connectFailures()).isZero();
            // A slow body pauses 3 s between bytes: the 2 s body timeout ends it at its first pause.
            assertThat(b.closedByServer()).as("slow bodies closed").isGreaterThanOrEqualTo(500);
            assertThat(b.maxLifetimeMillis()).as("longest slow body").isLessThan(8000);
            assertThat(b.statuses().keySet()).as("statuses sent to slow bodies").isSubsetOf(0, 408);

            ProcStats after = ProcStats.settle(liso.pid(), before, 10_000);
            System.out.println("SlowlorisIT: server before " + before + ", after " + after);
            assertThat(after.fds()).as("server fds after the attack").isLessThanOrEqualTo(before.fds());
            assertThat(after.threads()).as("server threads after the attack").isLessThanOrEqualTo(before.threads());
        }
    }

    interface IoSupplier<T> {
        T get() throws Exception;
    }

    static <T> T slow(IoSupplier<T> s) {
        try {
            return s.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
