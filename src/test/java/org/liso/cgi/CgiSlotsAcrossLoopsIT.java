package org.liso.cgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --cgi-max} is for the whole server: with two loops taking slots at once, never more scripts run than the
 * bound; the requests beyond it, on either loop, get 503 at once, and the slots are free again afterwards.
 */
class CgiSlotsAcrossLoopsIT {
    private static final int SLOTS = 3;
    private static final int CLIENTS = 16;

    @TempDir
    Path dir;

    @Test
    void theSlotBoundHoldsForBothLoopsTogether() throws Exception {
        Path go = dir.resolve("go");
        Path started = Files.createDirectories(dir.resolve("started"));
        // Each script marks that it runs, then waits for the test to let it finish.
        Path script = dir.resolve("hold.sh");
        Files.writeString(script, "#!/bin/sh\n: > '" + started + "'/$$\nwhile [ ! -e '" + go + "' ]; do sleep 0.02;"
                + " done\nprintf 'Content-Type: text/plain\\r\\n\\r\\nran\\n'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        try (LisoServe server = new LisoServe(dir, "--loops", "2", "--cgi", script.toString(), "--cgi-max",
                Integer.toString(SLOTS), "--cgi-timeout", "60")) {
            List<CompletableFuture<String>> replies = new ArrayList<>();
            // A thread per client: each blocks until answered, and CompletableFuture's default pool runs only a
            // couple at once on a 2-core machine with Java 25 (it was a thread per task on 17).
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            for (int i = 0; i < CLIENTS; i++) {
                int n = i;
                replies.add(CompletableFuture.supplyAsync(() -> get(server.port, "/cgi/x" + n), clients));
            }
            clients.shutdown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (replies.stream().filter(CompletableFuture::isDone).count() < CLIENTS - SLOTS
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            while (startedScripts(started) < SLOTS && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(startedScripts(started)).as("scripts started while %d slots are held", SLOTS)
                    .isEqualTo(SLOTS);
            long busy = replies.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join)
                    .filter(r -> r.startsWith("HTTP/1.1 503 ")).count();
            assertThat(busy).as("requests beyond the bound answered 503").isEqualTo(CLIENTS - SLOTS);
            Files.createFile(go);
            long ran = 0;
            for (CompletableFuture<String> f : replies) {
                String r = f.get(30, TimeUnit.SECONDS);
                if (r.startsWith("HTTP/1.1 200 ")) {
                    ran++;
                }
            }
            assertThat(ran).as("requests that held a slot").isEqualTo(SLOTS);
            assertThat(get(server.port, "/cgi/after")).as("the slots are free again").startsWith("HTTP/1.1 200 ");
            assertThat(server.errorLogText()).contains("loops=2");
        }
    }

    private static long startedScripts(Path started) throws java.io.IOException {
        try (var s = Files.list(started)) {
            return s.count();
        }
    }

    private static String get(int port, String path) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(60_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            in.transferTo(got);
            return got.toString(StandardCharsets.US_ASCII);
        } catch (java.io.IOException e) {
            return "failed: " + e;
        }
    }
}
