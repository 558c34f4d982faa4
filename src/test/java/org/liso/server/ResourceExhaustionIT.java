package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.Await;
import org.liso.testing.KeepAliveLoad;
import org.liso.testing.LisoProcess;
import org.liso.testing.ProcStats;

/**
 * Running out of what the operating system gives: descriptors (ulimit -n 256 against 1,300 connections), the
 * --max-connections budget, and memory (-Xmx64m against 1,000 keep-alive clients). The server must stay up, say so
 * in its log without flooding it, refuse cheaply, and serve correctly once the pressure is gone. Every load here
 * counts its answers, so its time limits only bound a hung run: a loaded machine makes it slower, never short
 * (10,000 answers, a third of them 1 MiB, took 53 s of a 40 s budget under load).
 */
class ResourceExhaustionIT {
    @TempDir
    Path root;

    private List<KeepAliveLoad.Target> files() throws IOException {
        List<KeepAliveLoad.Target> targets = new ArrayList<>();
        int[] sizes = {1024, 100 * 1024, 1024 * 1024};
        for (int i = 0; i < sizes.length; i++) {
            byte[] b = new byte[sizes[i]];
            new Random(i).nextBytes(b);
            Files.write(root.resolve("f" + i + ".bin"), b);
            targets.add(new KeepAliveLoad.Target("/f" + i + ".bin", b));
        }
        return targets;
    }

    private List<String> command(String shellPrefix, String jvmHeap, String... serveArgs) {
        StringBuilder sh = new StringBuilder(shellPrefix).append(" exec '").append(LisoProcess.java()).append("' ")
                .append(jvmHeap).append(" -XX:+UseSerialGC -jar '").append(LisoProcess.jar()).append("' serve --root '")
                .append(root).append("' --http 127.0.0.1:0 --no-https");
        for (String a : serveArgs) {
            sh.append(' ').append(a);
        }
        return List.of("bash", "-c", sh.toString());
    }

    @Test
    void outOfDescriptorsBacksOffLogsSparinglyAndRecovers() throws Exception {
        List<KeepAliveLoad.Target> targets = files();
        try (LisoProcess liso = LisoProcess.startCommand(1, command("ulimit -n 256;", "-Xmx128m",
                "--header-timeout", "2", "-q"))) {
            int port = liso.port(0);
            long start = System.nanoTime();
            // 300 silent connections take every descriptor the server has; 1,000 clients with a request come on top.
            List<SocketChannel> silent = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                silent.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", port)));
            }
            KeepAliveLoad.Result flood = KeepAliveLoad.run(port, 1000, targets, 1, 120_000, 180_000);
            for (SocketChannel c : silent) {
                c.close();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            String log = liso.stderr();
            long emfileLines = log.lines().filter(l -> l.contains("out of file descriptors")).count();
            System.out.printf("ResourceExhaustionIT: flood %d ok, %d wrong, %d failed in %.1f s; %d EMFILE log lines%n",
                    flood.ok(), flood.wrong(), flood.failed(), seconds, emfileLines);
            assertThat(liso.process().isAlive()).isTrue();
            assertThat(emfileLines).as("the condition was met and logged").isPositive();
            // At most one line per log interval (10 s), plus one: not one per 200 ms back-off.
            assertThat(emfileLines).as("EMFILE log lines").isLessThanOrEqualTo((long) (seconds / 10) + 1);
            assertThat(flood.problems()).as("answers under EMFILE")
                    .allMatch(p -> p.contains("status line HTTP/1.1 503"));
            // Every flood client gets an answer: the file (right bytes) or, when no descriptor is left to open it,
            // 503 (never a 404: that would be a lie, and cacheable).
            assertThat(flood.failed()).as("flood clients without an answer").isZero();
            assertThat(flood.ok() + flood.wrong()).isEqualTo(1000);
            assertThat(flood.ok()).as("flood clients served the file").isPositive();

            KeepAliveLoad.Result after = KeepAliveLoad.run(port, 20, targets, 20, 60_000, 90_000);
            assertThat(after.problems()).isEmpty();
            assertThat(after.ok()).isEqualTo(400);
        }
    }

    @Test
    void maxConnectionsResetsNewcomersAndServesAgainLater() throws Exception {
        List<KeepAliveLoad.Target> targets = files();
        try (LisoProcess liso = LisoProcess.start(1, "serve", "--root", root.toString(), "--http", "127.0.0.1:0",
                "--max-connections", "50", "--header-timeout", "30", "-q")) {
            int port = liso.port(0);
            ProcStats before = ProcStats.of(liso.pid());
            List<Socket> held = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                held.add(new Socket("127.0.0.1", port));
            }
            // The kernel completes a connection before the loop accepts it: wait until the server holds all 50.
            Await.until("the server to accept the 50 held connections", 10_000, () -> ProcStats.of(liso.pid()),
                    now -> now.fds() >= before.fds() + 50);
            int resets = 0;
            for (int i = 0; i < 20; i++) {
                try (Socket extra = new Socket("127.0.0.1", port)) {
                    extra.setSoTimeout(3000);
                    extra.getOutputStream().write("GET /f0.bin HTTP/1.1\r\nHost: a\r\n\r\n".getBytes());
                    InputStream in = extra.getInputStream();
                    assertThat(in.read()).as("a connection over the budget gets no byte").isEqualTo(-1);
                    resets++;
                } catch (SocketException reset) {
                    resets++;
                } catch (SocketTimeoutException hung) {
                    throw new AssertionError("a connection over the budget was left hanging", hung);
                }
            }
            assertThat(resets).isEqualTo(20);
            // The error log is written by a thread of its own, after the refusals.
            Await.until("the log line about the refusals", 10_000, () -> budgetLines(liso) > 0);
            assertThat(budgetLines(liso)).as("one log line per 1,000 refusals").isEqualTo(1);
            for (Socket s : held) {
                s.close();
            }
            // The budget is back once the server has closed its side of every held connection.
            Await.until("the server to close the 50 held connections", 10_000, () -> ProcStats.of(liso.pid()),
                    now -> now.fds() <= before.fds());
            KeepAliveLoad.Result after = KeepAliveLoad.run(port, 40, targets, 10, 60_000, 90_000);
            assertThat(after.problems()).isEmpty();
            assertThat(after.ok()).isEqualTo(400);
        }
    }

    private static long budgetLines(LisoProcess liso) throws IOException {
        return liso.stderr().lines().filter(l -> l.contains("max-connections reached")).count();
    }

    @Test
    void smallHeapServesAThousandKeepAliveClientsCorrectly() throws Exception {
        List<KeepAliveLoad.Target> targets = files();
        try (LisoProcess liso = LisoProcess.startCommand(1, command("", "-Xmx64m", "--max-connections", "2000",
                "-q"))) {
            int port = liso.port(0);
            KeepAliveLoad.Result r = KeepAliveLoad.run(port, 1000, targets, 10, 240_000, 300_000);
            System.out.println("ResourceExhaustionIT: -Xmx64m, 1000 clients: " + r.ok() + " ok, " + r.wrong()
                    + " wrong, " + r.failed() + " failed");
            assertThat(r.problems()).isEmpty();
            assertThat(r.ok()).isEqualTo(10_000);
            assertThat(liso.process().isAlive()).isTrue();
            assertThat(liso.stderr()).doesNotContain("OutOfMemoryError");
        }
    }
}
